// The usage charts' figures (server/usage/usage-aggregate.ts), fed log entries the way the store's feed
// gives them: meetings across bucket edges and midnight UTC, meetings still on, webhooks by outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../server/domain/events.js';
import type { RoomRow, RoomStatus, SourceId } from '../server/domain/rows.js';
import { UsageAggregate } from '../server/usage/usage-aggregate.js';
import { parseUsageQuery } from '../server/usage/usage-query.js';
import { ApiError } from '../server/api-error.js';
import fc from 'fast-check';
import { BUCKETS, type BucketName } from '../server/usage/usage-series.js';
import { checkProperty } from './fuzz/run-property.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 2026-03-02 00:00 UTC */
const MONDAY = Date.UTC(2026, 2, 2);
const at = (hours: number, minutes = 0) => MONDAY + hours * 3_600_000 + minutes * MINUTE;

let seq = 0;
function roomChange(source: SourceId, roomId: string, status: RoomStatus, receivedAt: number, activeSince?: number, removed = false): StoredEvent {
  const row = { source, roomId, roomName: roomId, status, links: {}, updatedAt: receivedAt, eventAt: receivedAt, heardAt: receivedAt, removed, activeSince } as RoomRow;
  return { seq: ++seq, kind: 'change', source, type: 'room', createdAt: null, receivedAt, dedupeKey: null, roomId, headers: {}, body: Buffer.from(JSON.stringify(row)) };
}
function webhook(source: SourceId, receivedAt: number): StoredEvent {
  return { seq: ++seq, kind: 'webhook', source, type: 'meetingStarted', createdAt: receivedAt, receivedAt, dedupeKey: `d${seq}`, roomId: 'r', headers: {}, body: Buffer.from('{}') };
}
/** A meeting from `start` to `end` in one room, as the log carries it: on, then closed. */
function meeting(source: SourceId, roomId: string, start: number, end: number): StoredEvent[] {
  return [roomChange(source, roomId, 'active_meeting', start, start), roomChange(source, roomId, 'open', end)];
}

test('a meeting counts in every bucket it overlaps, and not in the bucket that starts when it ends', () => {
  const usage = new UsageAggregate(0);
  usage.applyEntries([...meeting('meet', 'a', at(10, 10), at(10, 50)), ...meeting('livekit', 'b', at(10, 0), at(10, 30))]);
  const series = usage.series({ from: at(9, 45), to: at(11, 15), bucket: '15m' }, at(12));
  assert.deepEqual(series.buckets, [at(9, 45), at(10, 0), at(10, 15), at(10, 30), at(10, 45), at(11, 0)]);
  assert.deepEqual(series.meetings, [0, 2, 2, 1, 1, 0]);
});

test('a meeting that begins before the range counts from its first bucket; a later start is counted where it is', () => {
  const usage = new UsageAggregate(0);
  usage.applyEntries([...meeting('meet', 'a', at(1), at(3)), ...meeting('meet', 'b', at(4), at(5)), ...meeting('meet', 'c', at(0), at(0, 30))]);
  const series = usage.series({ from: at(2), to: at(6), bucket: '1h' }, at(12));
  assert.deepEqual(series.meetings, [1, 0, 1, 0]);
});

test('a meeting still on counts in every bucket since it began, and its minutes so far', () => {
  const usage = new UsageAggregate(0);
  usage.applyEntries([roomChange('openvidu', 'on', 'active_meeting', at(10, 5), at(10)), roomChange('openvidu', 'on', 'active_meeting', at(10, 20), at(10))]);
  const series = usage.series({ from: at(9), to: at(12), bucket: '1h' }, at(11, 30));
  assert.deepEqual(series.meetings, [0, 1, 1]);
  assert.deepEqual(series.minutesPerDay.bySource, { openvidu: [90] });
});

