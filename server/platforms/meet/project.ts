// OpenVidu Meet webhooks → room and recording rows. Pure: current rows and an event in, changed rows
// out. Order-safe: Meet sends concurrently and retries, so events arrive late, twice or out of order
// (../shared/protocols/openvidu-meet.md §1.5); a stale event never moves a row backwards.
import type { MeetRecording, MeetRoom } from './payloads.js';
import { isObject, oneOf } from '../../domain/payload-fields.js';
import { mergeRecording, withActiveSince, type PlatformEvent, type RecordingUpdate } from '../../domain/row-merge.js';
import type { RowReader } from '../../domain/row-reader.js';
import type { RecordingStatus, RoomRow, RoomStatus, RowChange } from '../../domain/rows.js';
import { RECORDING_STATUSES, recordingFrom, roomFrom } from './rows.js';

export interface MeetEventInput {
  /** The envelope's `event`. */
  type: string;
  /** The envelope's `creationDate` (Meet's clock). */
  createdAt: number;
  /** When roomwatch received it (its own clock). */
  receivedAt: number;
  data: unknown;
}

/** A stored Meet webhook: its order rests on `creationDate`, which the check always reads. */
export function projectMeetWebhook(event: PlatformEvent, rows: RowReader): RowChange[] {
  if (event.createdAt === null || !isObject(event.payload)) return [];
  const { event: type, data } = event.payload;
  return projectMeetEvent({ type: String(type), createdAt: event.createdAt, receivedAt: event.receivedAt, data }, rows);
}

export function projectMeetEvent(event: MeetEventInput, rows: RowReader): RowChange[] {
  if (!isObject(event.data)) return [];
  switch (event.type) {
    case 'meetingStarted':
    case 'meetingEnded':
      return projectMeeting(event, event.data as Partial<MeetRoom>, rows);
    case 'recordingStarted':
    case 'recordingUpdated':
    case 'recordingEnded':
      return projectRecording(event, event.data as Partial<MeetRecording>, rows);
    default:
      return []; // testEvent, and event names a later Meet may add: stored and shown, nothing to project.
  }
}

function projectMeeting(event: MeetEventInput, data: Partial<MeetRoom>, rows: RowReader): RowChange[] {
  if (typeof data.roomId !== 'string' || data.roomId === '') return [];
  const current = rows.room('meet', data.roomId);
  if (current && event.createdAt < current.eventAt) return [];

  const stamp = { updatedAt: event.receivedAt, eventAt: event.createdAt, heardAt: event.receivedAt };
  // §2.3.2 (c): the room and its recordings were deleted; the payload still says active_meeting.
  if (event.type === 'meetingEnded' && data.meetingEndAction === 'delete') {
    const removedRoom: RoomRow = { ...roomFrom(data, current, 'closed'), status: 'closed', ...stamp, removed: true };
    const removedRecordings = rows
      .recordingsOfRoom('meet', data.roomId)
      .filter((recording) => !recording.removed)
      .map((recording): RowChange => ({ kind: 'recording', row: { ...recording, updatedAt: event.receivedAt, removed: true } }));
    return [{ kind: 'room', row: removedRoom }, ...removedRecordings];
  }
  const fallback: RoomStatus = event.type === 'meetingStarted' ? 'active_meeting' : 'open';
  return [{ kind: 'room', row: withActiveSince(current, { ...roomFrom(data, current, fallback), ...stamp, removed: false }, event) }];
}

function projectRecording(event: MeetEventInput, data: Partial<MeetRecording>, rows: RowReader): RowChange[] {
  if (typeof data.recordingId !== 'string' || typeof data.roomId !== 'string') return [];
  const status = oneOf(data.status, RECORDING_STATUSES) ?? defaultRecordingStatus(event.type);
  // Recording ids are never reused, so the shared rules hold as they are: a deleted recording stays
  // deleted, and starting → active → ending → a final status, never back.
  const current = rows.recording('meet', data.recordingId);
  const update: RecordingUpdate = recordingFrom(data, current, status);
  return mergeRecording(current, update, event);
}

function defaultRecordingStatus(type: string): RecordingStatus {
  return type === 'recordingStarted' ? 'starting' : type === 'recordingUpdated' ? 'active' : 'failed';
}

