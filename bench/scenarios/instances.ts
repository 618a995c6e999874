// Several instances on PostgreSQL (issue 9): verified webhooks/s with three instances on one database,
// the webhooks spread over all three, against one instance on SQLite in the same run (goal ≥ 0.5×); and
// the time from a webhook sent to one instance to its frame on another instance's stream (goal p99 <
// 100 ms). Skipped, with a note, when no PostgreSQL server answers.
//
// Ingest is compared at capacity: 128 webhooks in flight, so that neither setup waits on latency. One
// SQLite instance is bound by its CPU from 32 in flight on; three PostgreSQL instances serialize their
// commits on the append lock, so a commit's latency (lock, server work, WAL flush) bounds what 32 in
// flight can carry, and only more in flight fills each group commit. The figure at 32 in flight — the
// throughput scenario's load — is reported beside it as a note.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { MEET_API_KEY, PrebuiltMeetWebhooks, meetWebhookRequest } from '../load/meet-webhooks.js';
import { closeWebhookConnections, openWebhookConnections, runClosedLoop, runPaced } from '../load/webhook-load.js';
import type { WebhookConnection } from '../load/webhook-connection.js';
import { goal, projectFigure, ratioFigure } from '../report/figures.js';
import { formatNumber } from '../report/format.js';
import { startProjectServer } from '../servers/server-under-test.js';
import { makeScratchDir, removeScratchDir, stopChild, track } from '../servers/cleanup.js';
import type { Scenario } from './scenario.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
const PROJECT_MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
const INSTANCES = 3;
/** The throughput scenario's load: reported, not judged. */
const LIGHT_CONNECTIONS = 32;
/** Enough in flight that both setups run at capacity: the judged figure. */
const CAPACITY_CONNECTIONS = 128;