test('meeting minutes per day are split at midnight UTC, by platform', () => {
  const usage = new UsageAggregate(0);
  usage.applyEntries([...meeting('meet', 'late', at(23, 50), at(24, 20)), ...meeting('livekit', 'x', at(12), at(12, 45)), ...meeting('meet', 'y', at(30), at(31))]);
  const series = usage.series({ from: MONDAY, to: MONDAY + 2 * DAY, bucket: '1d' }, MONDAY + 3 * DAY);
  assert.deepEqual(series.minutesPerDay.days, [MONDAY, MONDAY + DAY]);
  assert.deepEqual(series.minutesPerDay.bySource, { meet: [10, 80], livekit: [45, 0] });
  // Day buckets read the same figures as minute buckets.
  assert.deepEqual(series.meetings, [2, 2]);
});

test('webhooks per bucket by outcome: stored from the log, repeats and refusals as they are answered', () => {
  const usage = new UsageAggregate(at(0));
  usage.applyEntries([webhook('meet', at(10, 0)), webhook('meet', at(10, 0) + 59_999), webhook('livekit', at(10, 1))]);
  usage.countRepeats(2, at(10, 1));
  usage.countRefusal(at(10, 2));
  const series = usage.series({ from: at(10), to: at(10, 3), bucket: '1m' }, at(11));
  assert.deepEqual(series.webhooks, { stored: [2, 1, 0], repeated: [0, 2, 0], refused: [0, 0, 1] });
  assert.equal(series.repeatsAndRefusalsSince, at(0));
});

test('a platform that corrects when a meeting began moves its start; a room seen on again never counts a minute twice', () => {
  const usage = new UsageAggregate(0);
  usage.applyEntries([
    roomChange('meet', 'a', 'active_meeting', at(10, 30), at(10, 30)),
    // A REST read finds it began earlier.
    roomChange('meet', 'a', 'active_meeting', at(10, 40), at(9, 50)),
    roomChange('meet', 'a', 'open', at(11)),
    // A late change says it was on since before the end already counted.
    roomChange('meet', 'a', 'active_meeting', at(11, 30), at(10, 45)),
    roomChange('meet', 'a', 'closed', at(11, 45)),
  ]);
  const series = usage.series({ from: at(9), to: at(12), bucket: '1h' }, at(12));
  // The second stretch starts where the first ended (11:00), not at 10:45.
  assert.deepEqual(series.meetings, [1, 1, 1]);
  assert.deepEqual(series.minutesPerDay.bySource, { meet: [70 + 45] });
});

test('a room that the rows show on, whose start is no longer in the log, is counted from its activeSince', () => {
  const usage = new UsageAggregate(0);
  const row = { source: 'meet', roomId: 'old', roomName: 'old', status: 'active_meeting', links: {}, updatedAt: 0, eventAt: 0, heardAt: 0, removed: false, activeSince: at(8) } as RoomRow;
  usage.adoptOngoing([row], at(10));
  const series = usage.series({ from: at(7), to: at(10), bucket: '1h' }, at(10));
  assert.deepEqual(series.meetings, [0, 1, 1]);
});

test('weeks later, when its minutes are forgotten, a meeting still counts in hour and day buckets', () => {
  const usage = new UsageAggregate(0);
  usage.applyEntries([...meeting('meet', 'old', at(10, 10), at(10, 50)), ...meeting('meet', 'still-old', at(11, 30), at(13))]);
  // Forty days on: minute records that far back are dropped (a month of minutes is kept).
  usage.applyEntries([webhook('meet', MONDAY + 40 * DAY)]);
  const hours = usage.series({ from: at(9), to: at(14), bucket: '1h' }, MONDAY + 40 * DAY);
  assert.deepEqual(hours.meetings, [0, 1, 1, 1, 0]);
  const days = usage.series({ from: MONDAY, to: MONDAY + 41 * DAY, bucket: '1d' }, MONDAY + 40 * DAY);
  assert.equal(days.meetings[0], 2);
  assert.equal(days.webhooks.stored[40], 1);
  assert.deepEqual(days.minutesPerDay.bySource.meet?.[0], 40 + 90);
});

