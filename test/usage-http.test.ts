// GET /api/usage on a real roomwatch (real SQLite store, real HTTP) after real signed webhooks: what a chart
// reads after meetings, a retry and a forged delivery, after a restart, and the 400s a wrong query gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, makeDataDir } from './helpers/server.js';
import { meetDelivery, post, signed } from './helpers/meet.js';
import { manualClock } from './helpers/clock.js';
import type { UsageSeries } from '../server/usage/usage-series.js';

const MINUTE = 60_000;

async function usage(url: string, query: Record<string, string | number>): Promise<{ status: number; body: UsageSeries & { error?: string; message?: string } }> {
  const params = new URLSearchParams(Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]));
  const response = await fetch(`${url}/api/usage?${params.toString()}`);
  return { status: response.status, body: (await response.json()) as never };
}

test('after real webhooks, /api/usage shows the meetings, their minutes and every outcome; a restart keeps what the log holds', async () => {
  // On a minute edge, so each step below lands in a known bucket.
  const clock = manualClock(Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE);
  const first = clock.now();
  const dataDir = makeDataDir();
  let server = await startTestServer({}, dataDir, { now: clock.now });
  const webhook = (event: string, roomId: string) => meetDelivery(event, { roomId, roomName: roomId, status: event === 'meetingStarted' ? 'active_meeting' : 'open' }, { timestamp: clock.now() });
  try {
    const started = webhook('meetingStarted', 'standup');
    assert.equal((await post(server.url, started)).status, 200);
    clock.advance(MINUTE);
    assert.equal((await post(server.url, started)).status, 200); // the platform's retry: a repeat
    assert.equal((await post(server.url, webhook('meetingStarted', 'review'))).status, 200);
    clock.advance(MINUTE);
    assert.equal((await post(server.url, signed('{"event":"meetingEnded"}', clock.now(), 'wrong-key'))).status, 401);
    assert.equal((await post(server.url, webhook('meetingEnded', 'standup'))).status, 200);
    clock.advance(MINUTE);

    const range = { from: first, to: first + 4 * MINUTE, bucket: '1m' };
    const { status, body } = await usage(server.url, range);
    assert.equal(status, 200);
    assert.deepEqual(body.buckets, [first, first + MINUTE, first + 2 * MINUTE, first + 3 * MINUTE]);
    assert.deepEqual(body.webhooks, { stored: [1, 1, 1, 0], repeated: [0, 1, 0, 0], refused: [0, 0, 1, 0] });
    // standup: minutes 0–1 (ended at the start of minute 2); review: from minute 1, still on.
    assert.deepEqual(body.meetings, [1, 2, 1, 1]);
    assert.deepEqual(body.minutesPerDay.bySource.meet?.reduce((a, b) => a + b), 2 + 2);

    await server.stop();
    server = await startTestServer({}, dataDir, { now: clock.now });
    const again = await usage(server.url, range);
    // Stored webhooks and meetings are rebuilt from the log; repeats and refusals were this instance's.
    assert.deepEqual(again.body.meetings, [1, 2, 1, 1]);
    assert.deepEqual(again.body.webhooks, { stored: [1, 1, 1, 0], repeated: [0, 0, 0, 0], refused: [0, 0, 0, 0] });
    assert.equal(again.body.repeatsAndRefusalsSince, clock.now());
  } finally {
    await server.dispose();
  }
});

test('a query /api/usage cannot serve gets a 400 that says what to send', async () => {
  const server = await startTestServer();
  try {
    const tooMany = await usage(server.url, { from: Date.now() - 7 * 86_400_000, bucket: '1m' });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error, 'invalid_query');
    assert.match(tooMany.body.message!, /at most 1500/);
    assert.equal((await usage(server.url, { bucket: 'week' })).status, 400);
    assert.equal((await usage(server.url, { from: 'x' })).status, 400);
    assert.equal((await usage(server.url, {})).status, 200);
  } finally {
    await server.dispose();
  }
});
