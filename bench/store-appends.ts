// Append throughput of the store itself (no HTTP): webhooks/s with many appends in flight, as a busy
// webhook route makes them. SQLite under a temp dir; PostgreSQL with one instance, then three instances
// (three pools, three tailers) on one fresh database. Every append waits for its commit and for this
// instance's feed to deliver it, as the webhook route does before it answers. Then the time from an append
// on one instance to the feed of another (what that instance's hub publishes).
//
//   node --import tsx bench/store-appends.ts [--seconds=5] [--in-flight=32] [--postgres=postgres://root@127.0.0.1:5432/test]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { projectWebhook } from '../server/domain/projection.js';
import type { NewEvent } from '../server/domain/events.js';
import { openSqliteStore } from '../server/store/sqlite/index.js';
import { openPostgresStore } from '../server/store/postgres/index.js';
import type { Store } from '../server/store/store.js';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]));
const SECONDS = Number(args.seconds ?? 5);
const IN_FLIGHT = Number(args['in-flight'] ?? 32);
const ADMIN_URL = args.postgres ?? 'postgres://root@127.0.0.1:5432/test';

function webhook(n: number): NewEvent {
  const roomId = `room-${n % 500}`;
  const at = Date.now();
  const body = JSON.stringify({ event: n % 2 ? 'meetingStarted' : 'meetingEnded', creationDate: at, data: { roomId, roomName: roomId, status: n % 2 ? 'active_meeting' : 'open' } });
  return { source: 'meet', type: n % 2 ? 'meetingStarted' : 'meetingEnded', createdAt: at, dedupeKey: randomUUID(), roomId, headers: {}, body: Buffer.from(body) };
}

/** Webhooks/s over SECONDS with IN_FLIGHT appends outstanding, spread evenly over `stores`. */
async function measure(stores: Store[]): Promise<{ perSecond: number; p99Ms: number }> {
  let n = 0;
  let done = 0;
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, lane) => {
      const store = stores[lane % stores.length]!;
      while (performance.now() < end) {
        const started = performance.now();
        await store.append([webhook(n++)]);
        latencies.push(performance.now() - started);
        done++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: done / SECONDS, p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

async function onPostgres(instances: number) {
  return withDatabase(async (url) => {
    const stores = [];
    for (let i = 0; i < instances; i++) stores.push(await openPostgresStore(url, { project: projectWebhook, instance: `bench${i}` }));
    try {
      return await measure(stores);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
}

/**
 * Webhook-to-feed latency across instances: one webhook every 20 ms appended on instance A, timed until
 * instance B's feed (what its hub publishes) delivers it. p50 and p99 in ms.
 */
async function crossInstanceLatency(count: number): Promise<{ p50Ms: number; p99Ms: number }> {
  return withDatabase(async (url) => {
    const [a, b] = [await openPostgresStore(url, { project: projectWebhook, instance: 'latency-a' }), await openPostgresStore(url, { project: projectWebhook, instance: 'latency-b' })];
    try {
      const pending = new Map<string, number>();
      const latencies: number[] = [];
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => (done = resolve));
      b.onCommitted((entries) => {
        for (const entry of entries) {
          const started = entry.dedupeKey ? pending.get(entry.dedupeKey) : undefined;
          if (started === undefined) continue;
          latencies.push(performance.now() - started);
          if (latencies.length === count) done();
        }
      });
      for (let i = 0; i < count; i++) {
        const event = webhook(i);
        pending.set(event.dedupeKey, performance.now());
        void a.append([event]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await finished;
      latencies.sort((x, y) => x - y);
      return { p50Ms: latencies[Math.floor(count * 0.5)]!, p99Ms: latencies[Math.floor(count * 0.99)]! };
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

async function withDatabase<T>(use: (url: string) => Promise<T>): Promise<T> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `roomwatch_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await use(url.toString());
  } finally {
    await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function onSqlite() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'roomwatch-bench-'));
  try {
    const store = await openSqliteStore(dataDir, { project: projectWebhook });
    try {
      return await measure([store]);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: [string, { perSecond: number; p99Ms: number }][] = [];
rows.push(['SQLite, 1 instance', await onSqlite()]);
rows.push(['PostgreSQL, 1 instance', await onPostgres(1)]);
rows.push(['PostgreSQL, 3 instances', await onPostgres(3)]);
console.log(`appends of one webhook each, ${IN_FLIGHT} in flight, ${SECONDS} s`);
for (const [label, { perSecond, p99Ms }] of rows) console.log(`${label.padEnd(26)} ${perSecond.toFixed(0).padStart(7)} webhooks/s   p99 ${p99Ms.toFixed(1)} ms`);
const latency = await crossInstanceLatency(500);
console.log(`append on A → B's feed, one webhook per 20 ms: p50 ${latency.p50Ms.toFixed(1)} ms, p99 ${latency.p99Ms.toFixed(1)} ms`);
