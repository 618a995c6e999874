// The express app, assembled from its parts in the order a request meets them.
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { EventLog } from './store/event-log.js';
import type { RowStore } from './store/row-store.js';
import type { LiveHub } from './live/hub.js';
import type { IngestStats } from './ingest/stats.js';
import type { MeetClient } from './meet/client.js';
import type { Reconciler } from './meet/reconcile.js';
import { meetSource } from './ingest/sources/meet.js';
import { webhookRoutes } from './ingest/route.js';
import { liveRoutes } from './live/route.js';
import { dashboardRoutes } from './meet/routes.js';
import { dashboardAuth } from './auth/routes.js';
import { securityHeaders } from './security-headers.js';
import { corsFor, refuseCrossSiteWrites } from './cross-site.js';
import { errorHandler } from './http-errors.js';

export interface AppParts {
  config: Config;
  log: Logger;
  events: EventLog;
  rows: RowStore;
  hub: LiveHub;
  stats: IngestStats;
  meet: MeetClient;
  reconciler: Reconciler;
}

export function createApp({ config, log, events, rows, hub, stats, meet, reconciler }: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  // ngrok and local reverse proxies connect from loopback; their X-Forwarded-* name the caller.
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders(config.meet.serverUrl));

  // Open, because each is verified by its own signature.
  const meetWebhooks = meetSource({ apiKeys: config.meet.apiKeys, maxAgeMs: config.webhook.maxAgeMs });
  app.use(
    webhookRoutes({
      sources: { '/webhook': meetWebhooks, '/webhook/meet': meetWebhooks },
      events,
      stats,
      log,
      maxBodyBytes: config.webhook.maxBodyBytes,
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', latestSeq: events.latestSeq(), sseClients: hub.clientCount, webhooks: stats, meet: reconciler.status.state });
  });

  // Everything below shows room state and join links: signed-in users only, when a password is set.
  const { password, corsOrigins } = config.dashboard;
  const staticFiles = express.static(publicDir(), { index: 'index.html' });
  if (password) {
    // The gate lets /vendor (the login page's stylesheet) through to the static files below.
    const auth = dashboardAuth(password);
    app.use(auth.routes);
    app.use(auth.gate);
  }
  const cors = corsFor(corsOrigins);
  if (cors) app.use(['/api', '/events'], cors);
  app.use('/api', refuseCrossSiteWrites(corsOrigins));

  app.use(liveRoutes(hub));
  app.use(dashboardRoutes({ client: meet, rows, events, reconciler, authRequired: Boolean(password) }));
  app.use(staticFiles);
  app.use(errorHandler(log, stats));
  return app;
}

/** The built browser files: dist/public beside dist/server when bundled, or under dist/ when run from source. */
function publicDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '../public'), path.join(here, '../dist/public')];
  return candidates.find((dir) => existsSync(path.join(dir, 'app.js'))) ?? candidates[1]!;
}
