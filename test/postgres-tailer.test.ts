// The feed of committed entries survives its LISTEN connection being killed: the tailer's backend is
// terminated (pg_terminate_backend) again and again while another instance appends, and the feed still
// gives every entry exactly once, in order.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../server/domain/events.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { openOn } from './helpers/postgres-store.js';
import { meetWebhook } from './helpers/new-events.js';

const skip = postgresSkipReason;

async function freshDatabase(t: TestContext) {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  return database;
}

test("terminating the tailers' connections while another instance appends: every entry reaches each feed once, in order", { skip, timeout: 60_000 }, async (t) => {
  const database = await freshDatabase(t);
  // A long poll: what arrives in time arrives by a notification or by the read after reconnecting.
  const writer = await openOn(database, { instance: 'writer', pollMs: 60_000 });
  const watcher = await openOn(database, { instance: 'watcher', pollMs: 60_000 });
  t.after(() => Promise.all([writer.close(), watcher.close()]));
  const feeds = { writer: [] as number[], watcher: [] as number[] };
  let last = 0;
  let reached: (() => void) | undefined;
  const record = (feed: number[]) => (entries: StoredEvent[]) => {
    feed.push(...entries.map((entry) => entry.seq));
    if (feeds.writer.at(-1) === last && feeds.watcher.at(-1) === last) reached?.();
  };
  writer.onCommitted(record(feeds.writer));
  watcher.onCommitted(record(feeds.watcher));

  for (let round = 0; round < 20; round++) {
    const appending = Promise.all(Array.from({ length: 5 }, (_, i) => writer.append([meetWebhook(`room-${round}-${i}`)])));
    // Mid-burst, the watcher's tailer (every other round, the writer's too) loses its session.
    const tailers = round % 2 === 0 ? 'roomwatch-tailer:watcher' : 'roomwatch-tailer:';
    while ((await database.terminate(tailers)) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const outcomes = await appending;
    last = Math.max(last, ...outcomes.flat().map((outcome) => outcome.seq)) + 1; // each webhook's room row follows it
  }
  // A last delivery as a marker: once both feeds have it, everything before it has been delivered too.
  const [marker] = await writer.append([meetWebhook('marker')]);
  last = marker!.seq + 1;
  await new Promise<void>((resolve) => {
    reached = resolve;
    if (feeds.writer.at(-1) === last && feeds.watcher.at(-1) === last) resolve();
  });
  const expected = Array.from({ length: last }, (_, i) => i + 1);
  assert.deepEqual(feeds.watcher, expected);
  assert.deepEqual(feeds.writer, expected);
});
