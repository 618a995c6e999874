// Starts and stops the whole receiver: store, hub, app, HTTP server. Used by main.ts and by tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { projectWebhook } from './domain/projection.js';
import { LiveHub } from './live/hub.js';
import { IngestStats } from './ingest/stats.js';
import { createRequestHandler } from './app.js';
import { serverTimeouts } from './http.js';
import { startPruning, type PruneReport } from './store/pruning.js';
import { enabledPlatforms } from './platforms/index.js';
import { Reconciler } from './platforms/reconciler.js';
import type { ManagedPlatform } from './platforms/managed.js';
import type { SourceId } from './platforms/catalog.js';
import { formatFrame } from './live/frames.js';
import { Metrics } from './metrics.js';
import { logAllowedHosts } from './allowed-hosts.js';
import { readStoreFigures } from './store/store-figures.js';
import type { LogOutput } from './log-output.js';
import { Forwarder } from './forward/forwarder.js';
import type { BackoffPolicy } from './forward/backoff.js';

/** Several instances on one store: how soon the leader sees a redelivery asked of another instance. */
const FORWARD_RECHECK_MS = 1000;
import { followLogForUsage } from './usage/follow-log.js';

export interface RoomwatchOptions {
  /** The clock every expiry and timestamp reads (sessions, the event log, reconciliation); tests set it. */
  now?: () => number;
  /** The log's output, whose dropped lines /metrics counts (main.ts passes the one on stdout). */
  logOutput?: Pick<LogOutput, 'onDropped' | 'dropped'>;
  /** Time between pruning passes (default a minute); tests also call `pruneNow`. */
  pruneIntervalMs?: number;
  /** Forwarding's retry delays (default 1 s doubling to 5 min); tests shorten them. */
  forwardBackoff?: BackoffPolicy;
}

export interface Roomwatch {
  /** Base URL, e.g. http://127.0.0.1:6080 */
  url: string;
  server: http.Server;
  store: Store;
  hub: LiveHub;
  metrics: Metrics;
  /** Relays stored webhooks to FORWARD_TO. */
  forwarder: Forwarder;
  /** The platforms whose REST API it reads (and heals their rows from), by id. */
  apis: readonly SourceId[];
  /** Runs a pruning pass now (after the one under way); resolves with what it dropped. */
  pruneNow(): Promise<PruneReport>;
  stop(): Promise<void>;
}

