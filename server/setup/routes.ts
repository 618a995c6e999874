// GET /api/setup: the setup panel's report (./report.ts), behind the dashboard's host check and sign-in
// like every /api route.
import express, { type Router } from 'express';
import type { ApiStatus, SourceId } from '../domain/rows.js';
import type { ActiveMeetings } from './active-meetings.js';
import type { ManagedPlatform } from '../platforms/managed.js';
import type { DeliveryHistory } from './delivery-history.js';
import { setupReport } from './report.js';
import { webhookBase } from './webhook-base.js';

export interface SetupRoutesOptions {
  /** PUBLIC_URL. */
  publicUrl: string | undefined;
  enabled: readonly SourceId[];
  managed: readonly ManagedPlatform[];
  meetings: ActiveMeetings;
  history: DeliveryHistory;
  now: () => number;
}

export function setupRoutes({ publicUrl, enabled, managed, meetings, history, now }: SetupRoutesOptions): Router {
  const router = express.Router();
  const enabledSet = new Set(enabled);
  router.get('/api/setup', async (req, res) => {
    const base = webhookBase(publicUrl, req);
    const [lastWebhooks, lastRefusals] = await Promise.all([
      bySource(enabled, (source) => history.lastWebhook(source)),
      bySource(enabled, (source) => history.lastRefusal(source)),
    ]);
    const apis = new Map<SourceId, ApiStatus>(managed.map(({ id, reconciler }) => [id, reconciler.status]));
    res.json(setupReport({ base, enabled: enabledSet, apis, meetingsOf: (source) => meetings.of(source), lastWebhooks, lastRefusals, now: now() }));
  });
  return router;
}

/** Asks `read` for each platform at once; a platform it knows nothing of is left out. */
async function bySource<T>(sources: readonly SourceId[], read: (source: SourceId) => Promise<T | undefined>): Promise<Map<SourceId, T>> {
  const answers = await Promise.all(sources.map(read));
  const found = new Map<SourceId, T>();
  sources.forEach((source, i) => {
    const answer = answers[i];
    if (answer !== undefined) found.set(source, answer);
  });
  return found;
}
