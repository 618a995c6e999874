// The usage aggregate through the Store interface, on every backend (test/helpers/store-backends.ts): built
// from the log at start, in pages, it equals the one that followed every commit live — also when webhooks
// commit while the log is being read (each counted once) — and a meeting the log no longer starts is
// counted from the rows; and instances sharing one store (PostgreSQL) agree.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewEvent } from '../server/domain/events.js';
import type { Store } from '../server/store/store.js';
import { followLogForUsage, type UsageFollower } from '../server/usage/follow-log.js';
import type { UsageAggregate } from '../server/usage/usage-aggregate.js';
import { storeBackends } from './helpers/store-backends.js';
import { manualClock } from './helpers/clock.js';

const MINUTE = 60_000;
let counter = 0;

async function builtUsage({ usage, built }: UsageFollower): Promise<UsageAggregate> {
  await built;
  return usage;
}

function meetWebhook(event: 'meetingStarted' | 'meetingEnded', roomId: string, at: number): NewEvent {
  const payload = { event, creationDate: at, data: { roomId, roomName: roomId, status: event === 'meetingStarted' ? 'active_meeting' : 'open', meetingEndAction: 'none' } };
  return { source: 'meet', type: event, createdAt: at, dedupeKey: `usage-test:${++counter}`, roomId, headers: {}, body: Buffer.from(JSON.stringify(payload)), parsed: payload };
}

for (const backend of storeBackends) {
  describe(`usage on the ${backend.name} store`, async () => {
    const unavailable = await backend.unavailable();
    if (unavailable !== undefined) {
      test(`skipped: ${unavailable}`, { skip: unavailable }, () => {});
      return;
    }

    test('built from the log in pages, while webhooks keep committing, it equals the aggregate that followed every commit', async () => {
      const clock = manualClock(Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE);
      const first = clock.now();
      const location = await backend.create();
      const store: Store = await location.open({ now: clock.now });
      try {
        const live = await builtUsage(followLogForUsage(store, clock.now));
        const meeting = async (room: string, minutes: number) => {
          await store.append([meetWebhook('meetingStarted', room, clock.now())]);
          clock.advance(minutes * MINUTE);
          await store.append([meetWebhook('meetingEnded', room, clock.now())]);
        };
        for (let i = 0; i < 10; i++) await meeting(`room-${i % 3}`, 2);
        await store.append([meetWebhook('meetingStarted', 'still-on', clock.now())]);

        // Pages of 3 entries; a commit that a page then reads too (it also reaches the feed), and one after
        // the last page was read (only the feed has it).
        let reads = 0;
        let lateB = false;
        const interleaved: Pick<Store, 'readAfter' | 'onCommitted' | 'rows'> = {
          readAfter: async (seq, limit) => {
            reads += 1;
            if (reads === 1) await meeting('late-a', 1);
            const page = await store.readAfter(seq, limit);
            if (page.length === 0 && !lateB) {
              lateB = true;
              await store.append([meetWebhook('meetingStarted', 'late-b', clock.now())]);
            }
            return page;
          },
          onCommitted: (listener) => store.onCommitted(listener),
          get rows() {
            return store.rows;
          },
        };
        const rebuilt = await builtUsage(followLogForUsage(interleaved, clock.now, 3));
        assert.ok(reads > 3, 'the log was read in several pages');
        clock.advance(MINUTE);
        await store.append([meetWebhook('meetingEnded', 'late-b', clock.now())]);

        const range = { from: first, to: clock.now() + MINUTE, bucket: '1m' } as const;
        const series = (usage: UsageAggregate) => {
          const { repeatsAndRefusalsSince: _since, ...rest } = usage.series(range, clock.now());
          return rest;
        };
        assert.deepEqual(series(rebuilt), series(live));
        const { webhooks, meetings } = series(live);
        assert.equal(webhooks.stored.reduce((a, b) => a + b), 10 * 2 + 1 + 2 + 2);
        assert.equal(meetings.at(-1), 1, 'only "still-on" is on at the end');
      } finally {
        await store.close();
        await location.destroy();
      }
    });

    // Several instances on one store: only a backend shared by instances (PostgreSQL) has them.
    test('two instances on one store show the same usage: each follows the other\'s commits', { skip: backend.name === 'sqlite' && 'one instance per SQLite store' }, async () => {
      const clock = manualClock(Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE);
      const first = clock.now();
      const location = await backend.create();
      const one: Store = await location.open({ now: clock.now });
      const other: Store = await location.open({ now: clock.now });
      try {
        const usageOfOne = await builtUsage(followLogForUsage(one, clock.now));
        const usageOfOther = await builtUsage(followLogForUsage(other, clock.now));
        await one.append([meetWebhook('meetingStarted', 'on-one', clock.now())]);
        clock.advance(2 * MINUTE);
        await other.append([meetWebhook('meetingStarted', 'on-other', clock.now())]);
        await one.append([meetWebhook('meetingEnded', 'on-one', clock.now())]);
        // The marker: once each instance has seen the other's newest entry, it has seen all before it.
        const last = await one.latestSeq();
        const seen = (store: Store) =>
          new Promise<void>((resolve) => {
            if (store.rows.seq >= last) resolve();
            else store.onCommitted((entries) => entries.some((entry) => entry.seq >= last) && resolve());
          });
        await Promise.all([seen(one), seen(other)]);
        const range = { from: first, to: clock.now() + MINUTE, bucket: '1m' } as const;
        const series = (usage: UsageAggregate) => {
          const { repeatsAndRefusalsSince: _since, ...rest } = usage.series(range, clock.now());
          return rest;
        };
        assert.deepEqual(series(usageOfOther), series(usageOfOne));
        assert.deepEqual(series(usageOfOne).meetings, [1, 1, 1]);
        assert.deepEqual(series(usageOfOne).webhooks.stored, [1, 0, 2]);
      } finally {
        await one.close();
        await other.close();
        await location.destroy();
      }
    });

    test('a meeting whose start is no longer in the log is counted from its row', async () => {
      const clock = manualClock(Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE);
      const location = await backend.create();
      let store: Store = await location.open({ now: clock.now });
      try {
        const startedAt = clock.now();
        await store.append([meetWebhook('meetingStarted', 'long-meeting', startedAt)]);
        clock.advance(10 * MINUTE);
        for (let i = 0; i < 3; i++) await store.append([meetWebhook('meetingStarted', `other-${i}`, clock.now())]);
        // Everything but the newest webhook goes: the long meeting's start with it.
        while ((await store.prune({ keep: 1 }, 100)) > 0);
        await store.close();
        store = await location.open({ now: clock.now });
        const usage = await builtUsage(followLogForUsage(store, clock.now));
        const { meetings } = usage.series({ from: startedAt, to: clock.now() + MINUTE, bucket: '1m' }, clock.now());
        assert.equal(meetings[0], 1, 'the long meeting, from its activeSince');
        assert.equal(meetings.at(-1), 4);
      } finally {
        await store.close();
        await location.destroy();
      }
    });
  });
}
