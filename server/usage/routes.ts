// GET /api/usage: the usage charts' series for a range, from the aggregate in memory (./usage-aggregate.ts).
import express, { type Router } from 'express';
import type { UsageFollower } from './follow-log.js';
import { parseUsageQuery } from './usage-query.js';

export function usageRoutes({ usage, built }: UsageFollower, now: () => number): Router {
  const router = express.Router();
  router.get('/api/usage', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    parseUsageQuery(query, now()); // a wrong query is told so at once, even while the log is being read
    // Right after start, the first requests wait until the log has been read.
    await built;
    const at = now();
    res.json(usage.series(parseUsageQuery(query, at), at));
  });
  return router;
}
