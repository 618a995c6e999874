// OpenVidu 2's REST lists (GET /openvidu/api/sessions, GET /openvidu/api/recordings, each whole: no
// paging) merged into the rows we have. OpenVidu 2 never re-sends a lost webhook (§1.2), so this is what
// closes a session whose sessionDestroyed was lost and gives a recording its file's URL, which no webhook
// carries (§1.4). Order-safe like Meet's: a row that heard a webhook after the read started keeps what the
// webhook said (only a URL, which webhooks never carry, is still added); a closed session never reopens.
//
// Rooms are keyed by `uniqueSessionId` = `sessionId + "_" + createdAt` (Session.java), which is exactly
// what the REST session's `id` and `createdAt` make; rows of servers before 2.17, keyed by the bare
// sessionId, are matched by it.
import { differs, recordingFile, withActiveSince } from '../../domain/row-merge.js';
import { RECORDING_STATUS_RANK, isFinished, type Presence, type RecordingFile, type RecordingRow, type RecordingStatus, type RoomRow, type RowChange } from '../../domain/rows.js';
import { activeConnections } from './client.js';
import type { OpenViduRestRecording, OpenViduRestRecordingStatus, OpenViduRestSession } from './payloads.js';

const SOURCE = 'openvidu';
/** As row-merge.ts: how many departed connection ids a room remembers. */
const REMEMBERED_DEPARTURES = 500;

const RECORDING_STATUSES: Record<OpenViduRestRecordingStatus, RecordingStatus> = {
  starting: 'starting',
  started: 'active',
  stopped: 'processing',
  ready: 'complete',
  failed: 'failed',
};

/** The row key of a REST session: its uniqueSessionId. */
export const uniqueSessionId = (session: OpenViduRestSession) => `${session.id}_${session.createdAt}`;

export function reconcileOpenViduSessions(rest: OpenViduRestSession[], current: RoomRow[], readStartedAt: number, now: number): RowChange[] {
  const byId = new Map(current.map((row) => [row.roomId, row]));
  const listed = new Set<string>();
  const changes: RowChange[] = [];
  for (const session of rest) {
    const legacy = byId.get(session.id);
    const row = byId.get(uniqueSessionId(session)) ?? (legacy && legacy.status !== 'closed' ? legacy : undefined);
    const roomId = row?.roomId ?? uniqueSessionId(session);
    listed.add(roomId);
    // A webhook heard since the read began knows better; a closed session instance never comes back.
    if (row && (row.removed || row.heardAt >= readStartedAt || row.status === 'closed')) continue;
    const presence = presenceNow(row?.presence, activeConnections(session));
    const next: RoomRow = {
      ...row,
      source: SOURCE,
      roomId,
      roomName: session.id,
      status: 'active_meeting',
      links: row?.links ?? {},
      updatedAt: now,
      eventAt: row?.eventAt ?? 0,
      heardAt: row?.heardAt ?? 0,
      removed: false,
      participants: presence.present.length,
      presence,
    };
    if (row && !differs(row, next, ['roomName', 'status', 'participants', 'presence', 'removed'])) continue;
    // A session found here began at its createdAt (OpenVidu's clock; never later than ours).
    changes.push({ kind: 'room', row: withActiveSince(row, next, { createdAt: session.createdAt, receivedAt: now }) });
  }
  for (const row of current) {
    if (row.removed || row.status === 'closed' || listed.has(row.roomId) || row.heardAt >= readStartedAt) continue;
    // Gone from OpenVidu: its sessionDestroyed was lost. Closed, not deleted: its webhooks and recordings stay.
    changes.push(closedRoom(row, now));
  }
  return changes;
}

/** The room of a session that has ended: nobody left in it, its webhooks and recordings kept. */
export function closedRoom(row: RoomRow, now: number): RowChange {
  const closed: RoomRow = { ...row, status: 'closed', updatedAt: now, participants: 0, presence: presenceNow(row.presence, []) };
  return { kind: 'room', row: withActiveSince(row, closed, { createdAt: now, receivedAt: now }) };
}

/** Who is in the session now, by the API; whoever was present and is not any more has left. */
function presenceNow(previous: Presence | undefined, present: string[]): Presence {
  const gone = (previous?.present ?? []).filter((id) => !present.includes(id));
  const left = [...(previous?.left ?? []).filter((id) => !present.includes(id)), ...gone];
  return { present, left: left.length > REMEMBERED_DEPARTURES ? left.slice(-REMEMBERED_DEPARTURES) : left };
}

export interface RecordingReadContext {
  /** The sessions of the same read, to find the session instance a new recording belongs to. */
  sessions: OpenViduRestSession[];
  /** The room rows, for the same when the session has ended. */
  rooms: RoomRow[];
  /** False when the OpenVidu has recording off (501): its empty list deletes nothing. */
  recordingEnabled: boolean;
}

