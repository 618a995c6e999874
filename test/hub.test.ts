// The live hub on real parts: a real SQLite store, real HTTP streams on 127.0.0.1, a real pino logger
// whose lines the test reads. The store is wrapped only to count what the hub reads from it, or to make
// one read fail the way an unreadable row would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Store } from '../server/store/store.js';
import { LiveHub, type ReplaySource } from '../server/live/hub.js';
import { eventsHandler } from '../server/live/route.js';
import { Metrics } from '../server/metrics.js';
import type { NewEvent } from '../server/domain/events.js';
import { makeDataDir } from './helpers/server.js';
import { openTestStore } from './helpers/sqlite-store.js';
import { entryIds, openSse } from './helpers/sse.js';

interface Harness {
  url: string;
  events: Store;
  hub: LiveHub;
  metrics: Metrics;
  /** Server-side sockets, in the order clients connected. */
  sockets: net.Socket[];
  logLines: () => Record<string, unknown>[];
  dispose(): Promise<void>;
}

/** The store as the hub sees it, with `onRead` told of every list of entries a read returns (and able to throw). */
function observed(store: ReplaySource, onRead: (entries: { seq: number; body: Buffer }[]) => void): ReplaySource {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((entries: unknown) => {
          if (Array.isArray(entries)) onRead(entries as { seq: number; body: Buffer }[]);
          return entries;
        });
      };
    },
  });
}

