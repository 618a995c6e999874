// Two roomwatch instances on one PostgreSQL database: only the leader reads the platform's REST API, and
// when it stops, the other takes over and reads. Real HTTP, the Meet simulator as the platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMeetSimulator } from '../tools/meet-sim/index.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { meetDelivery, post } from './helpers/meet.js';

const skip = postgresSkipReason;

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
