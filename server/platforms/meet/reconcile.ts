// Meet's REST reads (GET /rooms, GET /recordings, every page) merged into the rows we have: rows that
// heard a webhook after the read started keep what the webhook said; rows missing from a complete read
// were deleted (Meet sends no webhook for that, ../shared/protocols/openvidu-meet.md §1.1).
import { differs, withActiveSince } from '../../domain/row-merge.js';
import { oneOf } from '../../domain/payload-fields.js';
import { RECORDING_STATUS_RANK, type RecordingRow, type RoomRow, type RowChange } from '../../domain/rows.js';
import type { MeetRecording, MeetRoom } from './payloads.js';
import { RECORDING_STATUSES, recordingFrom, roomFrom } from './rows.js';

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