export async function startRoomwatch(
  config: Config,
  log: Logger,
  { now = Date.now, logOutput, pruneIntervalMs, forwardBackoff }: RoomwatchOptions = {},
): Promise<Roomwatch> {
  const metrics = new Metrics();
  // Lines already lost before this point count too.
  metrics.logLinesDropped.inc(logOutput?.dropped ?? 0);
  logOutput?.onDropped((lines) => metrics.logLinesDropped.inc(lines));
  // Rooms and recordings follow each webhook inside its own commit.
  const store = await openStore(config.store, {
    project: projectWebhook,
    now,
    onProjectionError: (error, event) =>
      log.warn({ err: error, seq: event.seq, source: event.source, type: event.type }, 'webhook stored, but the projection could not read it'),
  });
  const hub = new LiveHub(store, {
    latestSeq: await store.latestSeq(),
    heartbeatMs: config.sse.heartbeatMs,
    retryMs: config.sse.retryMs,
    maxBufferBytes: config.sse.maxBufferBytes,
    log,
    metrics,
  });
  store.onCommitted((stored) => hub.publish(stored));
  // Subscribed now, before anything else commits; the log is read in the background.
  const usage = followLogForUsage(store, now);
  usage.built.catch((error: unknown) => log.error({ err: error }, 'the usage charts could not read the event log; GET /api/usage answers 500'));
  readStoreFigures(metrics, store);
  const platforms = enabledPlatforms(config.platforms);

  // Forwarding reads the log after each commit (the log is its outbox, entries of every instance included);
  // the leader delivers. Its status changes go out as a `forwarding` frame, for the header's warning.
  const forwarder = new Forwarder({
    targets: config.forward.targets,
    store: store.forwarding,
    platforms,
    log: store,
    logger: log,
    now,
    maxAgeMs: config.forward.maxAgeMs,
    timeoutMs: config.forward.timeoutMs,
    backoff: forwardBackoff,
    leadership: store.leadership,
    recheckMs: store.backend === 'postgres' ? FORWARD_RECHECK_MS : undefined,
    onOutcome: (target, outcome) => metrics.forwardDeliveries.inc({ target, outcome }),
    onStatusChange: (status) => hub.broadcast(formatFrame({ event: 'forwarding', data: JSON.stringify(status) })),
  });
  if (forwarder.enabled) {
    store.onCommitted((entries) => forwarder.notify(entries));
    let backlog: { labels: Record<string, string>; value: number }[] = [];
    metrics.refreshBeforeScrape(async () => {
      backlog = (await forwarder.status()).targets.map(({ label, backlog: value }) => ({ labels: { target: label }, value }));
    });
    metrics.read('roomwatch_forward_backlog', () => backlog);
  }
  await forwarder.start();

  const { retention: keep, maxAgeMs, maxBytes, closedRoomRetentionMs } = config.store;
  const pruning = startPruning(
    store,
    { keep, maxAgeMs, maxBytes, closedRoomRetentionMs },
    { log, now, intervalMs: pruneIntervalMs, hold: () => forwarder.retentionHold(), onEventsPruned: (through) => forwarder.forgetThrough(through) },
  );

  // Every enabled platform with a REST API gets a reconciler; its status changes go out as a frame named
  // after the platform (`meet` for Meet, the frame the page has always read).
  const managed: ManagedPlatform[] = [];
  for (const platform of platforms) {
    let reconciler: Reconciler | undefined = undefined;
    const api = platform.api?.({ store, log, now, refreshSoon: (delayMs) => reconciler?.refreshSoon(delayMs), closedRoomRetentionMs });
    if (!api) continue;
    reconciler = new Reconciler({
      platform,
      api,
      store,
      log,
      intervalMs: config.reconcileIntervalMs,
      now,
      metrics,
      // Several instances on one store: the leader alone reads the platforms' APIs (and writes what it finds).
      leading: () => store.leadership.isLeader(),
      onStatus: (status) => hub.broadcast(formatFrame({ event: platform.id, data: JSON.stringify({ ...status, ...api.details?.() }) })),
    });
    managed.push({ id: platform.id, label: platform.label, api, reconciler });
  }
  // A platform may say nothing when a room closes or goes (Meet: §1.1): look again after each session ends.
  store.onCommitted((entries) => {
    for (const { id, reconciler } of managed) {
      const platform = platforms.find((candidate) => candidate.id === id)!;
      if (entries.some((e) => e.kind === 'webhook' && e.source === id && platform.sessionEnded(e))) reconciler.refreshSoon();
    }
  });
  for (const { reconciler } of managed) reconciler.start();
  // A new leader reads at once rather than at its next interval.
  store.leadership.onChange((leading) => {
    if (leading) for (const { reconciler } of managed) void reconciler.run();
  });
  for (const platform of platforms) for (const warning of platform.warnings()) log.warn(warning);
  logAllowedHosts(log, config.dashboard.allowedHosts, config.host);
  if (!config.dashboard.password) {
    log.warn(
      'DASHBOARD_PASSWORD is not set: the dashboard, its API and /events (with join links) are open to anyone who can reach this port, and to the whole internet through an ngrok tunnel',
    );
  }

  const stats = new IngestStats();
  const server = http.createServer(
    serverTimeouts(config.webhook.requestTimeoutMs),
    createRequestHandler({ config, log, store, hub, stats, platforms, managed, metrics, forwarder, usage, now }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost';

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      pruning.stop();
      for (const { reconciler } of managed) reconciler.stop();
      // An attempt under way is aborted and stays pending: made again, with the same delivery id, at the next start.
      await forwarder.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      hub.close();
      server.closeIdleConnections();
      // Requests already being read get their answer; the final flush commits what they queued.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      server.closeAllConnections();
      await store.close();
    })());

  const apis = managed.map(({ id }) => id);
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, server, store, hub, metrics, forwarder, apis, pruneNow: pruning.runNow, stop };
}
