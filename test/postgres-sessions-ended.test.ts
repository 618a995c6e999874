// PostgreSQL ending roomwatch's sessions again and again while webhooks are being stored (a restart, a
// failover, an operator's pg_terminate_backend): every append settles — stored, or refused so that the
// platform retries — the process survives, and the store writes again afterwards. Without the client guard
// of tools/patch-postgres.mjs a deferred write on a closed connection throws an uncaught TypeError here
// (porsager/postgres#1154), or leaves a connection that never flushes again and an append that never settles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { openOn } from './helpers/postgres-store.js';
import { meetWebhook } from './helpers/new-events.js';

/** Rejects after `ms`: an append that never settles is the defect itself. */
const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms).unref())]);

test('sessions ended under load, 25 times over: every append settles, nothing throws past it, and the store writes again', { skip: postgresSkipReason, timeout: 120_000 }, async (t) => {
  const database = await createTestDatabase();
  const store = await openOn(database, { poolSize: 4, commitSettleMs: 5000 });
  t.after(async () => {
    await store.close();
    await database.drop();
  });
  const uncaught: unknown[] = [];
  const keep = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', keep);
  t.after(() => process.off('uncaughtException', keep));

  let stored = 0;
  let refused = 0;
  for (let round = 0; round < 25; round++) {
    const settled = Promise.allSettled(Array.from({ length: 24 }, (_, index) => store.append([meetWebhook(`r${round}-${index}`)])));
    // Ends every session of this database while those appends are on their way.
    await new Promise((resolve) => setImmediate(resolve));
    await database.terminate('');
    const outcomes = await within(settled, 15_000, `round ${round}'s appends`);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') stored++;
      else refused++;
    }
    assert.deepEqual(uncaught, [], `round ${round}: an error escaped every caller`);
  }
  // Whatever the rounds did, the store takes a webhook again, once the client has reconnected (it backs
  // off between attempts, up to 20 s after many errors), as the platform's retries would find it.
  let last: unknown;
  for (const deadline = Date.now() + 45_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
    try {
      const [outcome] = await within(store.append([meetWebhook('after')]), 15_000, 'the append after the rounds');
      assert.equal(outcome?.status, 'stored');
      last = undefined;
      break;
    } catch (error) {
      last = error;
    }
  }
  assert.equal(last, undefined, `the store did not write again: ${String(last)}`);
  assert.ok(stored + refused === 25 * 24);
  assert.deepEqual(uncaught, []);
});
