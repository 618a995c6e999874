// Two roomwatch instances on one PostgreSQL database form one roomwatch: every stream on either carries
// the same entries with the same ids, a client resumes on the other with Last-Event-ID, and only the
// leader reads the platform's REST API (the other takes over when it stops). Real HTTP, the Meet simulator
// as the platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMeetSimulator } from '../tools/meet-sim/index.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { meetDelivery, meetingStarted, post } from './helpers/meet.js';
import { openSse } from './helpers/sse.js';

const skip = postgresSkipReason;

test('webhooks sent to either of two instances reach every stream on both in one order with the same ids and bytes; a client resumes on the other instance with Last-Event-ID', { skip, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const env = { DATABASE_URL: database.url };
  const [a, b] = [await startTestServer(env), await startTestServer(env)];
  t.after(() => Promise.all([a.dispose(), b.dispose()]));
  const [onA, onB] = await Promise.all([openSse(`${a.url}/events`), openSse(`${b.url}/events`)]);
  t.after(() => [onA, onB].forEach((client) => client.close()));

  const stored: number[] = [];
  for (let i = 0; i < 20; i++) {
    const answers = await Promise.all([post(a.url, meetingStarted()), post(b.url, meetingStarted())]);
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      stored.push(...(answer.json.stored as number[]));
    }
  }
  const last = Math.max(...stored) + 1; // the room row of the last webhook follows it
  const streamed = (client: typeof onA) => client.waitFor((frames) => frames.some((frame) => frame.id === String(last)));
  const [framesA, framesB] = await Promise.all([streamed(onA), streamed(onB)]);
  const entries = (frames: typeof framesA) => frames.filter((frame) => frame.id !== undefined).map((frame) => [frame.id, frame.event, frame.data]);
  assert.deepEqual(entries(framesA), entries(framesB), 'both streams carry the same entries, ids and bytes');
  assert.deepEqual(
    entries(framesA).map(([id]) => Number(id)),
    Array.from({ length: last }, (_, i) => i + 1),
  );
  for (const seq of stored) assert.ok(framesB.some((frame) => frame.id === String(seq)), `webhook ${seq} is on B's stream`);

  // A client of A that saw up to the 10th entry reconnects to B: it gets exactly the rest.
  const resumed = await openSse(`${b.url}/events`, { 'last-event-id': '10' });
  t.after(() => resumed.close());
  const rest = await resumed.waitFor((frames) => frames.some((frame) => frame.id === String(last)));
  assert.deepEqual(
    entries(rest),
    entries(framesA).filter(([id]) => Number(id) > 10),
  );
});

async function reads(server: TestServer): Promise<number> {
  const { values } = await server.metrics.reconcileRuns.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

async function readsReach(server: TestServer, count: number): Promise<void> {
  while ((await reads(server)) < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('of two instances on one database, only the leader reads the REST API; when it stops, the other leads and reads', { skip, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const meet = await startMeetSimulator({ timing: { startMs: 50, stopMs: 50 } });
  t.after(() => meet.stop());
  const env = { DATABASE_URL: database.url, OV_MEET_SERVER_URL: meet.url };
  // The first to open takes the lead before its reconciler starts.
  const leader = await startTestServer(env);
  const follower = await startTestServer(env);
  t.after(() => Promise.all([leader.dispose(), follower.dispose()]));
  assert.ok(leader.store.leadership.isLeader());
  assert.ok(!follower.store.leadership.isLeader());
  await readsReach(leader, 1);

  // A meeting ends (delivered to the follower): both ask for a read in a moment, the follower first (its
  // feed had the webhook before it answered). Once the leader has read, the follower's turn has passed.
  const ended = meetDelivery('meetingEnded', { roomId: 'room-1', roomName: 'room', status: 'open' });
  assert.equal((await post(follower.url, ended)).status, 200);
  await readsReach(leader, 2);
  assert.equal(await reads(follower), 0, 'the follower never read the API');

  await leader.stop();
  await readsReach(follower, 1);
  assert.ok(follower.store.leadership.isLeader());
});
