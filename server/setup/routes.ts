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
  router.get('/api/setup', (req, res) => {
    const apis = new Map<SourceId, ApiStatus>(managed.map(({ id, reconciler }) => [id, reconciler.status]));
    res.json(setupReport({ base: webhookBase(publicUrl, req), enabled: enabledSet, apis, meetingsOf: (source) => meetings.of(source), history, now: now() }));
  });
  return router;
}
