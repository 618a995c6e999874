// LiveKit's REST reads merged into the rows (server/platforms/livekit/reconcile.ts), as pure values: rows
// made by the webhook projection, then a read of ListRooms / ListParticipants / ListEgress answers (in the
// protojson the client hands over, as webhooks carry it) started before or after those webhooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RowChange } from '../server/domain/rows.js';
import { projectLiveKitEvent } from '../server/platforms/livekit/project.js';
import { reconcileLiveKit, type LiveKitRead } from '../server/platforms/livekit/reconcile.js';
import * as lk from './fixtures/livekit.js';
import { MemoryRows } from './fixtures/rows.js';

const rowsWith = (...payloads: unknown[]) => new MemoryRows('livekit', projectLiveKitEvent).receiveAll(payloads);

const listed = (rows: MemoryRows) => ({ allRooms: () => [...rows.rooms.values()], allRecordings: () => [...rows.recordings.values()] });

/** Reads `read`, started `startedAfterMs` after the last webhook was received (negative: before it); applies what changed. */
function reconcile(rows: MemoryRows, read: LiveKitRead, startedAfterMs = 1000): RowChange[] {
  const readStartedAt = rows.clock + startedAfterMs;
  rows.clock = Math.max(rows.clock, readStartedAt) + 500;
  const changes = reconcileLiveKit(read, listed(rows), readStartedAt, rows.clock);
  for (const change of changes) {
    if (change.kind === 'room') rows.rooms.set(`livekit:${change.row.roomId}`, change.row);
    else rows.recordings.set(`livekit:${change.row.recordingId}`, change.row);
  }
  return changes;
}

/** A running room as ListRooms writes it (back in webhook form), and who ListParticipants shows in it. */
const running = (sid = lk.ROOM_SID, people: string[] = [], extra: Record<string, unknown> = {}) => ({
  room: { sid, name: lk.ROOM_NAME, creationTime: String(lk.ROOM_CREATED_S), creationTimeMs: `${lk.ROOM_CREATED_S}123`, ...extra },
  participants: people.map((id) => lk.participant(id)),
});
const egressInfo = (info: Record<string, unknown> = {}) => (lk.egressEnded(info) as { egressInfo: Record<string, unknown> }).egressInfo;

test('a room whose room_finished was lost is closed once LiveKit no longer lists it: nobody in it, its recordings kept', () => {
  const rows = rowsWith(lk.roomStarted(), lk.participantJoined('PA_a'), lk.participantJoined('PA_b'), lk.egressEnded());
  reconcile(rows, { rooms: [], egresses: [egressInfo()] });
  const room = rows.roomRow(lk.ROOM_SID)!;
  assert.deepEqual(
    { status: room.status, participants: room.participants, present: room.presence?.present, removed: room.removed, activeSince: room.activeSince },
    { status: 'closed', participants: 0, present: [], removed: false, activeSince: undefined },
  );
  assert.deepEqual(room.presence?.left, ['PA_a', 'PA_b']);
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'complete');
});

test('a read that started before a webhook was received leaves what the webhook said', () => {
  const rows = rowsWith(lk.roomStarted(), lk.participantJoined('PA_a'));
  assert.deepEqual(reconcile(rows, { rooms: [], egresses: [] }, -1), []);
  assert.equal(rows.roomRow(lk.ROOM_SID)?.status, 'active_meeting');
  // The same read, started after the webhook, closes it.
  reconcile(rows, { rooms: [], egresses: [] });
  assert.equal(rows.roomRow(lk.ROOM_SID)?.status, 'closed');
});

