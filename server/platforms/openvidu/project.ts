// OpenVidu 2.x webhooks (../shared/protocols/providers.md §1) → room and recording rows. Pure and
// order-safe through the shared rules of row-merge.ts. OpenVidu 2 sends one event at a time, in order,
// but a non-200 loses an event and an I/O retry repeats one (§1.2), and `ready` comes after
// `sessionDestroyed` (§1.6).
//
// | event                              | row effect                                                            |
// |------------------------------------|-----------------------------------------------------------------------|
// | sessionCreated                     | room `uniqueSessionId ?? sessionId`, named `sessionId`: active_meeting |
// | sessionDestroyed                   | room closed, participants 0                                           |
// | participantJoined                  | room active_meeting; `connectionId ?? participantId` counted once      |
// | participantLeft                    | that connection no longer counted                                     |
// | recordingStatusChanged             | recording `id`: started → active, stopped → processing,               |
// |                                    | ready → complete (size, duration), failed → failed                    |
// | recordingStarted / recordingStopped| (2.11–2.20, deprecated) → active / processing                         |
// | nodeCrashed                        | its `recordingIds` not yet finished → failed (their `ready` never comes)|
// | anything else                      | nothing (stored and shown in the log)                                  |
import { msToMs } from '../../domain/epoch-ms.js';
import { finiteNumber, isObject, text, type JsonObject } from '../../domain/payload-fields.js';
import {
  eventTimes,
  mergeRecording,
  mergeSessionRoom,
  type EventTimes,
  type PlatformEvent,
  type RecordingUpdate,
  type SessionRoomUpdate,
} from '../../domain/row-merge.js';
import type { RowReader } from '../../domain/row-reader.js';
import { isFinished, type RecordingStatus, type RowChange } from '../../domain/rows.js';

const SOURCE = 'openvidu';

/** The `status` values a webhook carries (`starting` exists in the Java enum but is never sent). */
const RECORDING_STATUSES = new Map<unknown, RecordingStatus>([
  ['started', 'active'],
  ['stopped', 'processing'],
  ['ready', 'complete'],
  ['failed', 'failed'],
]);

export function projectOpenViduEvent(event: PlatformEvent, rows: RowReader): RowChange[] {
  const payload = event.payload;
  if (!isObject(payload)) return [];
  const times = eventTimes(event, msToMs(payload.timestamp));
  switch (payload.event) {
    case 'sessionCreated':
      return sessionChange(payload, 'started', times, rows);
    case 'sessionDestroyed':
      return sessionChange(payload, 'ended', times, rows);
    case 'participantJoined':
      return sessionChange(payload, 'joined', times, rows);
    case 'participantLeft':
      return sessionChange(payload, 'left', times, rows);
    case 'recordingStatusChanged': {
      const status = RECORDING_STATUSES.get(payload.status);
      return status ? recordingChange(payload, status, times, rows) : [];
    }
    case 'recordingStarted':
      return recordingChange(payload, 'active', times, rows);
    case 'recordingStopped':
      return recordingChange(payload, 'processing', times, rows);
    case 'nodeCrashed':
      return crashedRecordings(payload, times, rows);
    default:
      return [];
  }
}

/** The key of one session instance: `uniqueSessionId` (2.17+) tells a reused custom sessionId apart. */
function sessionKey(payload: JsonObject): string | undefined {
  return text(payload.uniqueSessionId) ?? text(payload.sessionId);
}

function sessionChange(payload: JsonObject, happened: SessionRoomUpdate['happened'], times: EventTimes, rows: RowReader): RowChange[] {
  const roomId = sessionKey(payload);
  if (roomId === undefined) return [];
  const update: SessionRoomUpdate = { source: SOURCE, roomId, roomName: text(payload.sessionId), happened, countsParticipants: true };
  // Before 2.17 a participant has only the (now deprecated) participantId.
  const participant = text(payload.connectionId) ?? text(payload.participantId);
  if (participant !== undefined) update.participant = participant;
  return mergeSessionRoom(rows.room(SOURCE, roomId), update, times);
}

function recordingChange(payload: JsonObject, status: RecordingStatus, times: EventTimes, rows: RowReader): RowChange[] {
  const recordingId = text(payload.id);
  if (recordingId === undefined) return [];
  const startedAt = msToMs(payload.startTime);
  let current = rows.recording(SOURCE, recordingId);
  // Recording ids are `sessionId`, `sessionId~1`…, free again once deleted (§1.4): a newer event about a
  // recording that started later is a new recording, not a step back of the old one.
  if (current?.startedAt !== undefined && startedAt !== undefined && startedAt > current.startedAt && times.createdAt > current.eventAt) {
    current = undefined;
  }
  // `size` and `duration` are 0 until `ready`; duration is the file's, in seconds (a double).
  const size = finiteNumber(payload.size);
  const duration = finiteNumber(payload.duration);
  const update: RecordingUpdate = { source: SOURCE, recordingId, status };
  const roomId = sessionKey(payload);
  if (roomId !== undefined) update.roomId = roomId;
  const roomName = text(payload.sessionId);
  if (roomName !== undefined) update.roomName = roomName;
  if (startedAt !== undefined) update.startedAt = startedAt;
  if (status === 'processing') update.endedAt = times.createdAt;
  if (size !== undefined && size > 0) update.size = size;
  if (duration !== undefined && duration > 0) update.duration = duration;
  return mergeRecording(current, update, times);
}

/** A crashed media node never sends `ready` for its recordings (§1.4 nodeCrashed). */
function crashedRecordings(payload: JsonObject, times: EventTimes, rows: RowReader): RowChange[] {
  const ids = Array.isArray(payload.recordingIds) ? payload.recordingIds : [];
  return ids.flatMap((id) => {
    const recordingId = text(id);
    const current = recordingId === undefined ? undefined : rows.recording(SOURCE, recordingId);
    if (!current || recordingId === undefined || isFinished(current.status)) return [];
    return mergeRecording(current, { source: SOURCE, recordingId, status: 'failed', error: 'The media node recording it crashed.' }, times);
  });
}
