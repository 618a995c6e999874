import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectMeetEvent } from '../server/platforms/meet/project.js';
import { reconcileMeetRecordings, reconcileMeetRooms } from '../server/platforms/meet/reconcile.js';
import type { RowReader } from '../server/domain/row-reader.js';
import type { RecordingRow, RoomRow, RowChange, SourceId } from '../server/domain/rows.js';

/** Rows as plain values, updated the way the row store updates them. */
class Rows implements RowReader {
  rooms = new Map<string, RoomRow>();
  recordings = new Map<string, RecordingRow>();
  room(_source: SourceId, roomId: string) {
    return this.rooms.get(roomId);
  }
  recording(_source: SourceId, recordingId: string) {
    return this.recordings.get(recordingId);
  }
  recordingsOfRoom(_source: SourceId, roomId: string) {
    return [...this.recordings.values()].filter((r) => r.roomId === roomId);
  }
  apply(changes: RowChange[]): RowChange[] {
    for (const change of changes) {
      if (change.kind === 'room') this.rooms.set(change.row.roomId, change.row);
      else this.recordings.set(change.row.recordingId, change.row);
    }
    return changes;
  }
  /** Projects an event received at createdAt + 50 ms. */
  event(type: string, createdAt: number, data: unknown): RowChange[] {
    return this.apply(projectMeetEvent({ type, createdAt, receivedAt: createdAt + 50, data }, this));
  }
}

const ROOM_ID = 'daily_standup-k3j9x0q2m7a1b4c';
const room34 = (status: string, meetingEndAction = 'none') => ({
  roomId: ROOM_ID,
  roomName: 'Daily Standup',
  moderatorUrl: `http://localhost:9080/room/${ROOM_ID}?secret=mod`,
  speakerUrl: `http://localhost:9080/room/${ROOM_ID}?secret=spk`,
  status,
  meetingEndAction,
});
const room38 = (status: string) => ({
  roomId: ROOM_ID,
  roomName: 'Daily Standup',
  access: {
    anonymous: {
      moderator: { enabled: true, url: `http://localhost:9080/meet/room/${ROOM_ID}?secret=mod` },
      speaker: { enabled: true, url: `http://localhost:9080/meet/room/${ROOM_ID}?secret=spk` },
      recording: { enabled: true, url: `http://localhost:9080/meet/room/${ROOM_ID}/recordings?secret=rec` },
    },
  },
  status,
  meetingEndAction: 'none',
});
const REC_ID = `${ROOM_ID}--EG_hT4sRkP9mXqL--q8w7e6r5t4`;
const recording = (status: string, extra: Record<string, unknown> = {}) => ({
  recordingId: REC_ID,
  roomId: ROOM_ID,
  roomName: 'Daily Standup',
  status,
  filename: `${ROOM_ID}--q8w7e6r5t4.mp4`,
  startDate: 1000.5,
  ...extra,
});

test('meetingStarted makes the room active, with the 3.4 join links', () => {
  const rows = new Rows();
  rows.event('meetingStarted', 1000, room34('active_meeting'));
  const row = rows.rooms.get(ROOM_ID)!;
  assert.equal(row.status, 'active_meeting');
  assert.equal(row.roomName, 'Daily Standup');
  assert.deepEqual(row.links, { moderator: `http://localhost:9080/room/${ROOM_ID}?secret=mod`, speaker: `http://localhost:9080/room/${ROOM_ID}?secret=spk` });
  assert.deepEqual([row.eventAt, row.heardAt, row.updatedAt, row.removed], [1000, 1050, 1050, false]);
});

test('3.8+ rooms carry their join links in access.*.url', () => {
  const rows = new Rows();
  rows.event('meetingStarted', 1000, room38('active_meeting'));
  assert.deepEqual(rows.rooms.get(ROOM_ID)!.links, {
    moderator: `http://localhost:9080/meet/room/${ROOM_ID}?secret=mod`,
    speaker: `http://localhost:9080/meet/room/${ROOM_ID}?secret=spk`,
    recordings: `http://localhost:9080/meet/room/${ROOM_ID}/recordings?secret=rec`,
  });
});

