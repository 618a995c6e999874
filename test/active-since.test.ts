// When the meeting now on began (`activeSince` on a room row), for the dashboard's "in a meeting for …":
// set when a room turns active_meeting, kept while it stays so, gone when it leaves, on every platform and
// whichever way the row changes (webhook, REST read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectLiveKitEvent } from '../server/platforms/livekit/project.js';
import { projectLiveSwitchEvent } from '../server/platforms/liveswitch/project.js';
import { projectMeetEvent } from '../server/platforms/meet/project.js';
import { reconcileMeetRooms, restRoomChange } from '../server/platforms/meet/reconcile.js';
import type { MeetRoom } from '../server/platforms/meet/payloads.js';
import { projectOpenViduEvent } from '../server/platforms/openvidu/project.js';
import type { RoomRow, RowChange } from '../server/domain/rows.js';
import * as lk from './fixtures/livekit.js';
import * as ls from './fixtures/liveswitch.js';
import * as ov from './fixtures/openvidu.js';
import { MemoryRows } from './fixtures/rows.js';

const ROOM_ID = 'daily_standup-k3j9x0q2m7a1b4c';
const T = 1_900_000_000_000;

/** Meet rows, with each webhook received `delayMs` after Meet created it. */
class MeetRows {
  row: RoomRow | undefined;
  event(type: string, createdAt: number, status: string, delayMs = 50): RowChange[] {
    const reader = { room: () => this.row, recording: () => undefined, recordingsOfRoom: () => [] };
    const changes = projectMeetEvent({ type, createdAt, receivedAt: createdAt + delayMs, data: { roomId: ROOM_ID, roomName: 'Daily Standup', status } }, reader);
    for (const change of changes) if (change.kind === 'room') this.row = change.row;
    return changes;
  }
}

test('Meet: meetingStarted sets activeSince to its creationDate; later events keep it; meetingEnded removes it; the next meeting starts afresh', () => {
  const rows = new MeetRows();
  rows.event('meetingStarted', T, 'active_meeting', 3000);
  assert.equal(rows.row?.activeSince, T, 'a delivery that arrived late still says when the meeting began');
  rows.event('meetingStarted', T + 60_000, 'active_meeting');
  assert.equal(rows.row?.activeSince, T);
  rows.event('meetingEnded', T + 120_000, 'open');
  assert.equal(rows.row?.status, 'open');
  assert.equal('activeSince' in rows.row!, false, 'no key at all on a room with no meeting');
  rows.event('meetingStarted', T + 600_000, 'active_meeting');
  assert.equal(rows.row?.activeSince, T + 600_000);
});

test('Meet: a late meetingStarted after its meetingEnded changes nothing, so no meeting is shown as on', () => {
  const rows = new MeetRows();
  rows.event('meetingEnded', T + 60_000, 'open');
  assert.deepEqual(rows.event('meetingStarted', T, 'active_meeting'), []);
  assert.equal(rows.row?.activeSince, undefined);
});

test('a platform clock ahead of roomwatch’s cannot start a meeting in the future: activeSince is at most the receive time', () => {
  const rows = new MeetRows();
  rows.event('meetingStarted', T + 90_000, 'active_meeting', -90_000);
  assert.equal(rows.row?.activeSince, T);
});

const meetRoom = (status: string): MeetRoom => ({ roomId: ROOM_ID, roomName: 'Daily Standup', status }) as MeetRoom;

test('Meet REST: a meeting first seen by a REST read began by the time of that read; one already known keeps its start', () => {
  const open = restRoomChange(meetRoom('open'), undefined, T, T)!.row as RoomRow;
  assert.equal('activeSince' in open, false);

  const found = restRoomChange(meetRoom('active_meeting'), open, T + 5000, T + 6000)!.row as RoomRow;
  assert.equal(found.activeSince, T + 6000);

  const rows = new MeetRows();
  rows.event('meetingStarted', T, 'active_meeting');
  // A read that finds the room still active (a renamed room, say) keeps the webhook's start.
  const renamed = restRoomChange({ ...meetRoom('active_meeting'), roomName: 'Standup' }, rows.row, T + 60_000, T + 61_000)!.row as RoomRow;
  assert.equal(renamed.activeSince, T);
  const ended = reconcileMeetRooms([meetRoom('open')], [rows.row!], T + 60_000, T + 61_000)[0]!.row as RoomRow;
  assert.equal('activeSince' in ended, false);
});

test('LiveKit: room_started sets it from the event time, joins and leaves keep it, room_finished removes it', () => {
  const rows = new MemoryRows('livekit', projectLiveKitEvent);
  rows.receive(lk.roomStarted());
  assert.equal(rows.roomRow(lk.ROOM_SID)?.activeSince, lk.ROOM_CREATED_S * 1000);
  rows.receive(lk.participantJoined());
  rows.receive(lk.participantLeft());
  assert.equal(rows.roomRow(lk.ROOM_SID)?.activeSince, lk.ROOM_CREATED_S * 1000);
  rows.receive(lk.roomFinished());
  assert.equal(rows.roomRow(lk.ROOM_SID)?.status, 'closed');
  assert.equal('activeSince' in rows.roomRow(lk.ROOM_SID)!, false);
});

test('OpenVidu 2: a join that arrives before sessionCreated starts the meeting at the join', () => {
  const rows = new MemoryRows('openvidu', projectOpenViduEvent);
  rows.receive(ov.participantJoined());
  assert.equal(rows.roomRow(ov.UNIQUE_SESSION_ID)?.activeSince, ov.JOINED_AT);
  rows.receive(ov.sessionCreated());
  assert.equal(rows.roomRow(ov.UNIQUE_SESSION_ID)?.activeSince, ov.JOINED_AT, 'the meeting was already on; its start is not moved');
});

test('LiveSwitch: a channel activated again later is a new meeting, with its own start', () => {
  const rows = new MemoryRows('liveswitch', projectLiveSwitchEvent);
  rows.receiveAll([ls.activated(), ls.deactivated()]);
  assert.equal('activeSince' in rows.roomRow(ls.CHANNEL_ID)!, false);
  rows.receive(ls.activated(ls.ACTIVATED_AT + 3_600_000));
  assert.equal(rows.roomRow(ls.CHANNEL_ID)?.activeSince, ls.ACTIVATED_AT + 3_600_000);
});
