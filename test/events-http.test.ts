import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { health, makeDataDir, startTestServer, type TestServer } from './helpers/server.js';
import { meetingStarted, post, signed } from './helpers/meet.js';
import { entryIds, eventFrames, ids, openSse, type SseFrame } from './helpers/sse.js';
import { eventually } from './helpers/stack.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.dispose());

async function postMany(count: number, concurrency = 8): Promise<number[]> {
  const seqs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const answer = await post(server.url, meetingStarted());
        assert.equal(answer.status, 200);
        seqs.push(...(answer.json.stored as number[]));
      }
    }),
  );
  return seqs.sort((a, b) => a - b);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** The resync frame among what arrived (the Meet API status may be announced too). */
const resyncIn = (frames: SseFrame[]) => frames.find((frame) => frame.event === 'resync');

test('the stream has the SSE headers, a retry hint, and proxy-proof caching rules', async () => {
  const sse = await openSse(`${server.url}/events`);
  assert.equal(sse.status, 200);
  assert.equal(sse.headers['content-type'], 'text/event-stream; charset=utf-8');
  assert.equal(sse.headers['cache-control'], 'no-cache, no-transform');
  assert.equal(sse.headers['x-accel-buffering'], 'no');
  await sse.waitFor(() => /^retry: \d+\n\n/.test(sse.raw()));
  sse.close();
});

test('Last-Event-ID resumes right after that id, then continues live', async () => {
  const seqs = await postMany(5, 1);
  const sse = await openSse(`${server.url}/events`, { 'last-event-id': String(seqs[1]) });
  await sse.waitFor((frames) => ids(frames).length === 3);
  const [live] = await postMany(1);
  await sse.waitFor((frames) => ids(frames).includes(live!));
  assert.deepEqual(ids(sse.frames), [...seqs.slice(2), live]);
  sse.close();
});

test('?since= resumes on a first connect, and Last-Event-ID wins over it', async () => {
  const seqs = await postMany(3, 1);
  const first = await openSse(`${server.url}/events?since=${seqs[0]}`);
  await first.waitFor((frames) => ids(frames).length === 2);
  assert.deepEqual(ids(first.frames), seqs.slice(1));
  const reconnect = await openSse(`${server.url}/events?since=${seqs[0]}`, { 'last-event-id': String(seqs[1]) });
  await reconnect.waitFor((frames) => ids(frames).length === 1);
  assert.deepEqual(ids(reconnect.frames), [seqs[2]]);
  first.close();
  reconnect.close();
});

test('replayed frames are byte-identical to the live ones', async () => {
  const live = await openSse(`${server.url}/events`);
  const [seq] = await postMany(1);
  await live.waitFor((frames) => ids(frames).includes(seq!));
  const replay = await openSse(`${server.url}/events?since=${seq! - 1}`);
  await replay.waitFor((frames) => ids(frames).includes(seq!));
  const frameOf = (raw: string) => raw.slice(raw.indexOf(`id: ${seq}\n`)).split('\n\n')[0];
  assert.equal(frameOf(replay.raw()), frameOf(live.raw()));
  live.close();
  replay.close();
});

test('clients resuming while events keep arriving get every event once, in order, across the replay/live boundary', async () => {
  // More than one replay page (500) so catch-up is still running when live events arrive.
  const before = await postMany(1200, 16);
  const firstSeq = before[0]! - 1;
  let posting = true;
  let lastPosted = before.at(-1)!;
  const poster = (async () => {
    while (posting) lastPosted = Math.max(lastPosted, ...(await postMany(4, 4)));
  })();
  const cursors = [firstSeq, firstSeq + 300, firstSeq + 999, before.at(-1)!];
  const clients = [];
  for (const cursor of cursors) {
    const postedBeforeConnect = lastPosted;
    clients.push({ cursor, postedBeforeConnect, sse: await openSse(`${server.url}/events?since=${cursor}`) });
  }
  // Posting goes on until each client has an event posted after it connected: each one went from
  // replay to live while events kept arriving.
  for (const { postedBeforeConnect, sse } of clients) {
    await sse.waitFor((frames) => entryIds(frames).some((id) => id > postedBeforeConnect), 15_000);
  }
  posting = false;
  await poster;
  // Every entry (webhooks and the row changes they caused) exactly once, in order.
  const { latestSeq } = await health(server.url);
  for (const { cursor, sse } of clients) {
    await sse.waitFor((frames) => entryIds(frames).at(-1) === latestSeq, 15_000);
    assert.deepEqual(entryIds(sse.frames), range(cursor + 1, latestSeq), `client resuming after ${cursor}`);
    sse.close();
  }
});

