import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { openDatabase, type Db } from '../server/store/database.js';
import { EventLog } from '../server/store/event-log.js';
import type { NewChange, NewEvent, StoredEvent } from '../server/domain/events.js';
import { makeDataDir } from './helpers/server.js';

function event(n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    source: 'meet',
    type: 'meetingStarted',
    createdAt: 1759400000000 + n,
    dedupeKey: `meet:${n}`,
    roomId: `room-${n}`,
    headers: { 'x-timestamp': String(1759400000000 + n) },
    body: Buffer.from(`{"event":"meetingStarted","n":${n}}`),
    ...overrides,
  };
}

function withLog(run: (log: EventLog, dataDir: string, db: Db) => Promise<void> | void) {
  return async () => {
    const dataDir = makeDataDir();
    const db = openDatabase(dataDir);
    try {
      await run(new EventLog(db), dataDir, db);
    } finally {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

test(
  'sequence numbers start at 1 and strictly increase',
  withLog(async (log) => {
    const outcomes = [];
    for (let n = 1; n <= 5; n++) outcomes.push(...(await log.append([event(n)])));
    assert.deepEqual(outcomes.map((o) => o.seq), [1, 2, 3, 4, 5]);
    assert.ok(outcomes.every((o) => o.status === 'stored'));
    assert.equal(log.latestSeq(), 5);
  }),
);

test(
  'a repeated delivery is a repeat of the original sequence number and is not stored again',
  withLog(async (log) => {
    const [first] = await log.append([event(1)]);
    const [again] = await log.append([event(1, { body: Buffer.from('ignored') })]);
    const [next] = await log.append([event(2)]);
    assert.deepEqual(first, { status: 'stored', seq: 1 });
    assert.deepEqual(again, { status: 'repeat', seq: 1 });
    assert.equal(next!.seq, 2);
    const stored = log.readAfter(0, 10);
    assert.equal(stored.length, 2);
    assert.equal(stored[0]!.body.toString(), '{"event":"meetingStarted","n":1}');
  }),
);

test(
  'appends of one event-loop turn are committed together and announced once, in order',
  withLog(async (log) => {
    const announced: StoredEvent[][] = [];
    log.onCommitted((events) => announced.push(events));
    const results = await Promise.all([log.append([event(1)]), log.append([event(2), event(3)]), log.append([event(1)])]);
    assert.deepEqual(results, [
      [{ status: 'stored', seq: 1 }],
      [
        { status: 'stored', seq: 2 },
        { status: 'stored', seq: 3 },
      ],
      [{ status: 'repeat', seq: 1 }],
    ]);
    assert.equal(announced.length, 1);
    assert.deepEqual(announced[0]!.map((e) => e.seq), [1, 2, 3]);
  }),
);

test(
  'an append resolves only after its commit is readable from another connection',
  withLog(async (log, dataDir) => {
    const [outcome] = await log.append([event(7)]);
    const other = openDatabase(dataDir);
    try {
      const row = other.prepare('SELECT seq, type, body FROM events WHERE seq = ?').get(outcome!.seq) as { type: string; body: Buffer };
      assert.equal(row.type, 'meetingStarted');
      assert.equal(row.body.toString(), '{"event":"meetingStarted","n":7}');
    } finally {
      other.close();
    }
  }),
);

test(
  'readAfter pages through events oldest first and keeps every field',
  withLog(async (log) => {
    for (let n = 1; n <= 7; n++) await log.append([event(n)]);
    assert.deepEqual(log.readAfter(2, 3).map((e) => e.seq), [3, 4, 5]);
    assert.deepEqual(log.readAfter(5, 10).map((e) => e.seq), [6, 7]);
    assert.deepEqual(log.readAfter(7, 10), []);
    const [third] = log.readAfter(2, 1);
    assert.equal(third!.type, 'meetingStarted');
    assert.equal(third!.roomId, 'room-3');
    assert.equal(third!.createdAt, 1759400000003);
    assert.deepEqual(third!.headers, { 'x-timestamp': '1759400000003' });
    assert.ok(third!.receivedAt > 0);
  }),
);

test(
  'pruning keeps the newest N, records how far it went, and never reuses a sequence number',
  withLog(async (log) => {
    for (let n = 1; n <= 10; n++) await log.append([event(n)]);
    let deleted = 0;
    let step: number;
    while ((step = log.pruneOldest(3, 2)) > 0) deleted += step;
    assert.equal(deleted, 7);
    assert.deepEqual(log.readAfter(0, 100).map((e) => e.seq), [8, 9, 10]);
    assert.equal(log.prunedThrough(), 7);
    const [next] = await log.append([event(11)]);
    assert.equal(next!.seq, 11);
  }),
);

test('events and the prune mark survive closing and reopening the store', async () => {
  const dataDir = makeDataDir();
  try {
    let db = openDatabase(dataDir);
    let log = new EventLog(db);
    for (let n = 1; n <= 4; n++) await log.append([event(n)]);
    log.pruneOldest(2);
    db.close();

    db = openDatabase(dataDir);
    log = new EventLog(db);
    assert.deepEqual(log.readAfter(0, 10).map((e) => e.seq), [3, 4]);
    assert.equal(log.prunedThrough(), 2);
    assert.equal(log.latestSeq(), 4);
    assert.deepEqual(await log.append([event(4)]), [{ status: 'repeat', seq: 4 }]);
    assert.deepEqual(await log.append([event(5)]), [{ status: 'stored', seq: 5 }]);
    db.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test(
  'a failed commit rejects every append of the batch and stores none of them',
  withLog(async (log) => {
    const bad = event(2, { body: undefined as unknown as Buffer });
    const results = await Promise.allSettled([log.append([event(1)]), log.append([bad])]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.deepEqual(log.readAfter(0, 10), []);
  }),
);

const change = (roomId: string): NewChange => ({ source: 'meet', type: 'room', roomId, body: Buffer.from(`{"roomId":"${roomId}"}`) });

test(
  'the changes a webhook causes are logged right after it, in the same commit',
  withLog(async (log) => {
    log.deriveWith((webhook) => (webhook.roomId === 'room-2' ? [change('room-2'), change('room-2b')] : []));
    const announced: StoredEvent[][] = [];
    log.onCommitted((entries) => announced.push(entries));
    await Promise.all([log.append([event(1)]), log.append([event(2)]), log.append([event(3)])]);
    assert.deepEqual(
      announced.flat().map((e) => [e.seq, e.kind, e.type]),
      [
        [1, 'webhook', 'meetingStarted'],
        [2, 'webhook', 'meetingStarted'],
        [3, 'change', 'room'],
        [4, 'change', 'room'],
        [5, 'webhook', 'meetingStarted'],
      ],
    );
    assert.equal(announced.length, 1);
    assert.deepEqual(log.readAfter(2, 2).map((e) => [e.kind, e.body.toString()]), [
      ['change', '{"roomId":"room-2"}'],
      ['change', '{"roomId":"room-2b"}'],
    ]);
  }),
);

test(
  'a deriver that fails keeps the webhook stored and leaves none of its own writes',
  withLog(async (log, _dir, db) => {
    db.exec('CREATE TABLE scratch (x TEXT)');
    const errors: unknown[] = [];
    const failing = new EventLog(db, { onDeriveError: (error) => errors.push(error) });
    failing.deriveWith(() => {
      db.prepare("INSERT INTO scratch VALUES ('half-written')").run();
      throw new Error('payload not understood');
    });
    assert.deepEqual(await failing.append([event(1)]), [{ status: 'stored', seq: 1 }]);
    assert.equal(errors.length, 1);
    assert.equal((db.prepare('SELECT count(*) AS n FROM scratch').get() as { n: number }).n, 0);
    assert.equal(log.readAfter(0, 10).length, 1);
  }),
);

test(
  'changes from elsewhere than a webhook are committed and announced at once',
  withLog(async (log) => {
    await log.append([event(1)]);
    const announced: number[] = [];
    log.onCommitted((entries) => announced.push(...entries.map((e) => e.seq)));
    const stored = log.commitChanges(() => [change('a'), change('b')]);
    assert.deepEqual(stored.map((e) => [e.seq, e.kind, e.roomId]), [
      [2, 'change', 'a'],
      [3, 'change', 'b'],
    ]);
    assert.deepEqual(announced, [2, 3]);
    assert.deepEqual(log.commitChanges(() => []), []);
  }),
);

test(
  'pruning counts webhooks and takes the changes of pruned webhooks with them',
  withLog(async (log) => {
    log.deriveWith((webhook) => [change(webhook.roomId!)]);
    for (let n = 1; n <= 4; n++) await log.append([event(n)]);
    while (log.pruneOldest(2) > 0);
    assert.deepEqual(log.readAfter(0, 100).map((e) => [e.seq, e.kind]), [
      [5, 'webhook'],
      [6, 'change'],
      [7, 'webhook'],
      [8, 'change'],
    ]);
    assert.equal(log.prunedThrough(), 4);
  }),
);
