// The setup screen's meetings now: read from the rows at one log position, then followed from the store's
// feed. A feed may bring entries the rows already reflect (a PostgreSQL instance applies its own commits to
// its rows before its tailer delivers them): those must not move a room back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../server/domain/events.js';
import type { RoomRow, RoomStatus } from '../server/domain/rows.js';
import { ActiveMeetings } from '../server/setup/active-meetings.js';

const room = (roomId: string, status: RoomStatus): RoomRow => ({
  source: 'meet',
  roomId,
  roomName: roomId,
  status,
  links: {},
  updatedAt: 1,
  eventAt: 1,
  heardAt: 1,
  removed: false,
  ...(status === 'active_meeting' && { activeSince: 1 }),
});

const roomChange = (seq: number, row: RoomRow): StoredEvent => ({
  seq,
  kind: 'change',
  source: row.source,
  type: 'room',
  createdAt: null,
  receivedAt: seq,
  dedupeKey: null,
  roomId: row.roomId,
  headers: {},
  body: Buffer.from(JSON.stringify(row)),
});

const activeRooms = (meetings: ActiveMeetings) => meetings.of('meet').length;

test('room changes after the rows read are followed; those the rows already reflect, delivered late, are not', () => {
  // The rows at position 5: "standup" ended at 5, after it began at 4.
  const rows = { seq: 5, allRooms: () => [room('standup', 'open'), room('review', 'active_meeting')] };
  const meetings = new ActiveMeetings(rows);
  assert.equal(activeRooms(meetings), 1);

  // The feed brings them one at a time; a report may be asked for in between.
  meetings.committed([roomChange(4, room('standup', 'active_meeting'))]);
  assert.equal(activeRooms(meetings), 1, 'the late start of a meeting already over does not count');
  meetings.committed([roomChange(5, room('standup', 'open'))]);
  assert.equal(activeRooms(meetings), 1);

  meetings.committed([roomChange(6, room('standup', 'active_meeting'))]);
  assert.equal(activeRooms(meetings), 2);
  meetings.committed([roomChange(7, room('review', 'closed')), roomChange(8, { ...room('standup', 'active_meeting'), removed: true })]);
  assert.equal(activeRooms(meetings), 0);
});