test('a cursor ahead of the store gets one resync frame, then live events', async () => {
  const { latestSeq } = await health(server.url);
  const sse = await openSse(`${server.url}/events`, { 'last-event-id': String(latestSeq + 1000) });
  const resync = resyncIn(await sse.waitFor((frames) => resyncIn(frames) !== undefined));
  assert.equal(resync!.id, String(latestSeq));
  assert.equal(JSON.parse(resync!.data).latestSeq, latestSeq);
  const [live] = await postMany(1);
  await sse.waitFor((frames) => ids(frames).includes(live!));
  assert.deepEqual(ids(sse.frames), [live]);
  assert.equal(sse.frames.filter((frame) => frame.event === 'resync').length, 1, 'one resync frame');
  sse.close();
});

test('a cursor from a wiped and refilled store gets resync, by the epoch the page streams with', async () => {
  const dataDir = makeDataDir();
  const state = async (url: string) => (await (await fetch(`${url}/api/state`)).json()) as { seq: number; epoch: string };
  const first = await startTestServer({}, dataDir);
  for (let i = 0; i < 2; i++) assert.equal((await post(first.url, meetingStarted())).status, 200);
  const before = await state(first.url);
  await first.stop();
  rmSync(dataDir, { recursive: true, force: true });
  // Same place, new store: its numbers pass the old cursor, so only the epoch tells them apart.
  const refilled = await startTestServer({}, dataDir);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await post(refilled.url, meetingStarted())).status, 200);
    const now = await state(refilled.url);
    assert.notEqual(now.epoch, before.epoch);
    assert.ok(now.seq > before.seq);

    const stale = await openSse(`${refilled.url}/events?${new URLSearchParams({ since: String(before.seq), epoch: before.epoch })}`);
    const resync = resyncIn(await stale.waitFor((frames) => resyncIn(frames) !== undefined));
    assert.equal(resync!.id, String(now.seq));
    assert.deepEqual(entryIds(stale.frames), [], 'nothing of the new store is passed off as what the old cursor missed');
    // The browser's own reconnect: the same URL, with the last id it saw.
    const reconnect = await openSse(`${refilled.url}/events?${new URLSearchParams({ since: '0', epoch: before.epoch })}`, { 'last-event-id': String(before.seq) });
    await reconnect.waitFor((frames) => resyncIn(frames) !== undefined);

    const current = await openSse(`${refilled.url}/events?${new URLSearchParams({ since: String(before.seq), epoch: now.epoch })}`);
    await current.waitFor((frames) => entryIds(frames).includes(now.seq));
    assert.deepEqual(entryIds(current.frames), range(before.seq + 1, now.seq));
    assert.equal(resyncIn(current.frames), undefined);
    for (const sse of [stale, reconnect, current]) sse.close();
  } finally {
    await refilled.dispose();
  }
});

test('a cursor ahead of the store gets resync with the right epoch too', async () => {
  const { seq, epoch } = (await (await fetch(`${server.url}/api/state`)).json()) as { seq: number; epoch: string };
  const sse = await openSse(`${server.url}/events?${new URLSearchParams({ since: String(seq + 5), epoch })}`);
  const resync = resyncIn(await sse.waitFor((frames) => resyncIn(frames) !== undefined));
  assert.equal(JSON.parse(resync!.data).reason, 'cursor is ahead of the store');
  sse.close();
});

test('an id this server never issued gets a resync frame', async () => {
  const sse = await openSse(`${server.url}/events`, { 'last-event-id': 'abc-7' });
  const frame = resyncIn(await sse.waitFor((frames) => resyncIn(frames) !== undefined));
  assert.equal(frame!.id, String((await health(server.url)).latestSeq));
  sse.close();
});

