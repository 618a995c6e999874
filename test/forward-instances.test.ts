// Forwarding with two roomwatch processes on one PostgreSQL database: only the leader delivers, webhooks
// that reached either instance go out in store order, and when the leader is killed with SIGKILL while a
// delivery is in flight and others wait behind it, the other instance takes over from the cursor in the
// database — the target gets everything, in order, and only the delivery in flight comes twice, with the
// same X-Roomwatch-Delivery. The instance that does not deliver shows what the leader recorded, and a
// redelivery asked of it is made by the leader. A target stopped by a 410 Gone is stopped for both, and
// either can resume it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { startServerProcess, type ServerProcess } from './helpers/process.js';
import { meetingStarted, post } from './helpers/meet.js';
import { deliveryIds, startForwardTarget } from './helpers/forward-target.js';
import { eventually } from './helpers/stack.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { openSse } from './helpers/sse.js';
import type { ForwardingOverview } from '../server/forward/api-types.js';

const forwarding = async (instance: Pick<ServerProcess, 'url'>) => (await (await fetch(`${instance.url}/api/forwarding`)).json()) as ForwardingOverview;

test('two instances, the leader killed with deliveries pending: the other leads and the target gets everything in order, only the one in flight repeated', { skip: postgresSkipReason, timeout: 90_000 }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  // Three answered, then the fourth is held open: it is in flight when the leader dies.
  const target = await startForwardTarget((_request, index) => (index < 3 ? 200 : new Promise<number>(() => undefined)));
  t.after(() => target.close());
  const env = { DATABASE_URL: database.url, FORWARD_TO: target.url };

  // The first to start takes the lead (its store waits for its first try at the lock before it listens).
  const leader = await startServerProcess(env);
  t.after(() => void leader.child.kill('SIGKILL'));
  const follower = await startServerProcess(env);
  t.after(() => void follower.child.kill('SIGKILL'));
  assert.equal((await forwarding(leader)).leader, true);
  const standby = await forwarding(follower);
  assert.equal(standby.leader, false);
  assert.equal(standby.targets[0]!.state, 'standby');

  // Webhooks reach both instances; the store orders them, and that is the order the target must see.
  const acknowledged: { seq: number; body: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const delivery = meetingStarted();
    const { status, json } = await post((i % 2 === 0 ? leader : follower).url, delivery);
    assert.equal(status, 200);
    acknowledged.push({ seq: (json.stored as number[])[0]!, body: delivery.body });
  }
  const seqs = acknowledged.map(({ seq }) => seq);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
  );
  await target.waitFor((received) => received.length === 4);
  assert.deepEqual(deliveryIds(target.received), seqs.slice(0, 4), 'the leader delivered in store order, what reached the follower too');

  leader.child.kill('SIGKILL');
  assert.equal(await leader.exited, 'SIGKILL');
  target.answerWith(() => 200);
  const last = seqs.at(-1)!;
  await target.waitFor((received) => received.some((request) => request.delivery === last), 30_000);
  assert.deepEqual(deliveryIds(target.received), [...seqs.slice(0, 4), ...seqs.slice(3)]);
  const bodyOf = new Map(acknowledged.map(({ seq, body }) => [seq, body]));
  for (const request of target.received) assert.equal(request.body, bodyOf.get(request.delivery), `delivery ${request.delivery} carries its webhook`);

  const taken = await eventually(() => forwarding(follower), (status) => status.targets[0]!.backlog === 0 && status.targets[0]!.state === 'idle');
  assert.equal(taken.leader, true);
  // The follower's delivery view reads the same store: the one repeated is delivered, with two attempts.
  const view = (await (await fetch(`${follower.url}/api/forwarding/events/${seqs[3]}`)).json()) as { deliveries: { state: string; lastStatus: number }[] };
  assert.equal(view.deliveries[0]!.state, 'delivered');
  assert.equal(view.deliveries[0]!.lastStatus, 200);
  follower.child.kill('SIGTERM');
  assert.equal(await follower.exited, 0);
});

