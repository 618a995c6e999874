// OpenVidu Meet webhooks and REST reads → room and recording rows. Pure: current rows and an event in,
// changed rows out. Order-safe: Meet sends concurrently and retries, so events arrive late, twice or out
// of order (../shared/protocols/openvidu-meet.md §1.5); a stale event never moves a row backwards.
import type { MeetRecording, MeetRecordingStatus, MeetRoom } from './meet.js';
import { isObject, oneOf } from './payload-fields.js';
import { differs, mergeRecording, withActiveSince, type RecordingUpdate } from './row-merge.js';
import type { RowReader } from './row-reader.js';
import {
  RECORDING_STATUS_RANK,
  type RecordingRow,
  type RecordingStatus,
  type RoomLinks,
  type RoomRow,
  type RoomStatus,
  type RowChange,
} from './rows.js';

export interface MeetEventInput {
  /** The envelope's `event`. */
  type: string;
  /** The envelope's `creationDate` (Meet's clock). */
  createdAt: number;
  /** When roomwatch received it (its own clock). */
  receivedAt: number;
  data: unknown;
}

const ROOM_STATUSES: readonly RoomStatus[] = ['open', 'active_meeting', 'closed'];
const RECORDING_STATUSES: readonly MeetRecordingStatus[] = ['starting', 'active', 'ending', 'complete', 'failed', 'aborted', 'limit_reached'];

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

/**
 * A complete REST read of the rooms (every page), started at `readStartedAt`, against the rows we have.
 * Rows that heard a webhook after the read started keep what the webhook said; rooms missing from the
 * read were deleted (Meet sends no webhook for that, §1.1).
 */
export function reconcileMeetRooms(rest: MeetRoom[], current: RoomRow[], readStartedAt: number, now: number): RowChange[] {
  const known = new Map(current.map((row) => [row.roomId, row]));
  const changes: RowChange[] = [];
  const listed = new Set<string>();
  for (const room of rest) {
    if (typeof room.roomId !== 'string') continue;
    listed.add(room.roomId);
    const change = restRoomChange(room, known.get(room.roomId), readStartedAt, now);
    if (change) changes.push(change);
  }
  for (const row of current) {
    if (!row.removed && !listed.has(row.roomId) && row.heardAt < readStartedAt) {
      changes.push({ kind: 'room', row: { ...row, updatedAt: now, removed: true } });
    }
  }
  return changes;
}

/** One room as a REST answer (read, create, close) describes it; null when that changes nothing. */
export function restRoomChange(room: MeetRoom, row: RoomRow | undefined, readStartedAt: number, now: number): RowChange | null {
  if (row && row.heardAt >= readStartedAt) return null;
  const next: RoomRow = {
    ...roomFrom(room, row, 'open', 'rest'),
    updatedAt: now,
    eventAt: row?.eventAt ?? 0,
    heardAt: row?.heardAt ?? 0,
    removed: false,
  };
  if (row && !differs(row, next, ['roomName', 'status', 'meetingEndAction', 'links', 'removed'])) return null;
  // Meet's room says nothing of when its meeting began: a meeting first seen here began by now.
  return { kind: 'room', row: withActiveSince(row, next, { createdAt: now, receivedAt: now }) };
}