test('a malformed ?since= is a 400 that says what is expected', async () => {
  const response = await fetch(`${server.url}/events?since=yesterday`);
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as { message: string }).message, /sequence number/);
});

test('a cursor older than what the store keeps gets a resync frame', async () => {
  const own = await startTestServer();
  try {
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push(...((await post(own.url, meetingStarted())).json.stored as number[]));
    await own.store.prune({ keep: 2 }, 5000);
    const { latestSeq } = await health(own.url);
    const sse = await openSse(`${own.url}/events?since=1`);
    const frame = resyncIn(await sse.waitFor((frames) => resyncIn(frames) !== undefined));
    assert.equal(frame!.id, String(latestSeq));
    // Resuming exactly at the pruning boundary is still complete, so it is served normally.
    const boundary = await openSse(`${own.url}/events?since=${await own.store.prunedThrough()}`);
    await boundary.waitFor((frames) => ids(frames).length === 2);
    assert.deepEqual(ids(boundary.frames), seqs.slice(3));
    sse.close();
    boundary.close();
  } finally {
    await own.dispose();
  }
});

test('idle streams get comment heartbeats', async () => {
  const own = await startTestServer({ SSE_HEARTBEAT_MS: '150' });
  try {
    const sse = await openSse(`${own.url}/events`);
    // Three heartbeats at 150 ms come within ~450 ms; a loaded machine gets up to 5 s before this fails.
    await sse.waitFor(() => sse.comments >= 3);
    assert.match(sse.raw(), /(^|\n\n):\n\n/, 'a heartbeat is a comment line of its own');
    // A heartbeat is no frame: the only frames an idle stream may carry say whether the Meet API answers.
    assert.deepEqual(sse.frames.filter((frame) => frame.event !== 'meet'), []);
    sse.close();
  } finally {
    await own.dispose();
  }
});

test('a client that stops reading is disconnected once its buffer passes the cap; the others get everything', async () => {
  const own = await startTestServer({ SSE_MAX_BUFFER_BYTES: String(256 * 1024) });
  try {
    const healthy = await openSse(`${own.url}/events`);
    const stalled = net.connect(Number(new URL(own.url).port), '127.0.0.1');
    stalled.write('GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n');
    stalled.pause(); // never reads: the kernel buffers fill, then the server's
    let stalledClosed = false;
    stalled.on('close', () => (stalledClosed = true));
    stalled.on('error', () => {});
    await eventually(() => health(own.url), ({ sseClients }) => sseClients === 2);

    const seqs: number[] = [];
    const pad = 'x'.repeat(400 * 1024);
    for (let i = 0; i < 60 && (await health(own.url)).sseClients > 1; i++) {
      const ts = Date.now();
      const body = JSON.stringify({ event: 'recordingUpdated', creationDate: ts, data: { roomId: `big-${i}`, pad } });
      const answer = await post(own.url, signed(body, ts));
      seqs.push(...(answer.json.stored as number[]));
    }
    assert.equal((await health(own.url)).sseClients, 1, 'the stalled client was dropped');
    await healthy.waitFor((frames) => ids(frames).length === seqs.length, 15_000);
    assert.deepEqual(ids(healthy.frames), seqs);
    stalled.resume();
    if (!stalledClosed) await once(stalled, 'close', { signal: AbortSignal.timeout(5000) });
    healthy.close();
  } finally {
    await own.dispose();
  }
});

test('closed clients leave nothing behind', async () => {
  const baseline = (await health(server.url)).sseClients;
  const clients = await Promise.all(Array.from({ length: 20 }, () => openSse(`${server.url}/events`)));
  assert.equal((await health(server.url)).sseClients, baseline + 20);
  clients.forEach((client) => client.close());
  await eventually(() => health(server.url), ({ sseClients }) => sseClients === baseline);
  // And a publish after they left reaches the ones still there without error.
  const sse = await openSse(`${server.url}/events`);
  const [seq] = await postMany(1);
  await sse.waitFor((frames) => eventFrames(frames).some((f) => f.id === String(seq)));
  sse.close();
});
