// LiveKit's REST reads (ListRooms, ListParticipants of each room, ListEgress, every page) merged into the
// rows we have. LiveKit drops webhooks (§2.1: a 4xx is not retried, a queue older than 30 s is dropped),
// so a room whose room_finished never came stays ACTIVE until a read shows it is gone:
// - a row that heard a webhook after the read started keeps what the webhook said;
// - a room LiveKit lists is on (its sid names this one instance), with the people ListParticipants shows;
// - a room it no longer lists has ended: its row is closed (not deleted: webhooks and recordings stay);
// - rooms and egresses roomwatch never heard of appear;
// - a recording (file or segment egress) gets what LiveKit knows: status (only forward), files, size,
//   duration; a stream or image egress is an output of its room, its status only moving forward;
// - an unfinished egress LiveKit no longer lists, in a room that has ended, was aborted.
import { msToMs, nanosToMs, secondsToMs } from '../../domain/epoch-ms.js';
import { text, type JsonObject } from '../../domain/payload-fields.js';
import { differs, mergeRecording, withActiveSince } from '../../domain/row-merge.js';
import { RECORDING_STATUS_RANK, isFinished, type Presence, type RecordingRow, type RoomOutput, type RoomRow, type RowChange } from '../../domain/rows.js';
import type { RowLister } from '../types.js';
import { SOURCE, egressOutputs, egressRecordingUpdate, egressRoom, egressStatus, isPerson } from './rows.js';

/** One complete read of LiveKit, as protojson (./client.ts). */
export interface LiveKitRead {
  /** Every room running, each with everyone ListParticipants shows in it. */
  rooms: { room: JsonObject; participants: JsonObject[] }[];
  /** Every egress LiveKit knows; undefined when it has no egress service (then recordings are left as they are). */
  egresses: JsonObject[] | undefined;
}

/** As row-merge.ts: a participant who left is remembered this long (in ids). */
const REMEMBERED_DEPARTURES = 500;
const COMPARED_ROOM_KEYS: (keyof RoomRow)[] = ['roomName', 'status', 'participants', 'presence', 'outputs', 'removed'];
const ABORTED = 'LiveKit no longer lists this egress, and its room has ended';

/** The rows a complete read, started at `readStartedAt`, changes; applied to the rows as they are at `now`. */
export function reconcileLiveKit(read: LiveKitRead, current: RowLister, readStartedAt: number, now: number): RowChange[] {
  const running = new Map<string, { room: JsonObject; participants: JsonObject[] }>();
  for (const entry of read.rooms) {
    const sid = text(entry.room.sid);
    if (sid !== undefined) running.set(sid, entry);
  }
  const egresses = read.egresses === undefined ? undefined : readEgresses(read.egresses);
  const untouched = (row: { removed: boolean; heardAt: number } | undefined) => row !== undefined && (row.removed || row.heardAt >= readStartedAt);

  const changes: RowChange[] = [];
  const rooms = new Map(current.allRooms().filter((row) => row.source === SOURCE).map((row) => [row.roomId, row]));
  for (const sid of new Set([...running.keys(), ...rooms.keys()])) {
    const row = rooms.get(sid);
    if (untouched(row)) continue;
    const next = restRoom(sid, row, running.get(sid), egresses, now);
    if (next) changes.push({ kind: 'room', row: next });
  }

  if (egresses === undefined) return changes;
  const recordings = new Map(current.allRecordings().filter((row) => row.source === SOURCE).map((row) => [row.recordingId, row]));
  for (const { id, info, status } of egresses.recordings) {
    const row = recordings.get(id);
    if (untouched(row)) continue;
    const change = restRecordingChange(info, id, status, row, now);
    if (change) changes.push(change);
  }
  for (const row of recordings.values()) {
    if (untouched(row) || isFinished(row.status) || egresses.ids.has(row.recordingId) || running.has(row.roomId)) continue;
    changes.push({ kind: 'recording', row: { ...row, status: 'aborted', error: row.error ?? ABORTED, updatedAt: now } });
  }
  return changes;
}

interface EgressRead {
  ids: Set<string>;
  recordings: { id: string; info: JsonObject; status: RecordingRow['status'] }[];
  /** Stream and image outputs by room sid. */
  outputs: Map<string, RoomOutput[]>;
}

function readEgresses(list: JsonObject[]): EgressRead {
  const read: EgressRead = { ids: new Set(), recordings: [], outputs: new Map() };
  for (const info of list) {
    const id = text(info.egressId);
    const status = egressStatus(info);
    if (id === undefined || status === undefined) continue;
    read.ids.add(id);
    const kinds = egressOutputs(info);
    const { roomId } = egressRoom(info);
    for (const kind of ['stream', 'images'] as const) {
      if (kinds[kind] && roomId !== undefined) read.outputs.set(roomId, [...(read.outputs.get(roomId) ?? []), { id, kind, status }]);
    }
    if (kinds.recording) read.recordings.push({ id, info, status });
  }
  return read;
}

