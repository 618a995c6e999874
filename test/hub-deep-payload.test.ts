// Stored entries that cannot be re-encoded (JSON.stringify overflows the stack on a body nested ~5 000
// deep) must never stop the stream. Intake refuses such bodies now, but an older store may hold them, so
// they are written straight through the real store, as an older roomwatch would have stored them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { openTestStore } from './helpers/sqlite-store.js';
import type { NewEvent } from '../server/domain/events.js';
import { makeDataDir, startTestServer } from './helpers/server.js';
import { freePort, startServerProcess } from './helpers/process.js';
import { openSse, type SseClient, type SseFrame } from './helpers/sse.js';

/** The body: 6 000 levels, 12 KB. */
const DEEP = '['.repeat(6000) + ']'.repeat(6000);

let counter = 0;
function entry(source: NewEvent['source'], body: string): NewEvent {
  return { source, type: 'unrecognised', createdAt: null, dedupeKey: `deep-test:${++counter}`, roomId: null, headers: {}, body: Buffer.from(body) };
}

/** One deep body per platform that could store one (a LiveSwitch batch element is stored on its own). */
const deepEntries = () => (['openvidu', 'livekit', 'enablex', 'liveswitch'] as const).map((source) => entry(source, DEEP));

const webhookFrames = (frames: SseFrame[]) => frames.filter((f) => f.event === 'webhook');
const idsOf = (frames: SseFrame[]) => frames.map((f) => Number(f.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Waits for the frame with id `seq`, or for the stream to end, and says which came first. */
async function reached(sse: SseClient, seq: number, timeoutMs = 20_000): Promise<void> {
  await sse.waitFor((frames) => sse.closed || frames.some((f) => f.id === String(seq)), timeoutMs);
  assert.ok(frames(sse).some((f) => f.id === String(seq)), `the stream ended before frame ${seq}; the server said:\n${sse.raw().slice(-300)}`);
}
const frames = (sse: SseClient) => sse.frames;

function assertCarriedAsText(frame: SseFrame, source: string): void {
  assert.deepEqual(JSON.parse(frame.data), { source, type: 'unrecognised', roomId: null, payload: DEEP, payloadIsText: true });
}

test('live clients get every frame of a commit that holds deeply nested bodies', async () => {
  const server = await startTestServer();
  try {
    const sse = await openSse(`${server.url}/events`);
    const stored = await server.store.append([entry('openvidu', '{"event":"before"}'), ...deepEntries(), entry('openvidu', '{"event":"after"}')]);
    const seqs = stored.map((outcome) => outcome.seq);
    await sse.waitFor((all) => webhookFrames(all).length === seqs.length);
    const webhooks = webhookFrames(sse.frames);
    assert.deepEqual(idsOf(webhooks), seqs);
    assert.equal(JSON.parse(webhooks[0]!.data).payload.event, 'before');
    webhooks.slice(1, 5).forEach((frame, i) => assertCarriedAsText(frame, ['openvidu', 'livekit', 'enablex', 'liveswitch'][i]!));
    assert.equal(JSON.parse(webhooks[5]!.data).payload.event, 'after');
    sse.close();
  } finally {
    await server.dispose();
  }
});

test('a client resuming across deeply nested bodies gets everything after them, and the process keeps serving it and fresh reconnects', async () => {
  const dataDir = makeDataDir();
  const log = await openTestStore(dataDir);
  // More than one catch-up step before the deep bodies, so they are read in a later step (a timer callback).
  const before = await log.append(Array.from({ length: 600 }, (_, n) => entry('openvidu', `{"event":"participantJoined","n":${n}}`)));
  const deep = await log.append(deepEntries());
  const after = await log.append(Array.from({ length: 10 }, (_, n) => entry('openvidu', `{"event":"participantLeft","n":${n}}`)));
  await log.close();
  const firstDeep = deep[0]!.seq;
  const lastStored = after.at(-1)!.seq;

  const server = await startServerProcess({
    DATA_DIR: dataDir,
    OPENVIDU_WEBHOOK_HEADERS: '[]',
    OV_MEET_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
  });
  try {
    const resuming = await openSse(`${server.url}/events?since=0`);
    await reached(resuming, lastStored);
    assert.deepEqual(idsOf(webhookFrames(resuming.frames)), range(before[0]!.seq, lastStored));
    webhookFrames(resuming.frames)
      .filter((f) => Number(f.id) >= firstDeep && Number(f.id) < firstDeep + 4)
      .forEach((frame, i) => assertCarriedAsText(frame, ['openvidu', 'livekit', 'enablex', 'liveswitch'][i]!));

    // Still serving: a new webhook is stored and reaches the resumed client live.
    const answer = await fetch(`${server.url}/webhook/openvidu`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"sessionCreated","sessionId":"s1"}' });
    assert.equal(answer.status, 200);
    const [marker] = ((await answer.json()) as { stored: number[] }).stored;
    await reached(resuming, marker!);

    // A browser that reconnects from just before the deep bodies, and one that starts over, get it all.
    const reconnecting = await openSse(`${server.url}/events`, { 'last-event-id': String(firstDeep - 1) });
    const fresh = await openSse(`${server.url}/events?since=0`);
    await reached(reconnecting, marker!);
    await reached(fresh, marker!);
    assert.deepEqual(idsOf(webhookFrames(reconnecting.frames)), range(firstDeep, marker!));
    assert.deepEqual(idsOf(webhookFrames(fresh.frames)), range(before[0]!.seq, marker!));
    assert.equal(server.child.exitCode, null, 'the process is alive');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    for (const sse of [resuming, reconnecting, fresh]) sse.close();
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