const meetingCases: { name: string; events: [string, number, object][]; status: string; removed?: boolean }[] = [
  { name: 'an ended meeting reopens the room', events: [['meetingStarted', 1000, room34('active_meeting')], ['meetingEnded', 2000, room34('open')]], status: 'open' },
  {
    name: 'a meeting that ends a scheduled close leaves the room closed',
    events: [['meetingStarted', 1000, room34('active_meeting')], ['meetingEnded', 2000, room34('closed')]],
    status: 'closed',
  },
  {
    name: 'a stale meetingStarted arriving after meetingEnded does not flip the room back',
    events: [['meetingEnded', 2000, room34('open')], ['meetingStarted', 1000, room34('active_meeting')]],
    status: 'open',
  },
  {
    name: 'a retried meetingStarted changes nothing',
    events: [['meetingStarted', 1000, room34('active_meeting')], ['meetingEnded', 2000, room34('open')], ['meetingStarted', 1000, room34('active_meeting')]],
    status: 'open',
  },
  {
    name: 'a new meeting after an old one makes the room active again',
    events: [['meetingStarted', 1000, room34('active_meeting')], ['meetingEnded', 2000, room34('open')], ['meetingStarted', 3000, room34('active_meeting')]],
    status: 'active_meeting',
  },
  {
    name: 'meetingEnded with meetingEndAction "delete" removes the room, though it says active_meeting',
    events: [['meetingStarted', 1000, room34('active_meeting')], ['meetingEnded', 2000, room34('active_meeting', 'delete')]],
    status: 'closed',
    removed: true,
  },
  {
    name: 'a late meetingStarted does not bring a deleted room back',
    events: [['meetingEnded', 2000, room34('active_meeting', 'delete')], ['meetingStarted', 1000, room34('active_meeting')]],
    status: 'closed',
    removed: true,
  },
];
for (const { name, events, status, removed = false } of meetingCases) {
  test(name, () => {
    const rows = new Rows();
    for (const [type, at, data] of events) rows.event(type, at, data);
    const row = rows.rooms.get(ROOM_ID)!;
    assert.equal(row.status, status);
    assert.equal(row.removed, removed);
  });
}

test('a stale event produces no change at all', () => {
  const rows = new Rows();
  rows.event('meetingEnded', 2000, room34('open'));
  assert.deepEqual(rows.event('meetingStarted', 1999, room34('active_meeting')), []);
});

test('a deleted room takes its recordings with it', () => {
  const rows = new Rows();
  rows.event('recordingEnded', 1500, recording('complete', { size: 10, duration: 1 }));
  const changes = rows.event('meetingEnded', 2000, room34('active_meeting', 'delete'));
  assert.deepEqual(changes.map((c) => [c.kind, c.row.removed]), [
    ['room', true],
    ['recording', true],
  ]);
});

test('the four-step recording sequence ends complete with size and duration', () => {
  const rows = new Rows();
  rows.event('recordingStarted', 1000, recording('starting'));
  assert.equal(rows.recordings.get(REC_ID)!.status, 'starting');
  rows.event('recordingUpdated', 1100, recording('active', { startDate: 1090.25 }));
  rows.event('recordingUpdated', 5000, recording('ending'));
  rows.event('recordingEnded', 5200, recording('complete', { endDate: 5100.75, duration: 62.483, size: 8734211 }));
  const row = rows.recordings.get(REC_ID)!;
  assert.deepEqual(
    { status: row.status, startedAt: row.startedAt, endedAt: row.endedAt, duration: row.duration, size: row.size, roomName: row.roomName },
    { status: 'complete', startedAt: 1000.5, endedAt: 5100.75, duration: 62.483, size: 8734211, roomName: 'Daily Standup' },
  );
});

const recordingCases: { name: string; events: [string, number, object][]; status: string }[] = [
  {
    name: 'recordingEnded arriving before recordingUpdated(active) is not undone by it',
    events: [['recordingStarted', 1000, recording('starting')], ['recordingEnded', 3000, recording('complete')], ['recordingUpdated', 2000, recording('active')]],
    status: 'complete',
  },
  {
    name: 'a recording status never moves backwards, even on a newer timestamp',
    events: [['recordingUpdated', 2000, recording('ending')], ['recordingUpdated', 2500, recording('active')]],
    status: 'ending',
  },
  {
    name: 'a newer final status overwrites an older final one (Meet overwrites with LiveKit’s)',
    events: [['recordingEnded', 2000, recording('aborted')], ['recordingEnded', 2500, recording('complete')]],
    status: 'complete',
  },
  {
    name: 'an older final status arriving late does not replace a newer one',
    events: [['recordingEnded', 2500, recording('complete')], ['recordingEnded', 2000, recording('aborted')]],
    status: 'complete',
  },
  {
    name: 'failed, aborted and limit_reached are final statuses',
    events: [['recordingStarted', 1000, recording('starting')], ['recordingEnded', 2000, recording('limit_reached')], ['recordingUpdated', 2100, recording('ending')]],
    status: 'limit_reached',
  },
];
for (const { name, events, status } of recordingCases) {
  test(name, () => {
    const rows = new Rows();
    for (const [type, at, data] of events) rows.event(type, at, data);
    assert.equal(rows.recordings.get(REC_ID)!.status, status);
  });
}