export function reconcileOpenViduRecordings(
  rest: OpenViduRestRecording[],
  current: RecordingRow[],
  context: RecordingReadContext,
  readStartedAt: number,
  now: number,
): RowChange[] {
  const known = new Map(current.map((row) => [row.recordingId, row]));
  const listed = new Set<string>();
  const changes: RowChange[] = [];
  for (const recording of rest) {
    listed.add(recording.id);
    let row = known.get(recording.id);
    // Ids are reused once a recording is deleted (§1.4): one that started later is another recording.
    if (row?.startedAt !== undefined && recording.createdAt > row.startedAt) row = undefined;
    if (row?.removed) continue;
    const file = fileOf(recording);
    if (row && row.heardAt >= readStartedAt) {
      // A webhook knows the status better, but never the URL: that, files only adding up, is safe to add.
      const files = addFile(row.files, file);
      if (files !== row.files) changes.push({ kind: 'recording', row: { ...row, files, updatedAt: now } });
      continue;
    }
    const restStatus = RECORDING_STATUSES[recording.status] ?? row?.status ?? 'failed';
    const status = row && RECORDING_STATUS_RANK[restStatus] < RECORDING_STATUS_RANK[row.status] ? row.status : restStatus;
    const duration = recording.duration > 0 ? recording.duration : row?.duration;
    const size = recording.size > 0 ? recording.size : row?.size;
    // No end time in the API: a stopped file's own length says when it ended.
    const endedAt = row?.endedAt ?? (recording.duration > 0 && (isFinished(status) || status === 'processing') ? recording.createdAt + Math.round(recording.duration * 1000) : undefined);
    const next: RecordingRow = {
      ...row,
      source: SOURCE,
      recordingId: recording.id,
      roomId: row?.roomId ?? roomOf(recording, context),
      roomName: row?.roomName ?? recording.sessionId,
      status,
      startedAt: row?.startedAt ?? recording.createdAt,
      updatedAt: now,
      eventAt: row?.eventAt ?? 0,
      heardAt: row?.heardAt ?? 0,
      removed: false,
    };
    if (endedAt !== undefined) next.endedAt = endedAt;
    if (duration !== undefined) next.duration = duration;
    if (size !== undefined) next.size = size;
    const files = addFile(row?.files, file);
    if (files) next.files = files;
    if (!row || differs(row, next, ['roomId', 'roomName', 'status', 'startedAt', 'endedAt', 'duration', 'size', 'files', 'removed'])) {
      changes.push({ kind: 'recording', row: next });
    }
  }
  if (!context.recordingEnabled) return changes;
  for (const row of current) {
    // OpenVidu lists every recording it keeps, finished ones included: one it does not list was deleted.
    if (!row.removed && !listed.has(row.recordingId) && row.heardAt < readStartedAt) {
      changes.push({ kind: 'recording', row: { ...row, updatedAt: now, removed: true } });
    }
  }
  return changes;
}

/** The file OpenVidu names once the recording is ready (or failed): an http(s) URL, with what is known of it. */
function fileOf(recording: OpenViduRestRecording): RecordingFile | undefined {
  if (typeof recording.url !== 'string' || !/^https?:\/\//i.test(recording.url)) return undefined;
  return recordingFile(recording.url, {
    size: recording.size > 0 ? recording.size : undefined,
    duration: recording.duration > 0 ? recording.duration : undefined,
  });
}

/** `files` with `file` in it (by URL, what it knows added); the same array when that changes nothing. */
function addFile(files: RecordingFile[] | undefined, file: RecordingFile | undefined): RecordingFile[] | undefined {
  if (!file) return files;
  const known = files?.find((candidate) => candidate.url === file.url);
  const merged = { ...known, ...file };
  if (known && !differs(known, merged, ['url', 'size', 'duration', 'kind'])) return files;
  return known ? files!.map((candidate) => (candidate === known ? merged : candidate)) : [...(files ?? []), file];
}

/**
 * The room (session instance) a recording first seen here belongs to: REST recordings carry only the
 * sessionId, and custom ids are reused, so it is the latest instance of that id started before it.
 */
function roomOf(recording: OpenViduRestRecording, { sessions, rooms }: RecordingReadContext): string {
  const starts = [
    ...sessions.filter((session) => session.id === recording.sessionId).map((session) => session.createdAt),
    ...rooms.flatMap((room) => {
      const match = room.roomId.startsWith(`${recording.sessionId}_`) ? /^(\d+)$/.exec(room.roomId.slice(recording.sessionId.length + 1)) : null;
      return match ? [Number(match[1])] : [];
    }),
  ].filter((start) => start <= recording.createdAt);
  return starts.length > 0 ? `${recording.sessionId}_${Math.max(...starts)}` : recording.sessionId;
}