/** A hub over a real event log, served on a real port; `wrap` may put a counting or failing layer over the store. */
async function startHub({
  maxBufferBytes = 1024 * 1024,
  replayPageSize,
  wrap = (store: ReplaySource) => store,
}: { maxBufferBytes?: number; replayPageSize?: number; wrap?: (store: ReplaySource) => ReplaySource } = {}): Promise<Harness> {
  const dataDir = makeDataDir();
  const events = await openTestStore(dataDir);
  const lines: string[] = [];
  const log = pino(
    { level: 'info', base: undefined },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  const metrics = new Metrics();
  const hub = new LiveHub(wrap(events), { latestSeq: await events.latestSeq(), heartbeatMs: 60_000, retryMs: 1000, maxBufferBytes, replayPageSize, log, metrics });
  events.onCommitted((entries) => hub.publish(entries));
  const sockets: net.Socket[] = [];
  const handler = eventsHandler(hub, { refuse: () => undefined });
  const server = http.createServer((req, res) => void handler(req, res));
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    hub,
    metrics,
    sockets,
    logLines: () => lines.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
    dispose: async () => {
      hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await events.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let counter = 0;
function webhook(body: string | Buffer, source: NewEvent['source'] = 'openvidu'): NewEvent {
  return { source, type: 'sessionCreated', createdAt: null, dedupeKey: `hub-test:${++counter}`, roomId: null, headers: {}, body: Buffer.from(body) };
}

/** Appends `count` webhooks, `perCommit` to a commit; returns their sequence numbers. */
async function appendMany(events: Store, count: number, body: (n: number) => string | Buffer, perCommit = 20): Promise<number[]> {
  const seqs: number[] = [];
  for (let n = 0; n < count; n += perCommit) {
    const batch = Array.from({ length: Math.min(perCommit, count - n) }, (_, i) => webhook(body(n + i)));
    seqs.push(...(await events.append(batch)).map((outcome) => outcome.seq));
  }
  return seqs;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A value of a metric in Prometheus text, e.g. `roomwatch_sse_clients_dropped_total{reason="slow"}`; 0 when absent. */
async function metric(metrics: Metrics, series: string): Promise<number> {
  const { text } = await metrics.scrape();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

test('catch-up reads the store by bytes: a paused client over large events costs one half-cap step, and no row is read twice', async () => {
  const cap = 1024 * 1024;
  const entryBytes = 512 * 1024;
  const reads: { seqs: number[]; bytes: number }[] = [];
  const harness = await startHub({
    maxBufferBytes: cap,
    // Counts what the hub takes out of the store, whichever read method it uses.
    wrap: (store) => observed(store, (entries) => reads.push({ seqs: entries.map((e) => e.seq), bytes: entries.reduce((sum, e) => sum + e.body.length, 0) })),
  });
  try {
    // 96 × 512 KiB = 48 MiB in the store, 48 times the buffer cap.
    const seqs = await appendMany(harness.events, 96, (n) => JSON.stringify({ n, pad: 'x'.repeat(entryBytes - 30) }), 8);

    const chunks: Buffer[] = [];
    let received = 0;
    let resumed = false;
    const response = await new Promise<http.IncomingMessage>((resolve) => http.get(`${harness.url}/events?since=0`, resolve));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > entryBytes && !resumed) response.pause(); // one frame in: stop reading, like a frozen tab
    });
    // The kernel's buffers fill, then the server keeps unsent bytes: the hub now waits for 'drain'.
    await until(() => response.isPaused() && harness.sockets[0]!.writableLength > 0, 'the paused stream has unsent bytes on the server');

    const largest = Math.max(...reads.map((r) => r.bytes));
    assert.ok(largest <= cap / 2 + entryBytes, `one catch-up read took ${largest} bytes from the store; the cap is ${cap}`);
    assert.ok(harness.sockets[0]!.writableLength <= cap / 2 + entryBytes + 1024, 'no more than one step waits in the server');
    const readWhilePaused = reads.reduce((sum, r) => sum + r.bytes, 0);
    assert.ok(readWhilePaused < seqs.length * entryBytes, 'the paused client has not made the server read the whole store');

    // Reading again: every frame arrives, once, in order, and each row was read from the store once.
    resumed = true;
    response.resume();
    const idsReceived = () => [...Buffer.concat(chunks).toString().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    await until(() => received >= seqs.length * entryBytes && idsReceived().at(-1) === seqs.at(-1), 'the client has every frame', 20_000);
    assert.deepEqual(idsReceived(), seqs);
    assert.deepEqual(
      reads.flatMap((r) => r.seqs),
      seqs,
      'each row read from the store once, in order',
    );
    response.destroy();
  } finally {
    await harness.dispose();
  }
});

test('an error while catching up one client closes that client only, logged; live and other resuming clients get everything', async () => {
  const unreadable = 20;
  const harness = await startHub({
    // Small steps, so the failing read happens in a later step (a timer callback, not the request handler).
    replayPageSize: 5,
    wrap: (store) =>
      observed(store, (entries) => {
        if (entries.some((e) => e.seq === unreadable)) throw new Error(`row ${unreadable} cannot be read`);
      }),
  });
  try {
    await appendMany(harness.events, 30, (n) => `{"n":${n}}`, 1);
    const live = await openSse(`${harness.url}/events`);
    const resumingPast = await openSse(`${harness.url}/events?since=${unreadable}`);
    const resumingAcross = await openSse(`${harness.url}/events?since=0`);
    await resumingAcross.waitForClose();
    assert.deepEqual(entryIds(resumingAcross.frames), range(1, unreadable - 5), 'it got what came before the failing step');

    const [marker] = await appendMany(harness.events, 1, () => '{"marker":true}');
    await live.waitFor((frames) => entryIds(frames).includes(marker!));
    await resumingPast.waitFor((frames) => entryIds(frames).includes(marker!));
    assert.deepEqual(entryIds(live.frames), [marker]);
    assert.deepEqual(entryIds(resumingPast.frames), range(unreadable + 1, marker!));
    assert.equal(harness.hub.clientCount, 2);

    const failure = harness.logLines().find((line) => line.msg === 'SSE client closed after an error while streaming to it; it will reconnect and resume');
    assert.ok(failure, 'the failure is logged');
    assert.equal(failure.level, 50);
    assert.match(String((failure.err as { message: string }).message), /row 20 cannot be read/);
    assert.equal(await metric(harness.metrics, 'roomwatch_sse_clients_dropped_total{reason="error"}'), 1);
    live.close();
    resumingPast.close();
  } finally {
    await harness.dispose();
  }
});

test('metrics: frames written count once per client per frame, streams and the replay backlog are read when scraped', async () => {
  const harness = await startHub();
  try {
    await appendMany(harness.events, 5, (n) => `{"n":${n}}`, 5);
    const resuming = await openSse(`${harness.url}/events?since=2`);
    const live = await openSse(`${harness.url}/events`);
    await resuming.waitFor((frames) => entryIds(frames).length === 3);
    const seqs = await appendMany(harness.events, 4, (n) => `{"n":${n}}`, 4);
    harness.hub.broadcast(Buffer.from('event: meet\ndata: {}\n\n'));
    for (const client of [resuming, live]) await client.waitFor((frames) => frames.some((f) => f.event === 'meet'));
    assert.deepEqual(entryIds(live.frames), seqs);
    // 3 replayed + 4 live to each of 2 clients + 1 broadcast to each; the retry hint and heartbeats are not frames.
    assert.equal(await metric(harness.metrics, 'roomwatch_sse_frames_written_total'), 3 + 8 + 2);
    assert.equal(await metric(harness.metrics, 'roomwatch_sse_streams'), 2);
    assert.equal(await metric(harness.metrics, 'roomwatch_sse_replay_backlog'), 0);
    resuming.close();
    live.close();
    await until(() => harness.hub.clientCount === 0, 'the streams are closed');
    assert.equal(await metric(harness.metrics, 'roomwatch_sse_streams'), 0);
  } finally {
    await harness.dispose();
  }
});

test('metrics: a paused catching-up client shows as replay backlog until it has read everything', async () => {
  const harness = await startHub({ maxBufferBytes: 64 * 1024 });
  try {
    const seqs = await appendMany(harness.events, 40, (n) => JSON.stringify({ n, pad: 'y'.repeat(256 * 1024) }), 10);
    const chunks: Buffer[] = [];
    const response = await new Promise<http.IncomingMessage>((resolve) => http.get(`${harness.url}/events?since=0`, resolve));
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.pause();
    await until(() => harness.sockets[0]!.writableLength > 0, 'the paused stream has unsent bytes on the server');
    const backlog = await metric(harness.metrics, 'roomwatch_sse_replay_backlog');
    assert.ok(backlog > 0 && backlog < seqs.length, `backlog ${backlog}`);
    response.resume();
    const lastId = () => [...Buffer.concat(chunks).toString().matchAll(/^id: (\d+)$/gm)].at(-1)?.[1];
    await until(() => lastId() === String(seqs.at(-1)), 'the client has every frame');
    assert.equal(await metric(harness.metrics, 'roomwatch_sse_replay_backlog'), 0);
    response.destroy();
  } finally {
    await harness.dispose();
  }
});

test('metrics: a live client that stops reading is dropped as slow, and counted', async () => {
  const harness = await startHub({ maxBufferBytes: 64 * 1024 });
  try {
    const healthy = await openSse(`${harness.url}/events`);
    const stalled = net.connect(Number(new URL(harness.url).port), '127.0.0.1');
    stalled.on('error', () => {});
    stalled.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
    stalled.pause();
    await until(() => harness.hub.clientCount === 2, 'both streams are open');
    const seqs: number[] = [];
    for (let i = 0; i < 200 && harness.hub.clientCount === 2; i++) {
      seqs.push(...(await appendMany(harness.events, 1, (n) => JSON.stringify({ n, pad: 'z'.repeat(256 * 1024) }))));
    }
    assert.equal(harness.hub.clientCount, 1, 'the stalled client was dropped');
    assert.equal(await metric(harness.metrics, 'roomwatch_sse_clients_dropped_total{reason="slow"}'), 1);
    await healthy.waitFor((frames) => entryIds(frames).at(-1) === seqs.at(-1), 20_000);
    assert.deepEqual(entryIds(healthy.frames), seqs);
    assert.ok(harness.logLines().some((line) => line.msg === 'slow SSE client disconnected; it will reconnect and resume'));
    healthy.close();
    stalled.destroy();
  } finally {
    await harness.dispose();
  }
});

test('a client still catching up when pruning passes its cursor gets resync, never a silent gap', async () => {
  const harness = await startHub({ maxBufferBytes: 64 * 1024 });
  try {
    const seqs = await appendMany(harness.events, 100, (n) => JSON.stringify({ n, pad: 'p'.repeat(128 * 1024) }), 10);
    const chunks: Buffer[] = [];
    const response = await new Promise<http.IncomingMessage>((resolve) => http.get(`${harness.url}/events?since=0`, resolve));
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.pause();
    await until(() => harness.sockets[0]!.writableLength > 0, 'the paused stream has unsent bytes on the server');
    // Retention keeps only the newest 5 webhooks: most of what this client still needs is gone.
    while ((await harness.events.prune({ keep: 5 }, 1000)) > 0);
    response.resume();
    const text = () => Buffer.concat(chunks).toString();
    await until(() => /^event: resync$/m.test(text()), 'the client is told to resync');
    const ids = [...text().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    const resyncAt = text().slice(0, text().search(/^event: resync$/m)).match(/^id: (\d+)$/gm)?.length ?? 0;
    const before = ids.slice(0, resyncAt);
    assert.deepEqual(before, seqs.slice(0, before.length), 'what came before the resync has no gap');
    assert.ok(before.length < seqs.length - 5, 'the client had not reached what was kept');
    response.destroy();
  } finally {
    await harness.dispose();
  }
});