test('a deleted recording stays deleted', () => {
  const rows = new Rows();
  rows.event('recordingEnded', 1000, recording('complete'));
  rows.apply([{ kind: 'recording', row: { ...rows.recordings.get(REC_ID)!, removed: true } }]);
  assert.deepEqual(rows.event('recordingEnded', 9000, recording('complete')), []);
});

test('testEvent, unknown events and malformed data project nothing', () => {
  const rows = new Rows();
  assert.deepEqual(rows.event('testEvent', 1000, { message: 'This is a test webhook event' }), []);
  assert.deepEqual(rows.event('roomFinished', 1000, room34('closed')), []);
  assert.deepEqual(rows.event('meetingStarted', 1000, 'not an object'), []);
  assert.deepEqual(rows.event('meetingStarted', 1000, { roomName: 'no id' }), []);
  assert.deepEqual(rows.event('recordingEnded', 1000, { roomId: ROOM_ID }), []);
});

test('an unknown status falls back to what the event means', () => {
  const rows = new Rows();
  rows.event('meetingStarted', 1000, { roomId: ROOM_ID, status: 'warming_up' });
  assert.equal(rows.rooms.get(ROOM_ID)!.status, 'active_meeting');
  assert.equal(rows.rooms.get(ROOM_ID)!.roomName, ROOM_ID);
});

test('webhook links do not replace the links read from the REST API', () => {
  const rows = new Rows();
  rows.apply(reconcileMeetRooms([room34('open') as never], [], 500, 600));
  rows.event('meetingStarted', 1000, { ...room34('active_meeting'), moderatorUrl: 'http://other-host:6080/room/x?secret=mod' });
  assert.equal(rows.rooms.get(ROOM_ID)!.links.moderator, `http://localhost:9080/room/${ROOM_ID}?secret=mod`);
});

test('a REST read adds, updates and removes rooms, but never undoes a webhook heard after it started', () => {
  const rows = new Rows();
  rows.event('meetingStarted', 1000, room34('active_meeting')); // heard at 1050
  rows.event('meetingStarted', 1000, { ...room34('active_meeting'), roomId: 'gone-1' }); // heard at 1050
  const later = { ...room34('active_meeting'), roomId: 'later-1' };
  rows.event('meetingStarted', 3000, later); // heard at 3050, after the read started

  const rest = [room34('open'), { ...room34('closed'), roomId: 'new-1', roomName: 'New' }, { ...later, status: 'open' }];
  const changes = rows.apply(reconcileMeetRooms(rest as never, [...rows.rooms.values()], 2000, 4000));
  const byId = Object.fromEntries(changes.map((c) => [c.kind === 'room' ? c.row.roomId : '', c.row]));
  assert.deepEqual(Object.keys(byId).sort(), [ROOM_ID, 'gone-1', 'new-1']);
  assert.equal(rows.rooms.get(ROOM_ID)!.status, 'open');
  assert.equal(rows.rooms.get('new-1')!.status, 'closed');
  assert.equal(rows.rooms.get('gone-1')!.removed, true);
  assert.equal(rows.rooms.get('later-1')!.status, 'active_meeting');
  assert.equal(rows.rooms.get(ROOM_ID)!.updatedAt, 4000);
  // Reading the same again changes nothing.
  assert.deepEqual(reconcileMeetRooms(rest as never, [...rows.rooms.values()], 5000, 6000).filter((c) => c.row.roomId !== 'later-1'), []);
});

test('a REST read of recordings fills in what webhooks missed and removes deleted ones', () => {
  const rows = new Rows();
  rows.event('recordingUpdated', 1000, recording('active'));
  rows.event('recordingEnded', 1000, { ...recording('complete'), recordingId: 'deleted-rec' });
  const rest = [recording('aborted'), { ...recording('complete', { size: 5 }), recordingId: 'missed-rec' }];
  rows.apply(reconcileMeetRecordings(rest as never, [...rows.recordings.values()], 2000, 3000));
  assert.equal(rows.recordings.get(REC_ID)!.status, 'aborted');
  assert.equal(rows.recordings.get('missed-rec')!.size, 5);
  assert.equal(rows.recordings.get('deleted-rec')!.removed, true);
});

test('a REST read never moves a recording backwards', () => {
  const rows = new Rows();
  rows.event('recordingEnded', 1000, recording('complete'));
  rows.apply(reconcileMeetRecordings([recording('active')] as never, [...rows.recordings.values()], 2000, 3000));
  assert.equal(rows.recordings.get(REC_ID)!.status, 'complete');
});
