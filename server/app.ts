// Every route roomwatch serves, in the order a request meets them: the hot path first (webhooks in,
// the event stream out, as plain node:http handlers), then the express app for the dashboard.
import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Store } from './store/store.js';
import type { LiveHub } from './live/hub.js';
import type { IngestStats } from './ingest/stats.js';
import type { EnabledPlatform } from './platforms/index.js';
import type { ManagedPlatform } from './platforms/managed.js';
import { webhookHandler, type Refusal } from './ingest/route.js';
import { webhookPathRoutes } from './ingest/path-routes.js';
import { BodyBudget } from './ingest/body-budget.js';
import { eventsHandler } from './live/route.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { recordingMediaRoutes } from './dashboard/recording-media.js';
import { setupHealth } from './setup/setup-health.js';
import { inspectorRoutes } from './inspector/routes.js';
import { refusalFeed } from './inspector/refusal-feed.js';
import { dashboardAuth } from './auth/routes.js';
import { streamAdmission } from './auth/stream-admission.js';
import { refuseAmbiguousPaths } from './auth/request-path.js';
import { AllowedHosts } from './allowed-hosts.js';
import { clientAddresses } from './client-address.js';
import { securityHeaders } from './security-headers.js';
import { corsFor, corsHeadersFor, refuseCrossSiteWrites } from './cross-site.js';
import { errorHandler } from './http-errors.js';
import { createRequestListener, type PlainRoutes } from './http.js';
import type { Metrics } from './metrics.js';
import { metricsRoute } from './metrics-route.js';
import type { Forwarder } from './forward/forwarder.js';
import { forwardingRoutes } from './forward/routes.js';
import type { UsageFollower } from './usage/follow-log.js';
import { usageRoutes } from './usage/routes.js';

export interface AppParts {
  config: Config;
  log: Logger;
  /** The one owner of the log, the rows, the refusals and the inspector's reads. */
  store: Store;
  hub: LiveHub;
  stats: IngestStats;
  /** The platforms whose webhooks are enabled, with their settings. */
  platforms: EnabledPlatform[];
  /** Those of them managed through their REST API. */
  managed: ManagedPlatform[];
  metrics: Metrics;
  /** Relays stored webhooks to FORWARD_TO; its state and redelivery are on /api/forwarding. */
  forwarder: Forwarder;
  /** The usage charts' figures, following the log. */
  usage: UsageFollower;
  /** The clock for expiry checks (sessions) and refusal times; injected so that tests control it. */
  now: () => number;
}