/** A room row as LiveKit's answers describe it; undefined when that changes nothing. */
function restRoom(
  sid: string,
  row: RoomRow | undefined,
  listed: { room: JsonObject; participants: JsonObject[] } | undefined,
  egresses: EgressRead | undefined,
  now: number,
): RoomRow | undefined {
  // When the room began, by LiveKit's clock: its own creation time.
  const createdAt = msToMs(listed?.room.creationTimeMs) ?? secondsToMs(listed?.room.creationTime);
  const base: RoomRow = row ?? {
    source: SOURCE,
    roomId: sid,
    roomName: sid,
    status: 'active_meeting',
    links: {},
    updatedAt: now,
    // A delayed room_started of this very room must not look like a newer session (row-merge.ts `fresh`).
    eventAt: createdAt ?? 0,
    heardAt: 0,
    removed: false,
  };
  const next: RoomRow = { ...base, updatedAt: now };
  if (listed) next.roomName = text(listed.room.name) ?? base.roomName;
  // A closed row stays closed: a room sid names one instance, which never runs again.
  if (base.status !== 'closed') {
    const present = listed ? listed.participants.filter(isPerson).flatMap((participant) => text(participant.sid) ?? []) : [];
    next.status = listed ? 'active_meeting' : 'closed';
    next.presence = presenceNow(base.presence, present);
    next.participants = present.length;
  }
  const outputs = egresses && restOutputs(base.outputs, egresses.outputs.get(sid) ?? [], !listed);
  if (outputs) next.outputs = outputs;
  if (row && !differs(row, next, COMPARED_ROOM_KEYS)) return undefined;
  return withActiveSince(row, next, { createdAt: createdAt ?? now, receivedAt: now });
}

/** The room once LiveKit has ended it (the dashboard's End): closed, nobody in it. */
export function closedRoom(row: RoomRow, now: number): RoomRow {
  const { activeSince: _ended, ...rest } = row;
  return { ...rest, status: 'closed', updatedAt: now, participants: 0, presence: presenceNow(row.presence, []) };
}

/** Who is present now, by LiveKit; everyone else who was is remembered as having left. */
function presenceNow(previous: Presence | undefined, present: string[]): Presence {
  const gone = (previous?.present ?? []).filter((id) => !present.includes(id));
  const left = [...(previous?.left ?? []).filter((id) => !present.includes(id)), ...gone];
  return { present, left: left.length > REMEMBERED_DEPARTURES ? left.slice(-REMEMBERED_DEPARTURES) : left };
}

/** The room's outputs with LiveKit's statuses (each only moving forward); unlisted unfinished ones of an ended room aborted. */
function restOutputs(previous: RoomOutput[] | undefined, listed: RoomOutput[], ended: boolean): RoomOutput[] | undefined {
  const outputs = (previous ?? []).map((output) => ({ ...output }));
  for (const output of listed) {
    const known = outputs.find((candidate) => candidate.id === output.id && candidate.kind === output.kind);
    if (!known) outputs.push(output);
    else if (RECORDING_STATUS_RANK[output.status] > RECORDING_STATUS_RANK[known.status]) known.status = output.status;
  }
  if (ended) {
    for (const output of outputs) {
      if (!isFinished(output.status) && !listed.some((candidate) => candidate.id === output.id)) output.status = 'aborted';
    }
  }
  return outputs.length > 0 ? outputs : previous;
}

/**
 * A recording as an EgressInfo from the REST API describes it (a read, or StopEgress's answer); null when
 * that changes nothing. Its status only moves forward; its files add up, as from webhooks.
 */
export function restRecordingChange(info: JsonObject, id: string, status: RecordingRow['status'], row: RecordingRow | undefined, now: number): RowChange | null {
  if (row?.removed) return null;
  const update = egressRecordingUpdate(info, id, status, egressRoom(info));
  // LiveKit's clock says how new this description is; a later, older webhook then does not move it back.
  const described = Math.max(row?.eventAt ?? 0, nanosToMs(info.updatedAt) ?? 0);
  const [change] = mergeRecording(row, update, { createdAt: described, receivedAt: now });
  if (change?.kind !== 'recording') return null;
  // Not a webhook: the time one was last heard stays.
  return { kind: 'recording', row: { ...change.row, heardAt: row?.heardAt ?? 0 } };
}
