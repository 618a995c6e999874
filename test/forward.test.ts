// Forwarding to the user's apps, over real HTTP: a real roomwatch (SQLite file, or PostgreSQL for the tests
// declared on both backends; 127.0.0.1:0) and real targets that keep what they get. What is asserted is what the app behind roomwatch sees: which
// deliveries, in which order, how often; and what the dashboard's API says about them.
import { test, type TestContext } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/server.js';
import { MEET_KEY, meetDelivery, meetingStarted, post, type Delivery } from './helpers/meet.js';
import { deliveryIds, startForwardTarget, type ForwardTarget, type ReceivedDelivery } from './helpers/forward-target.js';
import { eventually } from './helpers/stack.js';
import { meetTutorialAccepts } from './helpers/downstream-verifiers.js';
import { manualClock } from './helpers/clock.js';
import type { RoomwatchOptions } from '../server/roomwatch.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import { makeDataDir } from './helpers/server.js';
import type { DeliveryView, ForwardingOverview } from '../server/forward/api-types.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';

/** Short retry delays: the order and count of deliveries are what is tested, not the waits. */
const FAST_RETRIES: RoomwatchOptions = { forwardBackoff: { firstMs: 20, maxMs: 100 } };

/**
 * Declares a test twice: on the SQLite store, and on PostgreSQL (a database of its own, dropped after);
 * `backend` is the settings that choose it.
 */
function onBothBackends(name: string, body: (t: TestContext, backend: Record<string, string>) => Promise<void>): void {
  test(name, (t) => body(t, {}));
  test(`${name} (PostgreSQL)`, { skip: postgresSkipReason, timeout: 60_000 }, async (t) => {
    const database = await createTestDatabase();
    try {
      await body(t, { DATABASE_URL: database.url });
    } finally {
      // Hooks run in the order they were added: the database goes after the roomwatch the body started.
      t.after(() => database.drop());
    }
  });
}

async function targetFor(t: TestContext, ...args: Parameters<typeof startForwardTarget>): Promise<ForwardTarget> {
  const target = await startForwardTarget(...args);
  t.after(() => target.close());
  return target;
}

async function roomwatchFor(t: TestContext, env: Record<string, string>, options: RoomwatchOptions = FAST_RETRIES): Promise<TestServer> {
  const server = await startTestServer(env, undefined, options);
  t.after(() => server.dispose());
  return server;
}

/** Posts a delivery to roomwatch; returns the seq it was stored as (or repeated). */
async function store(server: TestServer, delivery: Delivery = meetingStarted()): Promise<number> {
  const { status, json } = await post(server.url, delivery);
  assert.equal(status, 200);
  const { stored, repeated } = json as { stored: number[]; repeated: number[] };
  return stored[0] ?? repeated[0]!;
}

const forwarding = async (server: TestServer) => (await (await fetch(`${server.url}/api/forwarding`)).json()) as ForwardingOverview;
const deliveries = async (server: TestServer, seq: number) =>
  ((await (await fetch(`${server.url}/api/forwarding/events/${seq}`)).json()) as { deliveries: DeliveryView[] }).deliveries;

const successes = (received: ReceivedDelivery[], statuses: number[]) => received.filter((_, i) => statuses[i] === 200);

onBothBackends('every stored webhook reaches the target once, in store order, byte for byte, signed as Meet signs', async (t, backend) => {
  const target = await targetFor(t);
  const server = await roomwatchFor(t, { ...backend, FORWARD_TO: target.url });
  const sent = Array.from({ length: 12 }, () => meetingStarted());
  // Posted at once: the store decides the order, and the target must see that order.
  const seqs = await Promise.all(sent.map((delivery) => store(server, delivery)));
  const bodyOf = new Map(seqs.map((seq, i) => [seq, sent[i]!.body]));
  const ordered = [...seqs].sort((a, b) => a - b);
  await target.waitFor((received) => received.length >= seqs.length);
  assert.deepEqual(deliveryIds(target.received), ordered);
  for (const request of target.received) {
    assert.equal(request.body, bodyOf.get(request.delivery), `delivery ${request.delivery} carries the body Meet sent`);
    assert.ok(meetTutorialAccepts(request, MEET_KEY), `the Meet tutorial accepts delivery ${request.delivery}`);
    assert.notEqual(request.headers['x-signature'], JSON.parse(request.body).creationDate, 'a new signature');
  }
  const status = await eventually(() => forwarding(server), (s) => s.targets[0]!.backlog === 0 && s.targets[0]!.lastSuccessAt !== null);
  assert.equal(status.failing, false);
  assert.equal(status.targets[0]!.label, target.url);
});