test('GET /api/usage parameters: checked, bounded, and each refusal says what to send', () => {
  const now = at(12);
  assert.deepEqual(parseUsageQuery({}, now), { from: now - DAY, to: now, bucket: '1h' });
  assert.deepEqual(parseUsageQuery({ from: String(at(10, 7)), to: String(at(11)), bucket: '15m' }, now), { from: at(10), to: at(11), bucket: '15m' });
  const refusal = (query: Record<string, unknown>) => {
    try {
      parseUsageQuery(query, now);
    } catch (error) {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      return error.message;
    }
    assert.fail('accepted');
  };
  assert.match(refusal({ bucket: '2m' }), /bucket must be one of 1m, 5m, 15m, 1h, 1d/);
  assert.match(refusal({ from: 'yesterday' }), /from must be a time in ms/);
  assert.match(refusal({ from: String(now), to: String(now - 1) }), /from must be earlier than to/);
  assert.match(refusal({ from: String(now - 7 * DAY), bucket: '1m' }), /10080 buckets of 1m; at most 1500/);
  assert.match(refusal({ from: String(now - 500 * DAY), bucket: '1d' }), /within the last 400 days/);
  assert.match(refusal({ from: String(now - 40 * DAY), to: String(now - 39 * DAY), bucket: '15m' }), /shorter than 1h reach back 31 days at most/);
  assert.deepEqual(parseUsageQuery({ from: String(now - 40 * DAY), to: String(now - 39 * DAY), bucket: '1h' }, now).bucket, '1h');
  assert.match(refusal({ limit: '3' }), /unknown parameter limit/);
  assert.match(refusal({ from: ['1', '2'] }), /from must be given once/);
});

test('whatever the meetings and webhooks, every bucket width agrees with a count from scratch', async (t) => {
  const HOUR = 3_600_000;
  // Meetings of up to 2 days, starting anywhere in 3 days; webhooks anywhere in them.
  const meetingArb = fc.record({ start: fc.integer({ min: 0, max: 3 * DAY }), length: fc.integer({ min: 0, max: 2 * DAY }), on: fc.boolean() });
  const property = fc.property(fc.array(meetingArb, { maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 3 * DAY }), { maxLength: 30 }), fc.constantFrom<BucketName>('1m', '15m', '1h', '1d'), fc.integer({ min: 0, max: 48 }), (meetings, webhooks, bucket, fromHour) => {
    const now = MONDAY + 6 * DAY;
    const usage = new UsageAggregate(0);
    const entries = meetings.flatMap(({ start, length, on }, i) => {
      const started = roomChange('meet', `m${i}`, 'active_meeting', MONDAY + start, MONDAY + start);
      return on ? [started] : [started, roomChange('meet', `m${i}`, 'open', MONDAY + start + length)];
    });
    entries.push(...webhooks.map((at) => webhook('meet', MONDAY + at)));
    usage.applyEntries(entries.sort((a, b) => a.receivedAt - b.receivedAt));
    const bucketMs = BUCKETS[bucket];
    const from = Math.floor((MONDAY + fromHour * HOUR) / bucketMs) * bucketMs;
    const to = Math.min(from + 200 * bucketMs, MONDAY + 5 * DAY);
    const series = usage.series({ from, to, bucket }, now);
    const expected = series.buckets.map((start) => {
      const end = start + bucketMs;
      const on = meetings.filter(({ start: s, length, on: still }) => {
        const begin = MONDAY + s;
        // The minutes a meeting touches: from its start's minute to the minute holding its last instant.
        const lastMinuteEnd = still ? Infinity : Math.max(Math.floor(begin / MINUTE) + 1, Math.ceil((begin + length) / MINUTE)) * MINUTE;
        return Math.floor(begin / MINUTE) * MINUTE < end && lastMinuteEnd > start;
      }).length;
      const stored = webhooks.filter((at) => MONDAY + at >= start && MONDAY + at < end).length;
      return [on, stored];
    });
    assert.deepEqual(series.buckets.map((_, i) => [series.meetings[i], series.webhooks.stored[i]]), expected);
  });
  await checkProperty(t, property, { shortRuns: 200 });
});
