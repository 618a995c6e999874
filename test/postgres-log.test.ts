// Several store instances on one real PostgreSQL database form one log: commit order is sequence order
// (a reader of `seq > cursor` never skips), a retry that reaches two instances at once is stored once,
// every instance's feed gives every entry once and in order, and all report the same epoch.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import type { Store } from '../server/store/store.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { openOn } from './helpers/postgres-store.js';
import { meetWebhook } from './helpers/new-events.js';

const skip = postgresSkipReason;

/** A database of this test's own, dropped when it ends. */
async function freshDatabase(t: TestContext) {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  return database;
}

/** Resolves once `feed` has reached `seq`. */
function feedReaches(store: Store, seqs: number[], seq: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => seqs.at(-1)! >= seq && resolve();
    store.onCommitted(check);
    if (seqs.length > 0) check();
  });
}

test('appends from three instances at once: a reader polling seq > cursor sees every seq once, in order, and so does every feed', { skip }, async (t) => {
  const database = await freshDatabase(t);
  const stores = await Promise.all([1, 2, 3].map((n) => openOn(database, { instance: `order${n}` })));
  const feeds = stores.map((store) => {
    const seqs: number[] = [];
    store.onCommitted((entries) => seqs.push(...entries.map((entry) => entry.seq)));
    return seqs;
  });
  const reader = postgres(database.url, { max: 1, onnotice: () => {} });
  const seen: number[] = [];
  let writing = true;
  const polling = (async () => {
    let cursor = 0;
    while (writing || cursor < (await reader`SELECT coalesce(max(seq), 0)::int AS last FROM events`)[0]!.last) {
      const rows = await reader<{ seq: string }[]>`SELECT seq FROM events WHERE seq > ${cursor} ORDER BY seq`;
      for (const { seq } of rows) seen.push(Number(seq));
      if (rows.length > 0) cursor = Number(rows.at(-1)!.seq);
    }
  })();
  try {
    // 3 instances × 8 appenders × 15 deliveries, each appender waiting for its own answer.
    const outcomes = await Promise.all(
      stores.flatMap((store, s) =>
        Array.from({ length: 8 }, async (_, a) => {
          const results = [];
          for (let i = 0; i < 15; i++) results.push(...(await store.append([meetWebhook(`room-${s}-${a}-${i}`)])));
          return results;
        }),
      ),
    );
    writing = false;
    await polling;
    const stored = outcomes.flat();
    assert.equal(stored.length, 360);
    assert.ok(stored.every((outcome) => outcome.status === 'stored'));
    // Each webhook is logged with the room row it made: 720 entries, numbered 1…720 with no gap.
    const expected = Array.from({ length: 720 }, (_, i) => i + 1);
    assert.deepEqual(seen, expected, 'the reader saw every seq once, in order');
    await Promise.all(stores.map((store, i) => feedReaches(store, feeds[i]!, 720)));
    for (const feed of feeds) assert.deepEqual(feed, expected, "each instance's feed gives every entry once, in order");
    // Every instance's rows follow the log: all 360 rooms, on each.
    for (const store of stores) assert.equal(store.rows.allRooms().length, 360);
    // And an instance that starts now reads the same rows from the tables.
    const late = await openOn(database, { instance: 'late' });
    const room = late.rows.room('meet', 'room-2-7-14');
    await late.close();
    assert.deepEqual(room, stores[0]!.rows.room('meet', 'room-2-7-14'));
    assert.equal(room?.status, 'active_meeting');
  } finally {
    writing = false;
    await reader.end();
    await Promise.all(stores.map((store) => store.close()));
  }
});

test('the same retry sent through two instances at once is stored once, and both callers are told its seq', { skip }, async (t) => {
  const database = await freshDatabase(t);
  const [a, b] = await Promise.all([openOn(database, { instance: 'dedupe-a' }), openOn(database, { instance: 'dedupe-b' })]);
  try {
    for (let round = 0; round < 10; round++) {
      const delivery = meetWebhook(`retried-${round}`);
      const [[first], [second]] = await Promise.all([a.append([delivery]), b.append([{ ...delivery }])]);
      assert.equal(first!.seq, second!.seq);
      assert.deepEqual([first!.status, second!.status].sort(), ['repeat', 'stored']);
      const webhook = await a.webhook(first!.seq);
      assert.equal(webhook?.dedupeKey, delivery.dedupeKey);
      assert.equal(webhook?.repeats, 1);
    }
    // Stored once: ten webhooks and the ten room rows they made, nothing more.
    assert.equal(await b.latestSeq(), 20);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('every instance on one database reports the same epoch, kept across restarts; another database has its own', { skip }, async (t) => {
  const [database, other] = await Promise.all([freshDatabase(t), freshDatabase(t)]);
    const [a, b, elsewhere] = await Promise.all([openOn(database), openOn(database), openOn(other)]);
    const epoch = a.epoch;
    assert.match(epoch, /^[0-9a-f-]{36}$/);
    assert.equal(b.epoch, epoch);
    assert.notEqual(elsewhere.epoch, epoch);
    await Promise.all([a.close(), b.close(), elsewhere.close()]);
    const reopened = await openOn(database);
    assert.equal(reopened.epoch, epoch);
    await reopened.close();
});