export const measureInstances: Scenario = async ({ settings, progress }) => {
  const { warmupMs, measureMs, latencyRate, latencyMs } = settings.quick
    ? { warmupMs: 500, measureMs: 2000, latencyRate: 20, latencyMs: 3000 }
    : { warmupMs: 1000, measureMs: 5000, latencyRate: 20, latencyMs: 10_000 };
  const notes: string[] = [];
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin`SELECT 1`;
  } catch (error) {
    await admin.end({ timeout: 1 });
    return { figures: [], notes: [`instances: skipped, no PostgreSQL at ${ADMIN_URL} (${(error as Error).message})`], details: {} };
  }

  // One instance on SQLite: the yardstick.
  const sqlite = await startProjectServer();
  const sqlitePerSecond = { light: 0, capacity: 0 };
  try {
    for (const [load, connections] of [['light', LIGHT_CONNECTIONS], ['capacity', CAPACITY_CONNECTIONS]] as const) {
      progress(`instances: one instance on SQLite, ${connections} webhooks in flight, ${measureMs} ms measured`);
      sqlitePerSecond[load] = await closedLoop([sqlite.port], connections, { warmupMs, measureMs }, notes, 'SQLite');
    }
  } finally {
    await sqlite.stop();
  }

  const database = `roomwatch_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const instances: Instance[] = [];
  try {
    instances.push(await startInstance(url.toString()));
    instances.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => startInstance(url.toString())))));
    const postgresPerSecond = { light: 0, capacity: 0 };
    for (const [load, connections] of [['light', LIGHT_CONNECTIONS], ['capacity', CAPACITY_CONNECTIONS]] as const) {
      progress(`instances: ${INSTANCES} instances on PostgreSQL, ${connections} webhooks in flight spread over them`);
      postgresPerSecond[load] = await closedLoop(instances.map(({ port }) => port), connections, { warmupMs, measureMs }, notes, 'PostgreSQL');
      progress(
        `instances: ${connections} in flight: ${formatNumber(postgresPerSecond[load])} webhooks/s on ${INSTANCES} × PostgreSQL vs ` +
          `${formatNumber(sqlitePerSecond[load])} on one SQLite (${formatNumber(postgresPerSecond[load] / sqlitePerSecond[load])}×)`,
      );
    }
    notes.push(
      `instances: at ${LIGHT_CONNECTIONS} webhooks in flight (latency-bound on PostgreSQL): ${formatNumber(postgresPerSecond.light)} webhooks/s on ` +
        `${INSTANCES} × PostgreSQL vs ${formatNumber(sqlitePerSecond.light)} on one SQLite (${formatNumber(postgresPerSecond.light / sqlitePerSecond.light)}×)`,
    );

    progress(`instances: webhook to one instance → frame on another, ${latencyRate}/s for ${latencyMs} ms`);
    const latencies = await crossInstanceLatency(instances[0]!.port, instances[1]!.port, { ratePerSecond: latencyRate, durationMs: latencyMs });
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
    progress(`instances: cross-instance latency p50 ${formatNumber(p(0.5))} ms, p99 ${formatNumber(p(0.99))} ms over ${latencies.length} webhooks`);
    return {
      figures: [
        ratioFigure(
          `verified webhooks/s at capacity (${CAPACITY_CONNECTIONS} in flight), ${INSTANCES} instances on PostgreSQL ÷ 1 on SQLite`,
          '/s',
          postgresPerSecond.capacity,
          sqlitePerSecond.capacity,
          goal('ratio', '≥', 0.5),
        ),
        projectFigure('webhook → frame on another instance, p99', 'ms', p(0.99), goal('project', '<', 100)),
      ],
      notes,
      details: { sqlitePerSecond, postgresPerSecond, latencies: { count: latencies.length, p50: p(0.5), p99: p(0.99), max: latencies.at(-1) } },
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end({ timeout: 1 });
  }
};

async function closedLoop(ports: number[], count: number, window: { warmupMs: number; measureMs: number }, notes: string[], label: string): Promise<number> {
  const connections: WebhookConnection[] = [];
  for (let i = 0; i < count; i++) connections.push(...(await openWebhookConnections(ports[i % ports.length]!, 1)));
  const requests = new PrebuiltMeetWebhooks(ports[0]!, 60_000);
  try {
    const { tally, ackedInWindow, measuredMs } = await runClosedLoop(connections, requests.next, window);
    const problems = tally.problems();
    if (problems.length > 0) notes.push(`instances, ${label}, ${count} in flight: not every webhook was acknowledged: ${problems.join('; ')}`);
    return (ackedInWindow * 1000) / measuredMs;
  } finally {
    closeWebhookConnections(connections);
  }
}

/** Milliseconds from sending each webhook to `sendPort` until its frame arrives on `streamPort`'s stream. */
async function crossInstanceLatency(sendPort: number, streamPort: number, pace: { ratePerSecond: number; durationMs: number }): Promise<number[]> {
  const latencies: number[] = [];
  const now = () => performance.timeOrigin + performance.now();
  const stream = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get({ host: '127.0.0.1', port: streamPort, path: '/events', headers: { accept: 'text/event-stream' } }, resolve).on('error', reject),
  );
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    buffer += text;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const sentAt = /"sentAt":([\d.]+)/.exec(frame)?.[1];
      if (sentAt !== undefined) latencies.push(now() - Number(sentAt));
    }
  });
  const connections = await openWebhookConnections(sendPort, 4);
  let index = 1_000_000;
  try {
    await runPaced(connections, () => meetWebhookRequest(sendPort, { index: index++, sentAt: now() }), pace);
    const expected = index - 1_000_000;
    const deadline = Date.now() + 5000;
    while (latencies.length < expected && Date.now() < deadline) await sleep(20);
  } finally {
    closeWebhookConnections(connections);
    stream.destroy();
  }
  return latencies;
}

interface Instance {
  port: number;
  stop(): Promise<void>;
}

/** `node dist/server/main.js` on the shared database, ready once GET /healthz answers. */
async function startInstance(databaseUrl: string): Promise<Instance> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const dir = makeScratchDir('roomwatch-bench-pg-');
  const child = track(
    spawn(process.execPath, [PROJECT_MAIN], {
      cwd: dir,
      env: { PATH: process.env.PATH, SERVER_HOST: '127.0.0.1', SERVER_PORT: String(port), DATABASE_URL: databaseUrl, OV_MEET_API_KEY: MEET_API_KEY, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
  const stop = async () => {
    await stopChild(child);
    removeScratchDir(dir);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`an instance on PostgreSQL exited at start: ${errors}`);
    }
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`an instance on PostgreSQL did not start within 20 s: ${errors}`);
    }
    await sleep(50);
  }
  return { port, stop };
}
