// The express app, assembled from its parts in the order a request meets them.
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { EventLog } from './store/event-log.js';
import type { LiveHub } from './live/hub.js';
import type { IngestStats } from './ingest/stats.js';
import { meetSource } from './ingest/sources/meet.js';
import { webhookRoutes } from './ingest/route.js';
import { liveRoutes } from './live/route.js';
import { errorHandler } from './http-errors.js';

export interface AppParts {
  config: Config;
  log: Logger;
  events: EventLog;
  hub: LiveHub;
  stats: IngestStats;
}

export function createApp({ config, log, events, hub, stats }: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  // ngrok and local reverse proxies connect from loopback; their X-Forwarded-For names the caller.
  app.set('trust proxy', 'loopback');

  const meet = meetSource({ apiKeys: config.meet.apiKeys, maxAgeMs: config.webhook.maxAgeMs });
  app.use(
    webhookRoutes({
      sources: { '/webhook': meet, '/webhook/meet': meet },
      events,
      stats,
      log,
      maxBodyBytes: config.webhook.maxBodyBytes,
    }),
  );
  app.use(liveRoutes(hub));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', latestSeq: events.latestSeq(), sseClients: hub.clientCount, webhooks: stats });
  });
  app.use(express.static(publicDir(), { index: 'index.html' }));
  app.use(errorHandler(log, stats));
  return app;
}

/** The built browser files: dist/public beside dist/server when bundled, or under dist/ when run from source. */
function publicDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '../public'), path.join(here, '../dist/public')];
  return candidates.find((dir) => existsSync(path.join(dir, 'app.js'))) ?? candidates[1]!;
}
