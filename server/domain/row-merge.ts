// How one webhook's news merges into the row we have, the same way for every platform. Webhooks arrive
// late, twice, or out of order (OpenVidu 2 sends `ready` after `sessionDestroyed`, LiveKit orders events
// only per resource, Meet sends concurrently), so:
// - a tombstone (`removed`) never comes back;
// - an event older than the newest one applied to a row (by the platform's clock) never moves it back;
// - a recording's status only moves forward, whatever the clock says;
// - a merge that changes nothing but the row's timestamps is no change at all (a duplicate is silent).
import {
  RECORDING_STATUS_RANK,
  type Presence,
  type RecordingFile,
  type RecordingRow,
  type RoomOutput,
  type RoomRow,
  type RoomStatus,
  type RowChange,
  type SourceId,
} from './rows.js';

/** When the platform says the event happened, and when roomwatch received it (ms). */
export interface EventTimes {
  createdAt: number;
  receivedAt: number;
}

/** One stored webhook as the platform projections take it (for a LiveSwitch batch, one element). */
export interface PlatformEvent {
  /** The parsed JSON body. */
  payload: unknown;
  /** The platform's event time as its check (verify) read it (ms), or null when it found none. */
  createdAt: number | null;
  /** roomwatch's clock. */
  receivedAt: number;
}

/**
 * The times to order by: the check's reading of the event time, else the projection's own reading of
 * the payload, else the receive time (a payload with no clock at all is ordered by arrival).
 */
export function eventTimes(event: PlatformEvent, fromPayload: number | undefined): EventTimes {
  return { createdAt: event.createdAt ?? fromPayload ?? event.receivedAt, receivedAt: event.receivedAt };
}

// ---- Recordings ----

/** What one event says about a recording. Fields left undefined keep what the row had. */
export type RecordingUpdate = Pick<RecordingRow, 'source' | 'recordingId' | 'status'> &
  Partial<Pick<RecordingRow, 'roomId' | 'roomName' | 'filename' | 'startedAt' | 'endedAt' | 'duration' | 'size' | 'error' | 'files'>> & {
    /**
     * The recording is the sum of its files, each announced on its own (EnableX's transcoded stages): its
     * size is recomputed from all the files known, whichever event brought each one, late ones included.
     */
    sizeIsSumOfFiles?: boolean;
  };

const RECORDING_FIELDS = ['filename', 'startedAt', 'endedAt', 'duration', 'size', 'error'] as const;
const COMPARED_RECORDING_KEYS: (keyof RecordingRow)[] = ['roomId', 'roomName', 'status', ...RECORDING_FIELDS, 'files', 'removed'];

/**
 * Merges a recording update: forward only, never from a stale event, never into a tombstone. Files are
 * the exception: they only add up (by URL), so they are kept from any event, even a late one.
 */
export function mergeRecording(current: RecordingRow | undefined, update: RecordingUpdate, times: EventTimes): RowChange[] {
  if (current?.removed) return [];
  const files = unionFiles(current?.files, update.files);
  const moves =
    !current || (times.createdAt >= current.eventAt && RECORDING_STATUS_RANK[update.status] >= RECORDING_STATUS_RANK[current.status]);

  let next: RecordingRow;
  if (moves) {
    next = {
      ...current,
      source: update.source,
      recordingId: update.recordingId,
      roomId: update.roomId ?? current?.roomId ?? '',
      roomName: update.roomName ?? current?.roomName ?? update.roomId ?? current?.roomId ?? '',
      status: update.status,
      updatedAt: times.receivedAt,
      eventAt: times.createdAt,
      heardAt: times.receivedAt,
      removed: false,
    };
    for (const key of RECORDING_FIELDS) if (update[key] !== undefined) Object.assign(next, { [key]: update[key] });
  } else {
    next = { ...current!, updatedAt: times.receivedAt };
  }
  if (files) next.files = files;
  if (update.sizeIsSumOfFiles && files?.some((file) => file.size !== undefined)) {
    next.size = files.reduce((sum, file) => sum + (file.size ?? 0), 0);
  }
  if (current && !differs(current, next, COMPARED_RECORDING_KEYS)) return [];
  return [{ kind: 'recording', row: next }];
}

/** The files of both lists, each URL once, in order of first mention; a later mention adds what it knows. */
function unionFiles(a: RecordingFile[] | undefined, b: RecordingFile[] | undefined): RecordingFile[] | undefined {
  if (!b || b.length === 0) return a;
  const byUrl = new Map<string, RecordingFile>();
  for (const file of [...(a ?? []), ...b]) byUrl.set(file.url, { ...byUrl.get(file.url), ...file });
  return [...byUrl.values()];
}

// ---- Rooms that are sessions (every platform but Meet) ----

/** open → active_meeting → closed: within one session a room only moves this way. */
const ROOM_STATUS_RANK: Record<RoomStatus, number> = { open: 0, active_meeting: 1, closed: 2 };

/** A participant who left is remembered this long (in ids), to ignore a join that arrives after its own leave. */
const REMEMBERED_DEPARTURES = 500;

/** What one event says about a session-shaped room. */
export interface SessionRoomUpdate {
  source: SourceId;
  roomId: string;
  roomName?: string;
  /** `output`: the room sends something out (`output` below); it neither starts nor ends the meeting. */
  happened: 'started' | 'ended' | 'joined' | 'left' | 'output';
  /** The connection id of who joined or left; without one, a join still says the meeting is on. */
  participant?: string;
  /** A stream or images the room sends out, as this event reports it. */
  output?: RoomOutput;
  /** This platform reports joins and leaves, so the row shows a participant count. */
  countsParticipants: boolean;
}