test('a room roomwatch never heard of appears, with the people in it (its egress participant is not one), since LiveKit created it', () => {
  const rows = rowsWith();
  reconcile(rows, { rooms: [{ ...running(lk.ROOM_SID, ['PA_a', 'PA_b']), participants: [lk.participant('PA_a'), lk.participant('PA_b'), lk.participant('PA_rec', { kind: 'EGRESS' })] }], egresses: [] });
  const room = rows.roomRow(lk.ROOM_SID)!;
  assert.deepEqual(
    { roomName: room.roomName, status: room.status, participants: room.participants, activeSince: room.activeSince, eventAt: room.eventAt, heardAt: room.heardAt },
    { roomName: lk.ROOM_NAME, status: 'active_meeting', participants: 2, activeSince: lk.ROOM_CREATED_S * 1000 + 123, eventAt: lk.ROOM_CREATED_S * 1000 + 123, heardAt: 0 },
  );
  // Its delayed room_started is this same room, not a new session.
  rows.receive(lk.roomStarted());
  assert.equal(rows.roomRow(lk.ROOM_SID)?.participants, 2);
});

test('the people LiveKit lists now replace who webhooks said was there; who is gone is remembered as left', () => {
  const rows = rowsWith(lk.roomStarted(), lk.participantJoined('PA_a'), lk.participantJoined('PA_b'));
  reconcile(rows, { rooms: [running(lk.ROOM_SID, ['PA_b', 'PA_c'])], egresses: [] });
  assert.deepEqual(rows.roomRow(lk.ROOM_SID)?.presence, { present: ['PA_b', 'PA_c'], left: ['PA_a'] });
  assert.equal(rows.roomRow(lk.ROOM_SID)?.participants, 2);
  // A late participant_joined of someone who left does not count them again.
  rows.receive(lk.participantJoined('PA_a', 1739900131));
  assert.equal(rows.roomRow(lk.ROOM_SID)?.participants, 2);
});

test('a closed room stays closed, a removed one untouched, and a second read of the same answers changes nothing', () => {
  const rows = rowsWith(lk.roomStarted(), lk.roomFinished());
  assert.deepEqual(reconcile(rows, { rooms: [running()], egresses: [] }), []);
  assert.equal(rows.roomRow(lk.ROOM_SID)?.status, 'closed');
  rows.rooms.set(`livekit:${lk.ROOM_SID}`, { ...rows.roomRow(lk.ROOM_SID)!, status: 'active_meeting', removed: true });
  assert.deepEqual(reconcile(rows, { rooms: [], egresses: [] }), []);
});

test('a recording whose egress_ended was lost gets what LiveKit knows: complete, its files, size and duration', () => {
  const rows = rowsWith(lk.roomStarted(), lk.egressStarted(), lk.egressActive());
  const heardAt = rows.recordingRow(lk.EGRESS_ID)!.heardAt;
  reconcile(rows, { rooms: [running()], egresses: [egressInfo()] });
  const recording = rows.recordingRow(lk.EGRESS_ID)!;
  assert.deepEqual(
    { status: recording.status, size: recording.size, duration: recording.duration, files: recording.files?.map((file) => file.url), endedAt: recording.endedAt },
    { status: 'complete', size: 61941096, duration: 8475.419, files: ['https://bucket.s3.amazonaws.com/daily-standup.mp4'], endedAt: 1731668993605 },
  );
  // Not a webhook: when one was last heard is unchanged.
  assert.equal(recording.heardAt, heardAt);
});

test('a recording only moves forward: a read saying ACTIVE does not undo a complete one', () => {
  const rows = rowsWith(lk.egressStarted(), lk.egressEnded());
  assert.deepEqual(reconcile(rows, { rooms: [], egresses: [egressInfo({ status: 'EGRESS_ACTIVE', fileResults: [], endedAt: undefined })] }), []);
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'complete');
});

test('an egress roomwatch never heard of appears as a recording of its room', () => {
  const rows = rowsWith(lk.roomStarted());
  reconcile(rows, { rooms: [running()], egresses: [egressInfo({ status: 'EGRESS_ACTIVE', fileResults: [], endedAt: undefined })] });
  assert.deepEqual(
    { status: rows.recordingRow(lk.EGRESS_ID)?.status, roomId: rows.recordingRow(lk.EGRESS_ID)?.roomId, roomName: rows.recordingRow(lk.EGRESS_ID)?.roomName },
    { status: 'active', roomId: lk.ROOM_SID, roomName: lk.ROOM_NAME },
  );
});