onBothBackends('a target answering 503 for a while gets everything once, in order, when it comes back; the API says it is failing meanwhile', async (t, backend) => {
  const statuses: number[] = [];
  let healthy = false;
  const target = await targetFor(t, () => {
    const status = healthy ? 200 : 503;
    statuses.push(status);
    return status;
  });
  const server = await roomwatchFor(t, { ...backend, FORWARD_TO: target.url });
  const seqs: number[] = [];
  for (let i = 0; i < 5; i++) seqs.push(await store(server));
  await target.waitFor((received) => received.length >= 3);
  const failing = await eventually(() => forwarding(server), (s) => s.targets[0]!.state === 'failing');
  assert.equal(failing.failing, true);
  assert.match(failing.targets[0]!.lastError!, /503/);
  assert.equal(failing.targets[0]!.backlog, 5);
  assert.equal(failing.targets[0]!.headSeq, seqs[0]);
  const pending = (await deliveries(server, seqs[0]!))[0]!;
  assert.equal(pending.state, 'pending');
  assert.ok(pending.attempts >= 1 && pending.nextTryAt !== null && pending.lastStatus === 503, JSON.stringify(pending));
  // All tries so far were at the head: nothing behind it jumped the queue.
  assert.ok(target.received.every((request) => request.delivery === seqs[0]));

  healthy = true;
  await target.waitFor((received) => successes(received, statuses).length >= seqs.length);
  assert.deepEqual(deliveryIds(successes(target.received, statuses)), seqs);
  const recovered = await eventually(() => forwarding(server), (s) => s.targets[0]!.state === 'idle' && s.targets[0]!.backlog === 0);
  assert.equal(recovered.failing, false);
  const delivered = (await deliveries(server, seqs[0]!))[0]!;
  assert.equal(delivered.state, 'delivered');
  assert.equal(delivered.lastStatus, 200);
  assert.ok(delivered.attempts > 1 && delivered.lastLatencyMs !== null);
  // Those behind the head went as a backlog draining: their rows (status, latency) reach the store in a
  // batch, by the time the queue is idle, and the inspector reads them from there on every instance.
  const rows = await eventually(
    () => Promise.all(seqs.map((seq) => server.store.forwarding.attempt(target.url, seq))),
    (list) => list.every((row) => row?.state === 'delivered'),
  );
  assert.ok(rows.every((row) => row!.lastStatus === 200 && row!.lastLatencyMs !== undefined), JSON.stringify(rows));
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, new RegExp(`roomwatch_forward_deliveries_total\\{target="${target.url}",outcome="delivered"\\} 5`));
  assert.match(metrics, new RegExp(`roomwatch_forward_deliveries_total\\{target="${target.url}",outcome="retry"\\} [1-9]`));
  assert.match(metrics, new RegExp(`roomwatch_forward_backlog\\{target="${target.url}"\\} 0`));
});

onBothBackends("a platform's retry of a stored webhook is not forwarded again", async (t, backend) => {
  const target = await targetFor(t);
  const server = await roomwatchFor(t, { ...backend, FORWARD_TO: target.url });
  const delivery = meetingStarted();
  const first = await store(server, delivery);
  assert.equal(await store(server, delivery), first, 'the retry is a repeat of the stored webhook');
  const marker = await store(server);
  await target.waitFor((received) => received.some((request) => request.delivery === marker));
  assert.deepEqual(deliveryIds(target.received), [first, marker]);
});

test('a slow target delays neither the webhook answers nor the other targets', async (t) => {
  let release!: () => void;
  const released = new Promise<number>((resolve) => (release = () => resolve(200)));
  const slow = await targetFor(t, (_request, index) => (index === 0 ? released : 200), '/slow');
  t.after(() => release());
  const quick = await targetFor(t, () => 200, '/quick');
  const server = await roomwatchFor(t, { FORWARD_TO: `${slow.url},${quick.url}`, FORWARD_TIMEOUT_MS: '120000' });
  const first = await store(server);
  await slow.waitFor((received) => received.length === 1);
  // The slow target holds its first delivery: webhooks are still answered, and the quick target gets them.
  const later = [await store(server), await store(server), await store(server)];
  await quick.waitFor((received) => received.length === 4);
  assert.deepEqual(deliveryIds(quick.received), [first, ...later]);
  assert.deepEqual(deliveryIds(slow.received), [first], 'the slow target is still on its first');
  release();
  await slow.waitFor((received) => received.length === 4);
  assert.deepEqual(deliveryIds(slow.received), [first, ...later]);
});

