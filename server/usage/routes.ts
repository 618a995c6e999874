// GET /api/usage: the usage charts' series for a range, from the aggregate in memory (./usage-aggregate.ts).
import express, { type Router } from 'express';
import type { UsageAggregate } from './usage-aggregate.js';
import { parseUsageQuery } from './usage-query.js';

export function usageRoutes(usage: UsageAggregate, now: () => number): Router {
  const router = express.Router();
  router.get('/api/usage', (req, res) => {
    const at = now();
    res.json(usage.series(parseUsageQuery(req.query as Record<string, unknown>, at), at));
  });
  return router;
}