test('a stream egress is an output of its room, not a recording; its status moves forward; unlisted in an ended room it was aborted', () => {
  const rows = rowsWith(lk.roomStarted());
  const stream = (status: string) =>
    egressInfo({ egressId: 'EG_stream', status, fileResults: [], endedAt: undefined, roomComposite: { roomName: lk.ROOM_NAME, streamOutputs: [{ protocol: 'RTMP', urls: ['rtmp://x/y'] }] } });
  reconcile(rows, { rooms: [running()], egresses: [stream('EGRESS_ACTIVE')] });
  assert.equal(rows.recordingRow('EG_stream'), undefined);
  assert.deepEqual(rows.roomRow(lk.ROOM_SID)?.outputs, [{ id: 'EG_stream', kind: 'stream', status: 'active' }]);
  reconcile(rows, { rooms: [running()], egresses: [stream('EGRESS_STARTING')] });
  assert.deepEqual(rows.roomRow(lk.ROOM_SID)?.outputs, [{ id: 'EG_stream', kind: 'stream', status: 'active' }]);
  reconcile(rows, { rooms: [], egresses: [] });
  assert.deepEqual(rows.roomRow(lk.ROOM_SID)?.outputs, [{ id: 'EG_stream', kind: 'stream', status: 'aborted' }]);
});

test('an unfinished recording LiveKit no longer lists is aborted once its room has ended; not while the room runs, nor when LiveKit has no egress service', () => {
  const rows = rowsWith(lk.roomStarted(), lk.egressStarted(), lk.egressActive());
  reconcile(rows, { rooms: [running()], egresses: [] });
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'active');
  reconcile(rows, { rooms: [], egresses: undefined });
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'active');
  reconcile(rows, { rooms: [], egresses: [] });
  assert.deepEqual(
    { status: rows.recordingRow(lk.EGRESS_ID)?.status, error: rows.recordingRow(lk.EGRESS_ID)?.error },
    { status: 'aborted', error: 'LiveKit no longer lists this egress, and its room has ended' },
  );
});

test('property: whatever the rows and the answers, a second merge of the same read changes nothing', () => {
  const people = fc.subarray(['PA_a', 'PA_b', 'PA_c', 'PA_d']);
  const roomSids = fc.subarray(['RM_one', 'RM_two', 'RM_three']);
  const statuses = fc.constantFrom(undefined, 'EGRESS_ACTIVE', 'EGRESS_ENDING', 'EGRESS_COMPLETE', 'EGRESS_FAILED');
  fc.assert(
    fc.property(roomSids, roomSids, people, fc.uniqueArray(fc.tuple(fc.constantFrom('EG_1', 'EG_2', 'EG_3'), statuses, fc.constantFrom('RM_one', 'RM_two'), fc.boolean()), { selector: ([id]) => id }), (heard, listedSids, present, egresses) => {
      const rows = rowsWith(...heard.map((sid) => ({ ...lk.participantJoined('PA_a'), room: { sid, name: sid } })));
      const read: LiveKitRead = {
        rooms: listedSids.map((sid) => ({ ...running(sid, present), room: { sid, name: sid } })),
        egresses: egresses.map(([egressId, status, roomId, stream]) =>
          egressInfo({
            egressId,
            status,
            roomId,
            fileResults: status === 'EGRESS_COMPLETE' && !stream ? [lk.fileResult()] : [],
            ...(stream && { roomComposite: { streamOutputs: [{ urls: ['rtmp://x'] }] } }),
          }),
        ),
      };
      reconcile(rows, read);
      assert.deepEqual(reconcile(rows, read), []);
    }),
  );
});
