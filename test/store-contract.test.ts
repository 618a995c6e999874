// The store's contract (server/store/store.ts), written once and run against every backend in
// test/helpers/store-backends.ts: SQLite always, PostgreSQL when its helper is there and a server answers
// (else the suite says it skipped it, and why). Every test opens a real store on a location of its own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewEvent, StoredEvent } from '../server/domain/events.js';
import type { RecordingRow, RoomRow, RowChange } from '../server/domain/rows.js';
import type { RowReader } from '../server/domain/row-reader.js';
import type { Store, StoreOptions } from '../server/store/store.js';
import { REFUSALS_KEPT, keptRefusal } from '../server/inspector/refusal-log.js';
import { InvalidQuery, MAX_ROOMS_PER_NAME, parseListingQuery } from '../server/inspector/listing-query.js';
import type { RefusalEntry } from '../server/inspector/types.js';
import { manualClock } from './helpers/clock.js';
import { storeBackends, type BackendFactory, type StoreLocation } from './helpers/store-backends.js';

function event(n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    source: 'openvidu',
    type: 'sessionCreated',
    createdAt: 1759400000000 + n,
    dedupeKey: `contract:${n}`,
    roomId: `room-${n}`,
    headers: { 'x-test': String(n) },
    body: Buffer.from(`{"n":${n}}`),
    ...overrides,
  };
}

const room = (roomId: string, extra: Partial<RoomRow> = {}): RoomRow => ({
  source: 'openvidu',
  roomId,
  roomName: roomId,
  status: 'open',
  links: {},
  updatedAt: 0,
  eventAt: 0,
  heardAt: 0,
  removed: false,
  ...extra,
});

const recording = (recordingId: string, roomId: string, extra: Partial<RecordingRow> = {}): RecordingRow => ({
  source: 'openvidu',
  recordingId,
  roomId,
  roomName: roomId,
  status: 'complete',
  updatedAt: 0,
  eventAt: 0,
  heardAt: 0,
  removed: false,
  ...extra,
});

/**
 * A projection the test can read: a webhook whose body is `{"open":"<room>"}` opens that room, counting
 * how many times it was opened in `participants` (so a projection that did not see the row before it
 * would say 1 again); `{"fail":true}` throws; anything else changes nothing.
 */
function countingProjection(webhook: StoredEvent, rows: RowReader): RowChange[] {
  const body = JSON.parse(webhook.body.toString()) as { open?: string; fail?: boolean };
  if (body.fail) throw new Error('payload not understood');
  if (body.open === undefined) return [];
  const current = rows.room('openvidu', body.open);
  return [{ kind: 'room', row: room(body.open, { participants: (current?.participants ?? 0) + 1, updatedAt: webhook.receivedAt }) }];
}

const seqs = (entries: { seq: number }[]) => entries.map((entry) => entry.seq);

for (const backend of storeBackends) describeContract(backend);