/** The same for a complete REST read of the recordings. */
export function reconcileMeetRecordings(
  rest: MeetRecording[],
  current: RecordingRow[],
  readStartedAt: number,
  now: number,
): RowChange[] {
  const known = new Map(current.map((row) => [row.recordingId, row]));
  const changes: RowChange[] = [];
  const listed = new Set<string>();
  for (const recording of rest) {
    if (typeof recording.recordingId !== 'string' || typeof recording.roomId !== 'string') continue;
    listed.add(recording.recordingId);
    const row = known.get(recording.recordingId);
    if (row && row.heardAt >= readStartedAt) continue;
    const restStatus = oneOf(recording.status, RECORDING_STATUSES) ?? row?.status ?? 'failed';
    const status = row && RECORDING_STATUS_RANK[restStatus] < RECORDING_STATUS_RANK[row.status] ? row.status : restStatus;
    const next: RecordingRow = {
      ...recordingFrom(recording, row, status),
      updatedAt: now,
      eventAt: row?.eventAt ?? 0,
      heardAt: row?.heardAt ?? 0,
      removed: false,
    };
    if (!row || differs(row, next, ['status', 'roomName', 'startedAt', 'endedAt', 'duration', 'size', 'error', 'removed'])) {
      changes.push({ kind: 'recording', row: next });
    }
  }
  for (const row of current) {
    if (!row.removed && !listed.has(row.recordingId) && row.heardAt < readStartedAt) {
      changes.push({ kind: 'recording', row: { ...row, updatedAt: now, removed: true } });
    }
  }
  return changes;
}

/** The room fields a payload or REST answer says, over what the row had. */
function roomFrom(
  data: Partial<MeetRoom>,
  current: RoomRow | undefined,
  fallback: RoomStatus,
  linksFrom: 'webhook' | 'rest' = 'webhook',
): Omit<RoomRow, 'updatedAt' | 'eventAt' | 'heardAt' | 'removed'> {
  const roomId = data.roomId!;
  const fromPayload = joinLinks(data);
  return {
    source: 'meet',
    roomId,
    roomName: typeof data.roomName === 'string' ? data.roomName : (current?.roomName ?? roomId),
    status: oneOf(data.status, ROOM_STATUSES) ?? fallback,
    meetingEndAction: oneOf(data.meetingEndAction, ['none', 'close', 'delete'] as const) ?? current?.meetingEndAction,
    // Webhook links carry the host of Meet's latest request (§2.4); REST links are the ones to keep.
    links: linksFrom === 'rest' ? { ...current?.links, ...fromPayload } : { ...fromPayload, ...current?.links },
  };
}

/** Join links: `moderatorUrl`/`speakerUrl` up to 3.7, `access.anonymous.*.url` from 3.8 (§2.8). */
export function joinLinks(data: Partial<MeetRoom>): RoomLinks {
  // Property reads on a wrong-typed value give undefined, so a malformed payload just has no links.
  const anonymous = data.access?.anonymous;
  const url = (value: unknown) => (typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined);
  const links: RoomLinks = {};
  const moderator = url(anonymous?.moderator?.url) ?? url(data.moderatorUrl);
  const speaker = url(anonymous?.speaker?.url) ?? url(data.speakerUrl);
  const recordings = url(anonymous?.recording?.url);
  if (moderator) links.moderator = moderator;
  if (speaker) links.speaker = speaker;
  if (recordings) links.recordings = recordings;
  return links;
}

function recordingFrom(
  data: Partial<MeetRecording>,
  current: RecordingRow | undefined,
  status: RecordingStatus,
): Omit<RecordingRow, 'updatedAt' | 'eventAt' | 'heardAt' | 'removed'> {
  const number = (value: unknown, previous: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : previous);
  const text = (value: unknown, previous: string | undefined) => (typeof value === 'string' ? value : previous);
  const row: Omit<RecordingRow, 'updatedAt' | 'eventAt' | 'heardAt' | 'removed'> = {
    source: 'meet',
    recordingId: data.recordingId!,
    roomId: data.roomId!,
    roomName: text(data.roomName, current?.roomName) ?? data.roomId!,
    status,
  };
  const optional = {
    filename: text(data.filename, current?.filename),
    startedAt: number(data.startDate, current?.startedAt),
    endedAt: number(data.endDate, current?.endedAt),
    duration: number(data.duration, current?.duration),
    size: number(data.size, current?.size),
    error: text(data.error, current?.error),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(row, { [key]: value });
  return row;
}

function defaultRecordingStatus(type: string): RecordingStatus {
  return type === 'recordingStarted' ? 'starting' : type === 'recordingUpdated' ? 'active' : 'failed';
}