const COMPARED_ROOM_KEYS: (keyof RoomRow)[] = ['roomName', 'status', 'participants', 'presence', 'outputs', 'removed'];

/**
 * Merges an event into a room whose key names one session (OpenVidu 2 session, LiveKit room sid,
 * EnableX conference, LiveSwitch channel). Any event shows a session exists, so a first event opens
 * the row as `active_meeting`; `open` is Meet's word for a room with no meeting and never applies here.
 * Participants are counted by connection id, whatever order joins and leaves arrive in.
 */
export function mergeSessionRoom(current: RoomRow | undefined, update: SessionRoomUpdate, times: EventTimes): RowChange[] {
  if (current?.removed) return [];
  // Some keys come back for a new session (OpenVidu 2 before 2.17 keys by sessionId; a LiveSwitch channel
  // activates again): a start strictly newer than the close begins a fresh row.
  const fresh = !current || (update.happened === 'started' && current.status === 'closed' && times.createdAt > current.eventAt);
  const base = fresh ? undefined : current;
  const newest = !base || times.createdAt >= base.eventAt;

  const proposed: RoomStatus | undefined =
    update.happened === 'ended' ? 'closed' : update.happened === 'left' || (update.happened === 'output' && base) ? undefined : 'active_meeting';
  let status: RoomStatus = base?.status ?? proposed ?? 'active_meeting';
  if (base && newest && proposed && ROOM_STATUS_RANK[proposed] > ROOM_STATUS_RANK[base.status]) status = proposed;

  const next: RoomRow = {
    source: update.source,
    roomId: update.roomId,
    roomName: update.roomName ?? current?.roomName ?? update.roomId,
    status,
    links: base?.links ?? {},
    updatedAt: times.receivedAt,
    eventAt: base && !newest ? base.eventAt : times.createdAt,
    heardAt: base && !newest ? base.heardAt : times.receivedAt,
    removed: false,
  };
  if (update.countsParticipants) {
    const presence = nextPresence(base?.presence, update, status);
    next.participants = presence.present.length;
    next.presence = presence;
  }
  const outputs = nextOutputs(base?.outputs, update.output);
  if (outputs) next.outputs = outputs;
  // Webhooks never say who took part (a REST read does): a later event keeps it.
  if (base?.attendance) next.attendance = base.attendance;
  if (current && !fresh && !differs(current, next, COMPARED_ROOM_KEYS)) return [];
  return [{ kind: 'room', row: withActiveSince(base, next, times) }];
}

/**
 * `next` with `activeSince` right for every platform: set when the room turns `active_meeting`, kept while
 * it stays so, dropped when it leaves. A platform clock ahead of ours would start the meeting in the future.
 */
export function withActiveSince(previous: RoomRow | undefined, next: RoomRow, times: EventTimes): RoomRow {
  const { activeSince: _dropped, ...row } = next;
  if (next.status !== 'active_meeting') return row;
  const kept = previous?.status === 'active_meeting' ? previous.activeSince : undefined;
  return { ...row, activeSince: kept ?? Math.min(times.createdAt, times.receivedAt) };
}

function nextPresence(previous: Presence | undefined, update: SessionRoomUpdate, status: RoomStatus): Presence {
  let present = previous?.present ?? [];
  let left = previous?.left ?? [];
  const id = update.participant;
  if (id !== undefined && update.happened === 'joined' && !present.includes(id) && !left.includes(id)) {
    present = [...present, id];
  }
  if (id !== undefined && update.happened === 'left') {
    present = present.filter((other) => other !== id);
    if (!left.includes(id)) left = [...left, id];
  }
  // Nobody is left in a closed session, whether or not their own leave came.
  if (status === 'closed' && present.length > 0) {
    left = [...left, ...present];
    present = [];
  }
  return { present, left: left.length > REMEMBERED_DEPARTURES ? left.slice(-REMEMBERED_DEPARTURES) : left };
}

/** Each output once, by id, its status only moving forward (outputs report their own progress, late or not). */
function nextOutputs(previous: RoomOutput[] | undefined, output: RoomOutput | undefined): RoomOutput[] | undefined {
  if (!output) return previous;
  const known = previous?.find((candidate) => candidate.id === output.id);
  if (!known) return [...(previous ?? []), output];
  if (RECORDING_STATUS_RANK[output.status] <= RECORDING_STATUS_RANK[known.status]) return previous;
  return previous!.map((candidate) => (candidate.id === output.id ? { ...candidate, status: output.status } : candidate));
}

// ---- Shared ----

/** Whether two rows differ in any of these keys (values compared as JSON). */
export function differs<T extends object>(a: T, b: T, keys: (keyof T)[]): boolean {
  return keys.some((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

/** A file entry holding only what is known (no `undefined` keys, so rows compare and serialise cleanly). */
export function recordingFile(url: string, known: { size?: number | undefined; duration?: number | undefined; kind?: string | undefined }): RecordingFile {
  const file: RecordingFile = { url };
  if (known.size !== undefined) file.size = known.size;
  if (known.duration !== undefined) file.duration = known.duration;
  if (known.kind !== undefined) file.kind = known.kind;
  return file;
}