onBothBackends('410 Gone stops that target, says so, and leaves the others running; Resume sends to it again', async (t, backend) => {
  let alive = false;
  const gone = await targetFor(t, () => (alive ? 200 : 410), '/gone');
  const other = await targetFor(t, () => 200, '/other');
  const server = await roomwatchFor(t, { ...backend, FORWARD_TO: `${gone.url},${other.url}` });
  const first = await store(server);
  await gone.waitFor((received) => received.length === 1);
  const status = await eventually(() => forwarding(server), (s) => s.targets[0]!.state === 'stopped');
  assert.equal(status.failing, true);
  assert.match(status.targets[0]!.lastError!, /410 Gone/);
  const marker = await store(server);
  await other.waitFor((received) => received.some((request) => request.delivery === marker));
  assert.deepEqual(deliveryIds(gone.received), [first], 'nothing after the 410');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /roomwatch_forward_deliveries_total\{target="[^"]*\/gone",outcome="gone"\} 1/);

  // Resumed: the refused webhook first, then what came meanwhile, in order.
  alive = true;
  const resume = (index: number) => fetch(`${server.url}/api/forwarding/targets/${index}/resume`, { method: 'POST' });
  assert.equal((await resume(1)).status, 202);
  await gone.waitFor((received) => received.some((request) => request.delivery === marker));
  assert.deepEqual(deliveryIds(gone.received), [first, first, marker]);
  await eventually(() => forwarding(server), (s) => !s.failing && s.targets[0]!.state === 'idle');
  const again = await resume(1);
  assert.equal(again.status, 409, 'a target that is not stopped has nothing to resume');
  assert.equal(((await again.json()) as { error: string }).error, 'not_stopped');
  assert.equal((await resume(3)).status, 404);
});

test('filters: each target gets only the platforms and events it lists', async (t) => {
  const endsOnly = await targetFor(t, () => 200, '/ends');
  const everything = await targetFor(t, () => 200, '/all');
  const server = await roomwatchFor(t, {
    FORWARD_TO: JSON.stringify([{ url: endsOnly.url, sources: ['meet'], events: ['meetingEnded'] }, { url: everything.url }]),
  });
  const started = await store(server, meetingStarted('room_a-k3j9x0q2m7a1b4c'));
  const ended = await store(server, meetDelivery('meetingEnded', { roomId: 'room_a-k3j9x0q2m7a1b4c', roomName: 'room', status: 'closed' }));
  const recording = await store(server, meetDelivery('recordingStarted', { recordingId: 'room_a-k3j9x0q2m7a1b4c--EG_x--a1b2', roomId: 'room_a-k3j9x0q2m7a1b4c', status: 'active' }));
  const endedAgain = await store(server, meetDelivery('meetingEnded', { roomId: 'room_b-k3j9x0q2m7a1b4c', roomName: 'room', status: 'closed' }));
  await everything.waitFor((received) => received.length === 4);
  await endsOnly.waitFor((received) => received.some((request) => request.delivery === endedAgain));
  assert.deepEqual(deliveryIds(endsOnly.received), [ended, endedAgain]);
  assert.deepEqual(deliveryIds(everything.received), [started, ended, recording, endedAgain]);
  const views = await deliveries(server, started);
  assert.deepEqual(
    views.map((view) => view.state),
    ['not-wanted', 'delivered'],
  );
});

test('redeliver sends one stored webhook again, with its delivery id, to the target named or to all', async (t) => {
  const first = await targetFor(t, () => 200, '/one');
  const second = await targetFor(t, () => 200, '/two');
  const server = await roomwatchFor(t, { FORWARD_TO: `${first.url},${second.url}` });
  const seq = await store(server);
  await first.waitFor((received) => received.length === 1);
  await second.waitFor((received) => received.length === 1);
  const one = await fetch(`${server.url}/api/forwarding/redeliver/${seq}?target=2`, { method: 'POST' });
  assert.equal(one.status, 202);
  assert.deepEqual(await one.json(), { seq, queued: [2] });
  await second.waitFor((received) => received.length === 2);
  assert.deepEqual(deliveryIds(second.received), [seq, seq]);
  const all = await fetch(`${server.url}/api/forwarding/redeliver/${seq}`, { method: 'POST' });
  assert.equal(all.status, 202);
  await first.waitFor((received) => received.length === 2);
  await second.waitFor((received) => received.length === 3);
  assert.equal((await fetch(`${server.url}/api/forwarding/redeliver/999999`, { method: 'POST' })).status, 404);
  assert.equal((await fetch(`${server.url}/api/forwarding/redeliver/${seq}?target=7`, { method: 'POST' })).status, 404);
  const views = await eventually(() => deliveries(server, seq), (list) => list.every((view) => view.state === 'delivered'));
  assert.ok(views.every((view) => view.redelivery));
});