export function createRequestHandler({ config, log, store, hub, stats, platforms, managed, metrics, forwarder, usage, now }: AppParts) {
  const { password, corsOrigins } = config.dashboard;
  const auth = password ? dashboardAuth(password, { now, log }) : undefined;
  const hosts = new AllowedHosts(config.dashboard.allowedHosts, config.host);
  const clients = clientAddresses(config.trustProxy);

  // Webhooks are open (each is verified by its platform's own means); the stream needs a session when
  // a password is set. Refusals are kept for the event inspector, without their bodies.
  const budget = new BodyBudget(config.webhook.maxBytesInFlight);
  metrics.read('roomwatch_webhook_bytes_in_flight', () => budget.bytesHeld);
  const ingest = { store, stats, metrics, log, limits: config.webhook, budget, clientAddress: clients.of, onRefused: refusalFeed(store, hub, log), now };
  // The setup screen follows each platform's last webhook and its meetings from the store's feed as they happen.
  const setup = setupHealth(store);
  // Repeats and refusals are not in the log: the usage charts count this instance's as they are answered.
  const ingestWithUsage = {
    ...ingest,
    onRefused: (refusal: Refusal) => {
      usage.usage.countRefusal(refusal.at);
      ingest.onRefused(refusal);
    },
    onRepeated: (count: number, at: number) => usage.usage.countRepeats(count, at),
  };
  const plainRoutes: PlainRoutes = {
    'GET /events': eventsHandler(hub, { refuse: streamAdmission(hosts, auth), cors: corsHeadersFor(corsOrigins) }),
  };
  for (const platform of platforms) {
    const handler = webhookHandler(platform, ingestWithUsage);
    for (const path of platform.platform.webhookPaths) plainRoutes[`POST ${path}`] = handler;
  }

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // X-Forwarded-* name the caller only when sent by a proxy TRUST_PROXY names (loopback by default: ngrok).
  app.set('trust proxy', clients.trust);
  // The page may load Meet's web component from the Meet server.
  app.use(securityHeaders(config.platforms.meet?.serverUrl));
  app.use(refuseAmbiguousPaths());
  app.use(webhookPathRoutes(config));
  // Liveness: the process serves requests. Readiness: it can also commit what it acknowledges. Probes reach
  // both by any host name (a pod IP, a service name).
  app.get('/healthz', (_req, res) => {
    const meet = managed.find((platform) => platform.id === 'meet');
    // The rows' position, known in memory: liveness asks nothing of the database.
    res.json({ status: 'ok', latestSeq: store.rows.seq, sseClients: hub.clientCount, webhooks: stats, meet: meet?.reconciler.status.state ?? 'unknown' });
  });
  app.get('/readyz', async (_req, res) => {
    const state = await store.readiness();
    res.status(state.ready ? 200 : 503).json(state.ready ? { status: 'ready' } : { status: 'not_ready', reason: state.reason });
  });
  // A scraper with METRICS_TOKEN may use any host name (a page cannot know the token); without a token,
  // /metrics is guarded like /api, host check included.
  const metricsHandler = metricsRoute(metrics, { token: config.metricsToken, isSignedIn: auth?.isSignedIn });
  if (config.metricsToken) app.get('/metrics', metricsHandler);
  // Everything below is the dashboard: only for the hosts it is reached by (DNS-rebinding defence).
  app.use(hosts.refuseOthers());
  if (!config.metricsToken) app.get('/metrics', metricsHandler);
  // CORS before the gate: a preflight carries no cookie and must still be answered.
  const cors = corsFor(corsOrigins);
  if (cors) app.use(['/api', '/events'], cors);
  if (auth) {
    // Sign-in; the gate lets /vendor (the login page's stylesheet) through to the static files below.
    app.use(auth.routes);
    app.use(auth.gate);
  }
  app.use('/api', refuseCrossSiteWrites(corsOrigins));
  app.use(
    inspectorRoutes({
      store,
      signing: {
        platforms,
        // Credentials and fresh signatures only go into "copy as curl" when the page itself needs a sign-in.
        signedIn: Boolean(auth),
      },
    }),
  );
  app.use(forwardingRoutes(forwarder));
  app.use(usageRoutes(usage, now));
  app.use(dashboardRoutes({ store, enabled: platforms.map((platform) => platform.id), managed, authRequired: Boolean(auth) }));
  // Setup health: per platform, the webhook URL to give it, what it last sent and had refused, its API.
  app.use(setup.routes({ publicUrl: config.publicUrl, enabled: platforms.map((platform) => platform.id), managed, now }));
  // A recording's file from a platform that keeps it behind its own credentials (OpenVidu 2), streamed.
  app.use(recordingMediaRoutes(managed));
  // Routes that only one platform has (Meet: create a room, delete one with its options, a recording's URL).
  for (const { api } of managed) if (api.routes) app.use(api.routes);
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such API route' });
  });
  app.use(express.static(publicDir(), { index: 'index.html' }));
  app.use(errorHandler(log));

  return createRequestListener(plainRoutes, app, log);
}

/** The built browser files: dist/public beside dist/server when bundled, or under dist/ when run from source. */
function publicDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '../public'), path.join(here, '../dist/public')];
  return candidates.find((dir) => existsSync(path.join(dir, 'app.js'))) ?? candidates[1]!;
}
