// The dashboard's JSON API that serves every platform alike: the current rows (webhook-derived, merged
// with REST reads), each platform's status, a read of every platform API now, and the actions a
// platform's API offers (platforms/<id>/api.ts). Routes that only one platform has come with its API.
import express, { type Router } from 'express';
import type { DashboardSnapshot, PlatformStatus } from '../domain/rows.js';
import type { Store } from '../store/store.js';
import { ApiError } from '../api-error.js';
import { SOURCE_IDS } from '../platforms/catalog.js';
import { apiStatusOf, type ManagedPlatform } from '../platforms/managed.js';

export interface DashboardRoutesOptions {
  store: Pick<Store, 'rows' | 'epoch'>;
  /** The platforms whose webhooks are enabled. */
  enabled: readonly string[];
  managed: readonly ManagedPlatform[];
  authRequired: boolean;
}

export function dashboardRoutes({ store, enabled, managed, authRequired }: DashboardRoutesOptions): Router {
  const router = express.Router();
  const json = express.json({ limit: '16kb' });
  const { rows } = store;
  const liveRooms = () => rows.allRooms().filter((row) => !row.removed);
  const liveRecordings = (roomId?: string) =>
    rows.allRecordings().filter((row) => !row.removed && (roomId === undefined || row.roomId === roomId));
  const platformStatus = (id: string): PlatformStatus => {
    const platform = managed.find((candidate) => candidate.id === id);
    return { enabled: enabled.includes(id), api: platform ? apiStatusOf(platform) : null };
  };

  router.get('/api/state', (_req, res) => {
    const platforms = Object.fromEntries(SOURCE_IDS.map((id) => [id, platformStatus(id)]));
    // The page's Meet banner and web component read `meet`, as they always have.
    const meet = platforms.meet?.api ?? { state: 'unknown', url: '', checkedAt: null };
    // Rows and sequence are read in one synchronous step: nothing can be applied in between.
    const snapshot: DashboardSnapshot = {
      seq: rows.seq,
      epoch: store.epoch,
      rooms: liveRooms(),
      recordings: liveRecordings(),
      meet: { ...meet, webComponentUrl: typeof meet.webComponentUrl === 'string' ? meet.webComponentUrl : null },
      platforms,
      auth: { required: authRequired },
    };
    res.json(snapshot);
  });

  router.get('/api/rooms', (_req, res) => {
    res.json({ rooms: liveRooms(), seq: rows.seq });
  });

  router.get('/api/recordings', (req, res) => {
    const roomId = typeof req.query.roomId === 'string' && req.query.roomId !== '' ? req.query.roomId : undefined;
    res.json({ recordings: liveRecordings(roomId), seq: rows.seq });
  });

  router.post('/api/reconcile', (_req, res) => {
    for (const { reconciler } of managed) void reconciler.run();
    const labels = managed.map((platform) => platform.label).join(', ');
    res.status(202).json({ message: `reading rooms and recordings from the ${labels || 'platform'} API${managed.length > 1 ? 's' : ''}` });
  });

  // POST /api/platforms/<platform>/actions/<action> {"id":…}: what the platform's API offers on a row.
  router.post('/api/platforms/:platform/actions/:action', json, async (req, res) => {
    const platform = managed.find((candidate) => candidate.id === req.params.platform);
    if (!platform) {
      throw new ApiError(404, 'no_platform_api', `roomwatch uses no REST API of ${String(req.params.platform)}; the ones it uses: ${managed.map((m) => m.id).join(', ') || 'none'}`);
    }
    const action = Object.hasOwn(platform.api.actions, req.params.action) ? platform.api.actions[req.params.action] : undefined;
    if (!action) {
      throw new ApiError(404, 'no_such_action', `${platform.label} has no action ${req.params.action}; it has ${Object.keys(platform.api.actions).join(', ') || 'none'}`);
    }
    const id = typeof req.body?.id === 'string' ? req.body.id : '';
    if (!platform.api.idPattern.test(id)) throw new ApiError(400, 'invalid_id', `that is not a valid ${platform.label} ${action.target} id`);
    const options = isStringRecord(req.body?.options) ? req.body.options : {};
    const { status, body } = await action.run(id, options);
    res.status(status).json(body);
  });

  return router;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}