onBothBackends('pruning keeps the webhooks a target has still to get, and they arrive once it is back', async (t, backend) => {
  let healthy = false;
  const statuses: number[] = [];
  const target = await targetFor(t, () => {
    statuses.push(healthy ? 200 : 503);
    return statuses.at(-1)!;
  });
  const server = await roomwatchFor(t, { ...backend, FORWARD_TO: target.url, EVENT_RETENTION: '1' });
  const seqs: number[] = [];
  for (let i = 0; i < 4; i++) seqs.push(await store(server));
  await target.waitFor((received) => received.length >= 1);
  const report = await server.pruneNow();
  assert.equal(report.events, 0, 'nothing pending was pruned');
  healthy = true;
  await target.waitFor((received) => successes(received, statuses).length === 4);
  assert.deepEqual(deliveryIds(successes(target.received, statuses)), seqs);
  // Delivered: now retention applies again.
  assert.ok((await server.pruneNow()).events > 0);
});

test('a delivery not made within FORWARD_MAX_AGE is given up, shown as failed, and the queue moves on', async (t) => {
  const clock = manualClock();
  let healthy = false;
  const target = await targetFor(t, () => (healthy ? 200 : 503));
  const server = await roomwatchFor(t, { FORWARD_TO: target.url, FORWARD_MAX_AGE: '1h' }, { ...FAST_RETRIES, now: clock.now });
  const old = await store(server, meetingStarted(undefined, clock.now()));
  await target.waitFor((received) => received.length >= 1);
  clock.advance(3_600_000);
  healthy = true;
  const marker = await store(server, meetingStarted(undefined, clock.now()));
  await target.waitFor((received) => received.some((request) => request.delivery === marker));
  const [view] = await deliveries(server, old);
  assert.equal(view!.state, 'failed');
  assert.match(view!.lastError!, /not delivered within FORWARD_MAX_AGE \(1 h\); last: answered 503/);
  assert.ok(target.received.filter((request) => request.delivery === old).length >= 1);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /outcome="failed"\} 1/);
});

test('without FORWARD_TO the API says forwarding is off, and redeliver is refused', async (t) => {
  const server = await roomwatchFor(t, {});
  const seq = await store(server);
  assert.deepEqual(await forwarding(server), { enabled: false, leader: true, targets: [], failing: false });
  assert.equal((await fetch(`${server.url}/api/forwarding/redeliver/${seq}`, { method: 'POST' })).status, 409);
});

test('a webhook whose platform is no longer configured is marked failed at once, and the queue goes on', async (t) => {
  let healthy = false;
  const target = await targetFor(t, () => (healthy ? 200 : 503));
  const dataDir = makeDataDir();
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const livekit = { LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'a-livekit-secret-of-32-characters!' };
  const before = await startTestServer({ FORWARD_TO: target.url, ...livekit }, dataDir, FAST_RETRIES);
  const body = `{"event":"room_started","id":"EV_orphan","createdAt":"${Math.floor(Date.now() / 1000)}","room":{"sid":"RM_o","name":"standup"}}`;
  const authorization = await signLiveKitWebhook({ key: livekit.LIVEKIT_API_KEY, secret: livekit.LIVEKIT_API_SECRET }, body);
  const response = await fetch(`${before.url}/webhook/livekit`, { method: 'POST', headers: { authorization, 'content-type': 'application/webhook+json' }, body });
  const orphan = ((await response.json()) as { stored: number[] }).stored[0]!;
  await target.waitFor((received) => received.length >= 1);
  await before.stop();

  healthy = true;
  const after = await roomwatchFor(t, { FORWARD_TO: target.url, DATA_DIR: dataDir });
  const marker = await store(after);
  await target.waitFor((received) => received.some((request) => request.delivery === marker));
  const [view] = await deliveries(after, orphan);
  assert.equal(view!.state, 'failed');
  assert.match(view!.lastError!, /livekit webhooks are not enabled here any more/);
});

test('a target that does not answer within FORWARD_TIMEOUT_MS is retried, and says so meanwhile', async (t) => {
  let answering = false;
  const target = await targetFor(t, () => (answering ? 200 : new Promise<number>(() => undefined)));
  const server = await roomwatchFor(t, { FORWARD_TO: target.url, FORWARD_TIMEOUT_MS: '200' });
  const seq = await store(server);
  const failing = await eventually(() => forwarding(server), (s) => s.targets[0]!.state === 'failing');
  assert.equal(failing.targets[0]!.lastError, 'no answer within 200 ms (FORWARD_TIMEOUT_MS)');
  answering = true;
  const [view] = await eventually(() => deliveries(server, seq), ([one]) => one!.state === 'delivered');
  assert.ok(view!.attempts >= 2);
  assert.deepEqual([...new Set(deliveryIds(target.received))], [seq]);
});