test('the instance that does not deliver shows a failing target as the leader recorded it (in its API and live to its pages), and a redelivery asked of it is made by the leader', { skip: postgresSkipReason, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  const instances: TestServer[] = [];
  // Hooks run in the order they were added: the instances stop before their database goes.
  t.after(async () => {
    await Promise.all(instances.map((instance) => instance.dispose()));
    await database.drop();
  });
  let healthy = false;
  const target = await startForwardTarget(() => (healthy ? 200 : 503));
  t.after(() => target.close());
  const env = { DATABASE_URL: database.url, FORWARD_TO: target.url };
  const leader = await startTestServer(env, undefined, { forwardBackoff: { firstMs: 50, maxMs: 200 } });
  instances.push(leader);
  const follower = await startTestServer(env);
  instances.push(follower);
  assert.ok(leader.store.leadership.isLeader() && !follower.store.leadership.isLeader());

  // A page open on the follower: its header hears of the failure and of the recovery, live.
  const page = await openSse(`${follower.url}/events`);
  t.after(() => page.close());
  const frames = () => page.frames.filter((frame) => frame.event === 'forwarding').map((frame) => (JSON.parse(frame.data) as ForwardingOverview).failing);

  const { json } = await post(follower.url, meetingStarted());
  const seq = (json.stored as number[])[0]!;
  await target.waitFor((received) => received.length >= 1);
  await page.waitFor(() => frames().includes(true));
  const failing = await eventually(() => forwarding(follower), (status) => status.targets[0]!.state === 'failing');
  assert.equal(failing.leader, false);
  assert.equal(failing.failing, true, 'the page on the follower warns too');
  assert.equal(failing.targets[0]!.headSeq, seq);
  assert.match(failing.targets[0]!.lastError!, /503/);

  healthy = true;
  await page.waitFor(() => frames().at(-1) === false);
  await eventually(() => forwarding(follower), (status) => status.targets[0]!.state === 'standby' && status.targets[0]!.backlog === 0);
  const delivered = target.received.length;
  const asked = await fetch(`${follower.url}/api/forwarding/redeliver/${seq}`, { method: 'POST' });
  assert.equal(asked.status, 202);
  await target.waitFor((received) => received.length === delivered + 1);
  assert.equal(target.received.at(-1)!.delivery, seq);
});

test('a target stopped by 410 Gone on the leader is shown stopped by the other instance, stays stopped when that one takes over, and a Resume asked of it sends again', { skip: postgresSkipReason, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  const instances: TestServer[] = [];
  // Hooks run in the order they were added: the instances stop before their database goes.
  t.after(async () => {
    await Promise.all(instances.map((instance) => instance.dispose()));
    await database.drop();
  });
  let alive = false;
  const gone = await startForwardTarget(() => (alive ? 200 : 410), '/gone');
  t.after(() => gone.close());
  // Gets everything: its arrival of a webhook is the marker that the new leader has taken care of it.
  const other = await startForwardTarget(() => 200, '/other');
  t.after(() => other.close());
  const env = { DATABASE_URL: database.url, FORWARD_TO: `${gone.url},${other.url}` };
  const leader = await startTestServer(env);
  instances.push(leader);
  const follower = await startTestServer(env);
  instances.push(follower);
  assert.ok(leader.store.leadership.isLeader() && !follower.store.leadership.isLeader());

  const refused = (await post(follower.url, meetingStarted())).json.stored as number[];
  await gone.waitFor((received) => received.length === 1);
  const seen = await eventually(() => forwarding(follower), (status) => status.targets[0]!.state === 'stopped');
  assert.equal(seen.leader, false);
  assert.equal(seen.failing, true, 'the page on the follower warns too');
  assert.match(seen.targets[0]!.lastError!, /410 Gone/);

  // The leader goes; the follower leads, and keeps the target stopped.
  instances.splice(instances.indexOf(leader), 1);
  await leader.dispose();
  await eventually(() => forwarding(follower), (status) => status.leader, 15_000);
  const later = (await post(follower.url, meetingStarted())).json.stored as number[];
  await other.waitFor((received) => received.some((request) => request.delivery === later[0]));
  assert.deepEqual(deliveryIds(gone.received), refused, 'nothing sent to it by the new leader');
  assert.equal((await forwarding(follower)).targets[0]!.state, 'stopped');

  alive = true;
  assert.equal((await fetch(`${follower.url}/api/forwarding/targets/1/resume`, { method: 'POST' })).status, 202);
  await gone.waitFor((received) => received.some((request) => request.delivery === later[0]));
  assert.deepEqual(deliveryIds(gone.received), [...refused, ...refused, ...later]);
});