function describeContract(backend: BackendFactory): void {
  describe(`the ${backend.name} store`, async () => {
    const unavailable = await backend.unavailable();
    if (unavailable !== undefined) {
      // Said plainly, not silently passed.
      test(`skipped: ${unavailable}`, { skip: unavailable }, () => {});
      return;
    }

    /** A store on a new location, closed and removed after `run`. */
    async function withStore(run: (store: Store, location: StoreLocation) => Promise<void>, options: Partial<StoreOptions> = {}): Promise<void> {
      const location = await backend.create();
      const store = await location.open({ project: countingProjection, ...options });
      try {
        await run(store, location);
      } finally {
        await store.close();
        await location.destroy();
      }
    }

    test('sequence numbers start at 1, strictly increase and have no holes, retries included', () =>
      withStore(async (store) => {
        const outcomes = [];
        for (let n = 1; n <= 3; n++) outcomes.push(...(await store.append([event(n)])));
        outcomes.push(...(await store.append([event(2)])));
        outcomes.push(...(await store.append([event(4)])));
        assert.deepEqual(outcomes, [
          { status: 'stored', seq: 1 },
          { status: 'stored', seq: 2 },
          { status: 'stored', seq: 3 },
          { status: 'repeat', seq: 2 },
          { status: 'stored', seq: 4 },
        ]);
        assert.deepEqual(seqs(await store.readAfter(0, 10)), [1, 2, 3, 4]);
        assert.equal(await store.latestSeq(), 4);
      }));

    test('a retry is stored once: within one batch and across batches, counted on the original', () =>
      withStore(async (store) => {
        const results = await Promise.all([store.append([event(1)]), store.append([event(2), event(1)]), store.append([event(1, { body: Buffer.from('{}') })])]);
        assert.deepEqual(results, [
          [{ status: 'stored', seq: 1 }],
          [
            { status: 'stored', seq: 2 },
            { status: 'repeat', seq: 1 },
          ],
          [{ status: 'repeat', seq: 1 }],
        ]);
        assert.deepEqual(await store.append([event(2)]), [{ status: 'repeat', seq: 2 }]);
        const stored = await store.readAfter(0, 10);
        assert.deepEqual(seqs(stored), [1, 2]);
        assert.equal(stored[0]!.body.toString(), '{"n":1}', 'the original body is kept');
        const original = await store.webhook(1);
        assert.equal(original?.repeats, 2);
        assert.ok(original?.lastRepeatAt);
      }));

    test('appends that arrive together are announced once each, in order, with the changes each caused right after it', () =>
      withStore(async (store) => {
        const announced: StoredEvent[] = [];
        store.onCommitted((entries) => announced.push(...entries));
        await Promise.all([
          store.append([event(1)]),
          store.append([event(2, { body: Buffer.from('{"open":"a"}') })]),
          store.append([event(3, { body: Buffer.from('{"open":"a"}') })]),
        ]);
        // The marker: once it is announced, everything before it has been too.
        const [marker] = await store.append([event(4)]);
        await until(() => announced.some((entry) => entry.seq === marker!.seq), 'the marker is announced');
        assert.deepEqual(
          announced.map((e) => [e.seq, e.kind, e.type]),
          [
            [1, 'webhook', 'sessionCreated'],
            [2, 'webhook', 'sessionCreated'],
            [3, 'change', 'room'],
            [4, 'webhook', 'sessionCreated'],
            [5, 'change', 'room'],
            [6, 'webhook', 'sessionCreated'],
          ],
        );
        // The second webhook's projection saw the row the first one wrote, in the same group commit.
        assert.equal((JSON.parse(announced[4]!.body.toString()) as RoomRow).participants, 2);
        assert.equal(store.rows.room('openvidu', 'a')?.participants, 2);
      }));

    test('an append resolves once its entries can be read by another store on the same location', () =>
      withStore(async (store, location) => {
        const [outcome] = await store.append([event(7)]);
        const other = await location.open({ project: countingProjection });
        try {
          const [read] = await other.readAfter(outcome!.seq - 1, 1);
          assert.equal(read?.seq, outcome!.seq);
          assert.equal(read?.body.toString(), '{"n":7}');
        } finally {
          await other.close();
        }
      }));

    test('readAfter pages oldest first and keeps every field', () =>
      withStore(async (store) => {
        for (let n = 1; n <= 7; n++) await store.append([event(n)]);
        assert.deepEqual(seqs(await store.readAfter(2, 3)), [3, 4, 5]);
        assert.deepEqual(seqs(await store.readAfter(5, 10)), [6, 7]);
        assert.deepEqual(await store.readAfter(7, 10), []);
        const [third] = await store.readAfter(2, 1);
        assert.deepEqual(
          { ...third, receivedAt: typeof third!.receivedAt, body: third!.body.toString() },
          {
            seq: 3,
            kind: 'webhook',
            source: 'openvidu',
            type: 'sessionCreated',
            createdAt: 1759400000003,
            receivedAt: 'number',
            dedupeKey: 'contract:3',
            roomId: 'room-3',
            headers: { 'x-test': '3' },
            body: '{"n":3}',
          },
        );
      }));

    test('readEntriesAfter stops at the entry that fills the byte budget, and always returns one when there is one', () =>
      withStore(async (store) => {
        const body = (n: number) => Buffer.from(JSON.stringify({ n, pad: 'x'.repeat(90) }));
        for (let n = 1; n <= 10; n++) await store.append([event(n, { body: body(n) })]);
        const size = body(1).length;
        assert.deepEqual(seqs(await store.readEntriesAfter(0, { limit: 100, maxBytes: size * 3 })), [1, 2, 3]);
        assert.deepEqual(seqs(await store.readEntriesAfter(0, { limit: 100, maxBytes: size * 3 - 1 })), [1, 2, 3]);
        assert.deepEqual(seqs(await store.readEntriesAfter(4, { limit: 2, maxBytes: 1_000_000 })), [5, 6]);
        assert.deepEqual(seqs(await store.readEntriesAfter(8, { limit: 100, maxBytes: 1 })), [9]);
        assert.deepEqual(await store.readEntriesAfter(10, { limit: 100, maxBytes: 1_000_000 }), []);
        const [entry] = await store.readEntriesAfter(1, { limit: 1, maxBytes: 1_000_000 });
        assert.deepEqual({ ...entry, body: entry!.body.toString() }, { seq: 2, kind: 'webhook', source: 'openvidu', type: 'sessionCreated', roomId: 'room-2', body: body(2).toString() });
      }));

    test('writeRows writes rows and logs each one in one commit, the note first, from the rows as of the head', () =>
      withStore(async (store) => {
        await store.append([event(1, { body: Buffer.from('{"open":"a"}') })]);
        const announced: number[] = [];
        store.onCommitted((entries) => announced.push(...seqs(entries)));
        const note = { source: 'openvidu' as const, type: 'replay' as const, roomId: 'a', body: Buffer.from('{"replayOf":1}') };
        const logged = await store.writeRows(
          (rows, now) => {
            const current = rows.room('openvidu', 'a')!;
            return [
              { kind: 'room', row: { ...current, status: 'closed', updatedAt: now } },
              { kind: 'recording', row: recording('rec-1', 'a') },
            ];
          },
          { note },
        );
        assert.deepEqual(
          logged.map((e) => [e.seq, e.kind, e.type, e.roomId]),
          [
            [3, 'change', 'replay', 'a'],
            [4, 'change', 'room', 'a'],
            [5, 'change', 'recording', 'a'],
          ],
        );
        assert.deepEqual(JSON.parse(logged[1]!.body.toString()), store.rows.room('openvidu', 'a'));
        assert.equal(store.rows.room('openvidu', 'a')?.status, 'closed');
        assert.equal(store.rows.room('openvidu', 'a')?.participants, 1, 'the work read the row the webhook wrote');
        assert.deepEqual(store.rows.recordingsOfRoom('openvidu', 'a').map((r) => r.recordingId), ['rec-1']);
        assert.equal(store.rows.seq, 5);
        await until(() => announced.includes(5), 'the write is announced');
        assert.deepEqual(announced, [3, 4, 5]);
        assert.deepEqual(await store.writeRows(() => []), [], 'nothing to write logs nothing');
      }));

    test('a row write whose work throws stores nothing and rejects', () =>
      withStore(async (store) => {
        await store.append([event(1)]);
        await assert.rejects(
          store.writeRows(() => {
            throw new Error('merge failed');
          }),
          /merge failed/,
        );
        assert.equal(await store.latestSeq(), 1);
        assert.deepEqual(store.rows.allRooms(), []);
      }));

    test('a projection that throws keeps its webhook stored, is reported, and changes no row', () => {
      const errors: number[] = [];
      return withStore(
        async (store) => {
          assert.deepEqual(await store.append([event(1, { body: Buffer.from('{"fail":true}') })]), [{ status: 'stored', seq: 1 }]);
          assert.deepEqual(errors, [1]);
          assert.deepEqual(seqs(await store.readAfter(0, 10)), [1]);
          assert.deepEqual(store.rows.allRooms(), []);
        },
        { onProjectionError: (_error, webhook) => errors.push(webhook.seq) },
      );
    });

    test('pruning keeps the newest webhooks with the changes they caused, marks how far it went, and never reuses a number', () =>
      withStore(async (store) => {
        for (let n = 1; n <= 5; n++) await store.append([event(n, { body: Buffer.from(`{"open":"r${n}"}`) })]);
        let deleted = 0;
        let step: number;
        while ((step = await store.prune({ keep: 2 }, 2)) > 0) deleted += step;
        assert.equal(deleted, 6);
        assert.deepEqual((await store.readAfter(0, 100)).map((e) => [e.seq, e.kind]), [
          [7, 'webhook'],
          [8, 'change'],
          [9, 'webhook'],
          [10, 'change'],
        ]);
        assert.equal(await store.prunedThrough(), 6);
        const [next] = await store.append([event(6)]);
        assert.equal(next!.seq, 11);
      }));

    test('pruning by age takes the oldest run received before the cutoff', () => {
      const clock = manualClock(1_000_000);
      return withStore(
        async (store) => {
          await store.append([event(1)]);
          await store.append([event(2)]);
          clock.advance(10_000);
          await store.append([event(3)]);
          assert.equal(await store.prune({ keep: 100, receivedBefore: clock.now() - 5_000 }, 100), 2);
          assert.deepEqual(seqs(await store.readAfter(0, 10)), [3]);
          assert.equal(await store.prunedThrough(), 2);
        },
        { now: clock.now },
      );
    });

    test("pruning stops before the first entry forwarding's hold keeps, whatever the other limits say, and goes on once the hold moves", () => {
      const clock = manualClock(1_000_000);
      return withStore(
        async (store) => {
          for (let n = 1; n <= 3; n++) await store.append([event(n)]);
          clock.advance(10_000);
          for (let n = 4; n <= 6; n++) await store.append([event(n)]);
          // Every limit would take all but the newest; a target still needs what follows seq 2.
          const limits = { keep: 1, receivedBefore: clock.now() + 1, hold: { afterSeq: 2, receivedSince: 0 } };
          assert.equal(await store.prune(limits, 100), 2);
          assert.equal(await store.prune(limits, 100), 0, 'nothing more while the hold stays');
          assert.deepEqual(seqs(await store.readAfter(0, 10)), [3, 4, 5, 6]);
          // Held entries older than FORWARD_MAX_AGE are given up anyway: the hold covers only younger ones.
          assert.equal(await store.prune({ ...limits, hold: { afterSeq: 2, receivedSince: clock.now() } }, 100), 1);
          assert.deepEqual(seqs(await store.readAfter(0, 10)), [4, 5, 6]);
          assert.equal(await store.prune({ ...limits, hold: { afterSeq: 5, receivedSince: 0 } }, 100), 2);
          assert.deepEqual(seqs(await store.readAfter(0, 10)), [6]);
          assert.equal(await store.prunedThrough(), 5);
        },
        { now: clock.now },
      );
    });

    test('forwarding: a target opens at the head once, reads only webhooks after its cursor, and an attempt commits with its cursor move, which never goes back', () =>
      withStore(async (store) => {
        const { forwarding } = store;
        await store.append([event(1, { body: Buffer.from('{"open":"r1"}') })]);
        const opened = await forwarding.openTarget('http://app.test/hook', await store.latestSeq());
        assert.deepEqual(opened, { url: 'http://app.test/hook', cursor: 2, addedAfter: 2, lastSuccessAt: undefined, stopped: undefined });
        // A second instance opening the same target later finds it as it was.
        await store.append([event(2, { source: 'livekit', type: 'room_started' }), event(3, { body: Buffer.from('x'.repeat(3000)) }), event(4)]);
        assert.equal((await forwarding.openTarget('http://app.test/hook', await store.latestSeq())).cursor, 2);
        // Row changes are not forwarded; the byte budget stops after the body that reaches it.
        const after = await forwarding.webhooksAfter(0, { limit: 10, maxBytes: 1000 });
        assert.deepEqual(seqs(after), [1, 3, 4]);
        assert.deepEqual(seqs(await forwarding.webhooksAfter(2, { limit: 10, maxBytes: 1000 })), [3, 4]);
        assert.equal((await forwarding.webhook(3))?.source, 'livekit');
        assert.equal(await forwarding.webhook(2), undefined, 'a row change is no webhook');
        assert.equal(await forwarding.countWanted(2, undefined, undefined), 3);
        assert.equal(await forwarding.countWanted(2, ['livekit'], undefined), 1);
        assert.equal(await forwarding.countWanted(2, ['openvidu'], ['sessionCreated']), 2);

        const attempt = {
          target: 'http://app.test/hook',
          seq: 3,
          state: 'pending' as const,
          redelivery: false,
          attempts: 1,
          firstAt: 100,
          nextTryAt: 200,
          lastAt: 100,
          lastStatus: 503,
          lastLatencyMs: 4,
          lastError: 'answered 503',
        };
        await forwarding.recordAttempt(attempt);
        assert.deepEqual(await forwarding.attempt('http://app.test/hook', 3), attempt);
        assert.equal((await forwarding.target('http://app.test/hook'))?.cursor, 2, 'a retry does not move the cursor');
        assert.deepEqual(await forwarding.failingHead('http://app.test/hook', 2), attempt, 'what another instance shows');
        await forwarding.recordAttempt({ ...attempt, state: 'delivered', attempts: 2, nextTryAt: undefined, lastAt: 300, lastStatus: 200, lastError: undefined }, 3);
        assert.deepEqual(await forwarding.target('http://app.test/hook'), { url: 'http://app.test/hook', cursor: 3, addedAfter: 2, lastSuccessAt: 300, stopped: undefined });
        assert.equal(await forwarding.failingHead('http://app.test/hook', 3), undefined);
        await forwarding.advanceCursor('http://app.test/hook', 1);
        assert.equal((await forwarding.target('http://app.test/hook'))?.cursor, 3, 'never back');

        await forwarding.requestRedelivery('http://app.test/hook', 3, 400);
        const redelivery = await forwarding.nextRedelivery('http://app.test/hook');
        assert.deepEqual([redelivery?.seq, redelivery?.state, redelivery?.redelivery, redelivery?.attempts], [3, 'pending', true, 0]);
        assert.deepEqual((await forwarding.attemptsAt(3)).map((a) => a.target), ['http://app.test/hook']);
        await forwarding.forgetAttemptsThrough(3);
        assert.deepEqual(await forwarding.attemptsAt(3), []);
      }));

    test('forwarding: a first try’s success moves the cursor and the last success in one write; its row comes later and never overwrites a redelivery asked meanwhile', () =>
      withStore(async (store) => {
        const { forwarding } = store;
        const url = 'http://app.test/hook';
        await forwarding.openTarget(url, await store.latestSeq());
        await store.append([event(1), event(2), event(3)]);
        await forwarding.recordDelivered(url, 2, 500);
        assert.deepEqual(await forwarding.target(url), { url, cursor: 2, addedAfter: 0, lastSuccessAt: 500, stopped: undefined });
        assert.equal(await forwarding.attempt(url, 2), undefined, 'its row follows in a batch');
        await forwarding.recordDelivered(url, 1, 600);
        assert.equal((await forwarding.target(url))?.cursor, 2, 'never back');

        const delivered = (seq: number) => ({
          target: url,
          seq,
          state: 'delivered' as const,
          redelivery: false,
          attempts: 1,
          firstAt: 490,
          nextTryAt: undefined,
          lastAt: 500,
          lastStatus: 200,
          lastLatencyMs: 3,
          lastError: undefined,
        });
        // Asked for again before the batch was written: the request stays.
        await forwarding.requestRedelivery(url, 2, 550);
        await forwarding.addDeliveredDetails([delivered(1), delivered(2)]);
        assert.deepEqual(await forwarding.attempt(url, 1), delivered(1));
        assert.deepEqual([(await forwarding.attempt(url, 2))?.state, (await forwarding.attempt(url, 2))?.redelivery], ['pending', true]);
        await forwarding.addDeliveredDetails([]);
      }));

    test('forwarding: a target stopped (410 Gone) stays stopped for whoever reads it, and opening it again keeps it so, until it is resumed', () =>
      withStore(async (store) => {
        const { forwarding } = store;
        const url = 'http://app.test/hook';
        await forwarding.openTarget(url, 0);
        assert.equal(await forwarding.resumeTarget(url), false, 'not stopped');
        await forwarding.stopTarget(url, 700, 'answered 410 Gone to webhook #1');
        assert.deepEqual((await forwarding.openTarget(url, 5)).stopped, { at: 700, reason: 'answered 410 Gone to webhook #1' });
        assert.equal(await forwarding.resumeTarget(url), true);
        assert.equal((await forwarding.target(url))?.stopped, undefined);
        assert.equal(await forwarding.resumeTarget('http://other.test/'), false, 'no such target');
      }));

    test('expired rooms are dropped with their recordings, announced as removed unless they were tombstones already', () => {
      const clock = manualClock(1_000_000);
      return withStore(
        async (store) => {
          await store.writeRows(() => [
            { kind: 'room', row: room('closed', { status: 'closed', updatedAt: clock.now() }) },
            { kind: 'room', row: room('gone', { removed: true, updatedAt: clock.now() }) },
            { kind: 'room', row: room('open', { updatedAt: clock.now() }) },
            { kind: 'room', row: room('meet-closed', { source: 'meet', status: 'closed', updatedAt: clock.now() }) },
            { kind: 'recording', row: recording('rec-closed', 'closed', { updatedAt: clock.now() }) },
            { kind: 'recording', row: recording('rec-tomb', 'open', { removed: true, updatedAt: clock.now() }) },
          ]);
          const latest = await store.latestSeq();
          assert.deepEqual(await store.pruneRooms(clock.now(), 10), { rooms: 0, recordings: 0 }, 'young rows stay');
          clock.advance(1000);
          const announced: StoredEvent[] = [];
          store.onCommitted((entries) => announced.push(...entries));
          assert.deepEqual(await store.pruneRooms(clock.now(), 10), { rooms: 2, recordings: 1 });
          assert.deepEqual(await store.pruneRooms(clock.now(), 10), { rooms: 0, recordings: 0 });
          assert.equal(await store.pruneRecordingTombstones(clock.now(), 10), 1);
          assert.deepEqual(store.rows.allRooms().map((r) => r.roomId).sort(), ['meet-closed', 'open']);
          assert.deepEqual(store.rows.allRecordings(), []);
          const logged = await store.readAfter(latest, 10);
          assert.deepEqual(
            logged.map((e) => {
              const row = JSON.parse(e.body.toString()) as { roomId: string; removed: boolean };
              return [e.type, row.roomId, row.removed];
            }),
            [
              ['room', 'closed', true],
              ['recording', 'closed', true],
            ],
          );
          await until(() => announced.length === 2, 'the removals are announced');
        },
        { now: clock.now },
      );
    });

    test('refusals are kept, newest REFUSALS_KEPT, and listed newest first', () =>
      withStore(async (store) => {
        const refusal = (at: number) => keptRefusal({ source: 'livekit', reason: 'invalid_token', detail: `n${at}`, ip: '10.0.0.1', at, headers: { 'user-agent': 'x', authorization: 'secret' } });
        const first = await store.recordRefusal(refusal(1));
        assert.deepEqual(first, {
          kind: 'refusal',
          id: first.id,
          at: 1,
          source: 'livekit',
          outcome: 'refused',
          reason: 'invalid_token',
          detail: 'n1',
          hint: null,
          timestamp: null,
          skewMs: null,
          ip: '10.0.0.1',
          headers: { 'user-agent': 'x', authorization: '[masked]' },
        });
        for (let at = 2; at <= REFUSALS_KEPT + 2; at++) await store.recordRefusal(refusal(at));
        const listed: RefusalEntry[] = [];
        let before: string | undefined;
        for (;;) {
          const page = await store.listEvents(parseListingQuery({ outcome: 'refused', limit: '200', ...(before && { before }) }));
          listed.push(...(page.entries as RefusalEntry[]));
          if (page.next === null) break;
          before = page.next;
        }
        assert.equal(listed.length, REFUSALS_KEPT);
        assert.equal(listed[0]!.detail, `n${REFUSALS_KEPT + 2}`);
        assert.equal(listed.at(-1)!.detail, 'n3');
      }));

    test('the listing mixes webhooks, replays and refusals newest first, filters them, and one webhook reads by its number', () => {
      const clock = manualClock(1_000);
      return withStore(
        async (store) => {
          await store.append([event(1, { roomId: 'r' }), event(2, { source: 'livekit', type: 'room_started', roomId: 's' })]);
          await store.recordRefusal(keptRefusal({ source: 'meet', reason: 'signature_mismatch', detail: undefined, ip: undefined, at: 1_000, headers: {} }));
          clock.advance(1);
          await store.append([event(1, { roomId: 'r' })]);
          await store.writeRows(() => [], {
            note: { source: 'openvidu', type: 'replay', roomId: 'r', body: Buffer.from('{"replayOf":1,"source":"openvidu","type":"sessionCreated","roomId":"r","payload":{}}') },
          });
          const short = (query: Record<string, string>) =>
            store.listEvents(parseListingQuery(query)).then((page) => page.entries.map((e) => (e.kind === 'refusal' ? `refused:${e.reason}` : `${e.kind}:${e.seq}:${e.outcome}`)));
          assert.deepEqual(await short({}), ['replay:3:replay', 'event:2:accepted', 'event:1:repeat', 'refused:signature_mismatch']);
          assert.deepEqual(await short({ source: 'livekit' }), ['event:2:accepted']);
          assert.deepEqual(await short({ type: 'sessionCreated' }), ['replay:3:replay', 'event:1:repeat']);
          assert.deepEqual(await short({ room: 'r', outcome: 'repeat' }), ['event:1:repeat']);
          assert.deepEqual(await short({ from: '1001' }), ['replay:3:replay']);
          const webhook = await store.webhook(1);
          assert.deepEqual({ ...webhook, body: webhook?.body.toString(), receivedAt: undefined, lastRepeatAt: undefined }, {
            seq: 1,
            kind: 'webhook',
            source: 'openvidu',
            type: 'sessionCreated',
            createdAt: 1759400000001,
            receivedAt: undefined,
            dedupeKey: 'contract:1',
            roomId: 'r',
            headers: { 'x-test': '1' },
            body: '{"n":1}',
            repeats: 1,
            lastRepeatAt: undefined,
          });
          assert.equal(await store.webhook(3), undefined, 'a change entry is no webhook');
          assert.equal(await store.webhook(99), undefined);
        },
        { now: clock.now },
      );
    });

    test('a search finds the webhooks whose payload text values hold the words in order, newest first, and pages by the cursor', () =>
      withStore(async (store) => {
        const payload = (n: number, data: unknown) => event(n, { body: Buffer.from(JSON.stringify({ open: `search-${n}`, data })) });
        await store.append([payload(1, { roomName: 'Daily Standup', size: 1790 })]);
        await store.append([payload(2, { roomName: 'Quarterly review', note: 'daily standup moved' })]);
        await store.append([payload(3, { roomName: 'Standup daily' })]);
        await store.append([event(4, { body: Buffer.from('not json: daily standup-4') })]);
        const found = async (q: string, extra: Record<string, string> = {}) => seqs((await store.listEvents(parseListingQuery({ q, ...extra }))).entries as { seq: number }[]);
        // Row changes are logged between the webhooks (each opens a room): a search lists webhooks only.
        const webhooks = (await store.readAfter(0, 100)).filter((entry) => entry.kind === 'webhook').map((entry) => entry.seq);
        const [one, two, , four] = webhooks;
        assert.deepEqual(await found('DAILY standup'), [four, two, one]);
        assert.deepEqual(await found('daily stand'), [four, two, one], 'the last word as typed so far');
        assert.deepEqual(await found('standup 4'), [four], 'a body that is not JSON is searched as its text');
        assert.deepEqual(await found('1790'), [], 'numbers are not words of the payload');
        assert.deepEqual(await found('roomName'), [], 'nor are keys');
        assert.deepEqual(await found('daily standup', { limit: '1', before: `0:w:${four}` }), [two]);
      }));

    test('a room name lists the entries of the rooms by that name, any case; too many rooms of one name is refused', () =>
      withStore(async (store) => {
        await store.append([event(1, { roomId: 'a', body: Buffer.from('{"open":"a"}') }), event(2, { roomId: 'b', body: Buffer.from('{"open":"b"}') })]);
        await store.writeRows(() => [
          { kind: 'room', row: room('a', { roomName: 'All Hands' }) },
          { kind: 'room', row: room('b', { roomName: 'Retro' }) },
        ]);
        const found = async (roomName: string) => (await store.listEvents(parseListingQuery({ roomName }))).entries.map((entry) => (entry.kind === 'refusal' ? 0 : entry.roomId));
        assert.deepEqual(await found('all HANDS'), ['a']);
        assert.deepEqual(await found('retro'), ['b']);
        assert.deepEqual(await found('nobody'), []);
        await store.writeRows(() => Array.from({ length: MAX_ROOMS_PER_NAME + 1 }, (_, i) => ({ kind: 'room' as const, row: room(`same-${i}`, { roomName: 'Same' }) })));
        await assert.rejects(store.listEvents(parseListingQuery({ roomName: 'same' })), InvalidQuery);
      }));

    test('a page with bodies is the same page, each webhook and replay with its payload as text, refusals with none', () =>
      withStore(async (store) => {
        await store.append([event(1)]);
        await store.recordRefusal(keptRefusal({ source: 'meet', reason: 'signature_mismatch', detail: undefined, ip: undefined, at: Date.now(), headers: {} }));
        const note = '{"replayOf":1,"source":"openvidu","type":"sessionCreated","roomId":"room-1","payload":{"n":1}}';
        await store.writeRows(() => [], { note: { source: 'openvidu', type: 'replay', roomId: 'room-1', body: Buffer.from(note) } });
        const query = parseListingQuery({ limit: '2' });
        const [plain, withBodies] = await Promise.all([store.listEvents(query), store.listEventsWithBodies(query)]);
        assert.deepEqual(
          withBodies.entries.map(({ body: _body, ...entry }) => entry),
          plain.entries,
        );
        assert.equal(withBodies.next, plain.next);
        const all = await store.listEventsWithBodies(parseListingQuery({}));
        assert.deepEqual(Object.fromEntries(all.entries.map((entry) => [entry.kind, entry.body])), { replay: note, refusal: null, event: '{"n":1}' });
      }));

    test('the epoch is made once per store: the same after reopening, another for another store', async () => {
      const location = await backend.create();
      const other = await backend.create();
      try {
        const store = await location.open();
        const epoch = store.epoch;
        await store.append([event(1)]);
        await store.close();
        assert.match(epoch, /^[\w-]{8,}$/);
        const reopened = await location.open();
        assert.equal(reopened.epoch, epoch);
        assert.equal(await reopened.latestSeq(), 1);
        await reopened.close();
        const elsewhere = await other.open();
        assert.notEqual(elsewhere.epoch, epoch);
        await elsewhere.close();
      } finally {
        await location.destroy();
        await other.destroy();
      }
    });

    test('entries, rows and the prune mark survive closing and reopening', async () => {
      const location = await backend.create();
      try {
        let store = await location.open({ project: countingProjection });
        for (let n = 1; n <= 4; n++) await store.append([event(n, { body: Buffer.from('{"open":"a"}') })]);
        while ((await store.prune({ keep: 2 }, 100)) > 0);
        await store.close();
        store = await location.open({ project: countingProjection });
        assert.equal(await store.prunedThrough(), 4);
        assert.equal(await store.latestSeq(), 8);
        assert.equal(store.rows.seq, 8);
        assert.equal(store.rows.room('openvidu', 'a')?.participants, 4);
        assert.deepEqual(await store.append([event(4)]), [{ status: 'repeat', seq: 7 }]);
        assert.deepEqual(await store.append([event(5)]), [{ status: 'stored', seq: 9 }]);
        await store.close();
      } finally {
        await location.destroy();
      }
    });

    test('figures count entries by kind and rows by platform and status; the store is ready and, alone, the leader', () =>
      withStore(async (store) => {
        await store.append([event(1, { body: Buffer.from('{"open":"a"}') }), event(2)]);
        await store.writeRows(() => [{ kind: 'room', row: room('b', { removed: true }) }]);
        const figures = await store.figures();
        assert.deepEqual(figures.eventsByKind, { webhook: 2, change: 2 });
        assert.equal(figures.latestSeq, 4);
        assert.ok(figures.bytes > 0);
        assert.deepEqual(
          figures.rooms.map((r) => `${r.source}/${r.status}=${r.n}`).sort(),
          ['openvidu/open=1', 'openvidu/removed=1'],
        );
        assert.deepEqual(await store.readiness(), { ready: true });
        await until(() => store.leadership.isLeader(), 'the only store becomes the leader');
      }));
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
