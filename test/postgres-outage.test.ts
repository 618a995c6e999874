// PostgreSQL unavailable: webhooks are answered 503 with Retry-After (the platform retries), /readyz says
// why, and once the database accepts connections again everything resumes without a restart. The outage
// is real: the test's database refuses connections and its sessions are terminated (the machine's server
// keeps running for everyone else). And a writer stuck behind a lock holder fails with a clear error
// after lock_timeout instead of hanging.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { APPEND_LOCK } from '../server/store/postgres/locks.js';
import { StoreUnavailable } from '../server/store/postgres/unavailable.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { openOn } from './helpers/postgres-store.js';
import { meetWebhook } from './helpers/new-events.js';
import { startTestServer } from './helpers/server.js';
import { meetingStarted, post } from './helpers/meet.js';
import { eventFrames, openSse } from './helpers/sse.js';

const skip = postgresSkipReason;

async function freshDatabase(t: TestContext) {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  return database;
}

test('while PostgreSQL refuses connections, webhooks get 503 with Retry-After and /readyz says why; afterwards the same delivery is stored once and streamed, without a restart', { skip, timeout: 60_000 }, async (t) => {
  const database = await freshDatabase(t);
  const server = await startTestServer({ DATABASE_URL: database.url });
  t.after(() => server.dispose());
  assert.equal((await post(server.url, meetingStarted())).status, 200);
  const sse = await openSse(`${server.url}/events`);
  t.after(() => sse.close());

  await database.cutOff();
  const delivery = meetingStarted();
  const refused = await fetch(`${server.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '5');
  const answer = (await refused.json()) as { error: string; hint: string };
  assert.equal(answer.error, 'storage_unavailable');
  assert.match(answer.hint, /PostgreSQL/);
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.match(((await ready.json()) as { reason: string }).reason, /PostgreSQL cannot commit/);

  await database.restore();
  // The platform retries the same bytes until one is acknowledged (the first may meet a session the
  // outage ended); it is stored once and streamed once.
  let retried = await post(server.url, delivery);
  for (let attempt = 1; retried.status === 503 && attempt < 20; attempt++) retried = await post(server.url, delivery);
  assert.equal(retried.status, 200);
  const [seq] = retried.json.stored as number[];
  assert.deepEqual((await post(server.url, delivery)).json, { stored: [], repeated: [seq] });
  const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).some((frame) => frame.id === String(seq))));
  assert.deepEqual(
    frames.filter((frame) => frame.data === delivery.body).map((frame) => frame.id),
    [String(seq)],
  );
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
});

test('a writer stuck behind a holder of the append lock fails after lock_timeout with a clear error, and writes again once it is released', { skip, timeout: 60_000 }, async (t) => {
  const database = await freshDatabase(t);
  const store = await openOn(database, { lockTimeoutMs: 500 });
  t.after(() => store.close());
  // A stuck holder: a session that took the lock and does nothing more.
  const holder = postgres(database.url, { max: 1, onnotice: () => {} });
  t.after(() => holder.end());
  await holder`SELECT pg_advisory_lock(${APPEND_LOCK}::bigint)`;

  const failure = await store.append([meetWebhook('stuck')]).then(
    () => assert.fail('the append must not succeed while another session holds the lock'),
    (error: unknown) => error,
  );
  assert.ok(failure instanceof StoreUnavailable);
  assert.equal(failure.code, '55P03');
  assert.match(failure.message, /PostgreSQL cannot commit \(55P03\): canceling statement due to lock timeout/);
  assert.deepEqual(await store.readiness(), { ready: true }, 'the database itself answers: only that commit failed');

  await holder`SELECT pg_advisory_unlock(${APPEND_LOCK}::bigint)`;
  const [outcome] = await store.append([meetWebhook('stuck')]);
  assert.equal(outcome?.status, 'stored');
});
