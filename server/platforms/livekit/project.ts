// LiveKit / OpenVidu 3 webhooks (../shared/protocols/providers.md §2) → room and recording rows. Pure
// and order-safe through row-merge.ts: LiveKit orders events per resource only (room name, egress id),
// so egress and room events interleave, and it drops events that waited more than 30 s (§2.1).
// protojson quirks (§2.3): 64-bit integers are strings, enum zero values are omitted (no `status` means
// EGRESS_STARTING, no `kind` means STANDARD), `createdAt` is seconds, egress times are nanoseconds.
//
// | event                                 | row effect                                                       |
// |---------------------------------------|------------------------------------------------------------------|
// | room_started                          | room `room.sid`, named `room.name`: active_meeting, 0 participants|
// | room_finished                         | room closed, participants 0                                      |
// | participant_joined                    | room active_meeting; participant `sid` counted once              |
// | participant_left, _connection_aborted | that participant no longer counted                               |
// |   (participants of kind EGRESS, INGRESS or AGENT are not people: ignored)                                |
// | egress_started / _updated / _ended    | a file or segment egress: recording `egressId` in its room       |
// |                                       | (`room.sid` since LiveKit 1.13.5, else `egressInfo.roomId`):      |
// |                                       | EGRESS_STARTING → starting, ACTIVE → active, ENDING → ending,     |
// |                                       | COMPLETE → complete, FAILED → failed, ABORTED → aborted,          |
// |                                       | LIMIT_REACHED → limit_reached (Meet's own words for the same      |
// |                                       | egress states); files from `fileResults` (else the deprecated     |
// |                                       | `file`) and HLS playlists                                         |
// |                                       | a stream or image egress: no recording; its room lists it as an   |
// |                                       | output (stream / images) with that status                         |
// | track_*, ingress_*, agent_job_*, …    | nothing (stored and shown in the log)                             |
import { secondsToMs } from '../../domain/epoch-ms.js';
import { isObject, objectAt, text, type JsonObject } from '../../domain/payload-fields.js';
import { eventTimes, mergeRecording, mergeSessionRoom, type EventTimes, type PlatformEvent, type SessionRoomUpdate } from '../../domain/row-merge.js';
import type { RowReader } from '../../domain/row-reader.js';
import type { RoomOutput, RowChange } from '../../domain/rows.js';
import { SOURCE, egressOutputs, egressRecordingUpdate, egressRoom, egressStatus, isPerson } from './rows.js';

export function projectLiveKitEvent(event: PlatformEvent, rows: RowReader): RowChange[] {
  const payload = event.payload;
  if (!isObject(payload)) return [];
  const times = eventTimes(event, secondsToMs(payload.createdAt));
  switch (payload.event) {
    case 'room_started':
      return roomChange(payload, 'started', times, rows);
    case 'room_finished':
      return roomChange(payload, 'ended', times, rows);
    case 'participant_joined':
      return roomChange(payload, 'joined', times, rows);
    case 'participant_left':
    case 'participant_connection_aborted':
      return roomChange(payload, 'left', times, rows);
    case 'egress_started':
    case 'egress_updated':
    case 'egress_ended':
      return egressChange(objectAt(payload, 'egressInfo'), objectAt(payload, 'room'), times, rows);
    default:
      return [];
  }
}

function roomChange(payload: JsonObject, happened: SessionRoomUpdate['happened'], times: EventTimes, rows: RowReader): RowChange[] {
  const room = objectAt(payload, 'room');
  // The sid names one instance of the room; names are reused (§2.5).
  const roomId = text(room?.sid);
  if (roomId === undefined) return [];
  const update: SessionRoomUpdate = { source: SOURCE, roomId, roomName: text(room?.name), happened, countsParticipants: true };
  if (happened === 'joined' || happened === 'left') {
    const participant = objectAt(payload, 'participant');
    if (!isPerson(participant)) return [];
    const sid = text(participant?.sid);
    if (sid !== undefined) update.participant = sid;
  }
  return mergeSessionRoom(rows.room(SOURCE, roomId), update, times);
}

function egressChange(info: JsonObject | undefined, room: JsonObject | undefined, times: EventTimes, rows: RowReader): RowChange[] {
  const egressId = text(info?.egressId);
  const status = info && egressStatus(info);
  if (!info || egressId === undefined || status === undefined) return [];
  // Since LiveKit 1.13.5 egress events carry the room, whose sid keys room rows; before, only egressInfo's.
  const where = egressRoom(info, room);
  const { roomId, roomName } = where;
  const outputs = egressOutputs(info);
  const changes: RowChange[] = [];
  if (roomId !== undefined) {
    let room = rows.room(SOURCE, roomId);
    let roomChange: RowChange | undefined;
    for (const kind of ['stream', 'images'] as const) {
      if (!outputs[kind]) continue;
      const output: RoomOutput = { id: egressId, kind, status };
      const [merged] = mergeSessionRoom(room, { source: SOURCE, roomId, roomName, happened: 'output', output, countsParticipants: true }, times);
      // A stream egress that also captures images: both on the one row.
      if (merged?.kind === 'room') [room, roomChange] = [merged.row, merged];
    }
    if (roomChange) changes.push(roomChange);
  }
  if (outputs.recording) changes.push(...mergeRecording(rows.recording(SOURCE, egressId), egressRecordingUpdate(info, egressId, status, where), times));
  return changes;
}
