// The rooms list's filter (public/src/room-filter.ts): it round-trips through the #/rooms address, ignores
// what it does not know, and decides row by row, with closed rooms hidden by default once there are many.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MANY_ROOMS, hidesClosed, roomFilterFromParams, roomFilterToParams, roomMatches, type RoomFilter } from '../public/src/room-filter.js';
import type { RoomRow, RoomStatus, SourceId } from '../server/domain/rows.js';

const row = (source: SourceId, roomId: string, status: RoomStatus, roomName = roomId): RoomRow =>
  ({ source, roomId, roomName, status, links: {}, updatedAt: 1, eventAt: 1, heardAt: 1, removed: false }) as RoomRow;

test('a filter and its address give each other back, in one order', () => {
  const filter: RoomFilter = { source: 'livekit', status: 'active_meeting', recording: true, closed: 'show', text: 'stand up' };
  const params = roomFilterToParams(filter);
  assert.equal(params.toString(), 'source=livekit&status=active_meeting&recording=1&closed=show&q=stand+up');
  assert.deepEqual(roomFilterFromParams(params), filter);
  assert.deepEqual(roomFilterFromParams(new URLSearchParams('q=%20&recording=1')), { recording: true });
});

test('values the page does not know are left out, not trusted', () => {
  assert.deepEqual(roomFilterFromParams(new URLSearchParams('source=zoom&status=busy&recording=yes&closed=maybe')), {});
});

test('closed rooms: shown while few, hidden by default from MANY_ROOMS on, as the address says otherwise; a chosen status wins', () => {
  assert.equal(hidesClosed({}, MANY_ROOMS - 1), false);
  assert.equal(hidesClosed({}, MANY_ROOMS), true);
  assert.equal(hidesClosed({ closed: 'show' }, 10_000), false);
  assert.equal(hidesClosed({ closed: 'hide' }, 1), true);
  assert.equal(hidesClosed({ status: 'closed', closed: 'hide' }, 10_000), false);
});

test('a row matches on platform, status, recording and a part of its name or id, in any case', () => {
  const facts = { hideClosed: false, isRecording: (key: string) => key === 'livekit:RM_1' };
  const standup = row('meet', 'daily-standup-x1', 'active_meeting', 'Daily Standup');
  const call = row('livekit', 'RM_1', 'active_meeting', 'Customer Call');
  const old = row('livekit', 'RM_0', 'closed', 'Old Call');
  const keyOf = (r: RoomRow) => `${r.source}:${r.roomId}`;
  const shown = (filter: RoomFilter, hideClosed = false) =>
    [standup, call, old].filter((r) => roomMatches(r, keyOf(r), filter, { ...facts, hideClosed })).map((r) => r.roomName);

  assert.deepEqual(shown({}), ['Daily Standup', 'Customer Call', 'Old Call']);
  assert.deepEqual(shown({}, true), ['Daily Standup', 'Customer Call']);
  assert.deepEqual(shown({ status: 'closed' }, true), ['Old Call']);
  assert.deepEqual(shown({ source: 'livekit' }), ['Customer Call', 'Old Call']);
  assert.deepEqual(shown({ recording: true }), ['Customer Call']);
  assert.deepEqual(shown({ text: 'STAND' }), ['Daily Standup']);
  assert.deepEqual(shown({ text: 'rm_0' }), ['Old Call']);
});
