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
import { nanosToMs, nanosToSeconds, secondsToMs } from '../../domain/epoch-ms.js';
import { isObject, nonNegative, objectAt, text, type JsonObject } from '../../domain/payload-fields.js';
import {
  eventTimes,
  mergeRecording,
  mergeSessionRoom,
  recordingFile,
  type EventTimes,
  type PlatformEvent,
  type RecordingUpdate,
  type SessionRoomUpdate,
} from '../../domain/row-merge.js';
import type { RowReader } from '../../domain/row-reader.js';
import type { RecordingFile, RecordingStatus, RoomOutput, RowChange } from '../../domain/rows.js';

const SOURCE = 'livekit';

/** EgressStatus in enum order; protojson writes the names, and omits the zero value EGRESS_STARTING. */
const EGRESS_STATUS_ORDER: [string, RecordingStatus][] = [
  ['EGRESS_STARTING', 'starting'],
  ['EGRESS_ACTIVE', 'active'],
  ['EGRESS_ENDING', 'ending'],
  ['EGRESS_COMPLETE', 'complete'],
  ['EGRESS_FAILED', 'failed'],
  ['EGRESS_ABORTED', 'aborted'],
  ['EGRESS_LIMIT_REACHED', 'limit_reached'],
];
const EGRESS_STATUSES = new Map<unknown, RecordingStatus>([
  [undefined, 'starting'],
  ...EGRESS_STATUS_ORDER,
  ...EGRESS_STATUS_ORDER.map(([, status], number): [number, RecordingStatus] => [number, status]),
]);

/** Participants that are machines in the room, not people in the meeting. */
const NOT_PEOPLE = new Set<unknown>(['EGRESS', 'INGRESS', 'AGENT']);

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
    if (NOT_PEOPLE.has(participant?.kind)) return [];
    const sid = text(participant?.sid);
    if (sid !== undefined) update.participant = sid;
  }
  return mergeSessionRoom(rows.room(SOURCE, roomId), update, times);
}

/** The request kinds of an EgressInfo (protojson names of its `request` oneof). */
const EGRESS_REQUESTS = ['roomComposite', 'web', 'participant', 'trackComposite', 'track'] as const;

/**
 * What an egress writes, from its results and its request: LiveKit's own output kinds. Only file and
 * segment egresses are recordings (Meet's isRecordingEgress keeps file egresses); one that says nothing
 * of its outputs yet is taken for a recording, as every egress was before the kinds were read.
 */
function egressOutputs(info: JsonObject): { recording: boolean; stream: boolean; images: boolean } {
  const requests = EGRESS_REQUESTS.map((name) => objectAt(info, name)).filter((request) => request !== undefined);
  const has = (results: string, legacy: string, outputs: string, requestLegacy: string) =>
    nonEmpty(info[results]) || isObject(info[legacy]) || requests.some((request) => nonEmpty(request[outputs]) || isObject(request[requestLegacy]));
  const files = has('fileResults', 'file', 'fileOutputs', 'file');
  const segments = has('segmentResults', 'segments', 'segmentOutputs', 'segments');
  // A track egress to a WebSocket streams too.
  const stream = has('streamResults', 'stream', 'streamOutputs', 'stream') || requests.some((request) => text(request.websocketUrl) !== undefined);
  const images = has('imageResults', 'images', 'imageOutputs', 'images');
  return { recording: files || segments || (!stream && !images), stream, images };
}

const nonEmpty = (value: unknown) => Array.isArray(value) && value.length > 0;

function egressChange(info: JsonObject | undefined, room: JsonObject | undefined, times: EventTimes, rows: RowReader): RowChange[] {
  const egressId = text(info?.egressId);
  const status = EGRESS_STATUSES.get(info?.status);
  if (!info || egressId === undefined || status === undefined) return [];
  // Since LiveKit 1.13.5 egress events carry the room, whose sid keys room rows; before, only egressInfo's.
  const roomId = text(room?.sid) ?? text(info.roomId) ?? text(info.roomName);
  const roomName = text(room?.name) ?? text(info.roomName);
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
  if (outputs.recording) changes.push(...recordingChange(info, egressId, status, roomId, roomName, times, rows));
  return changes;
}

function recordingChange(
  info: JsonObject,
  recordingId: string,
  status: RecordingStatus,
  roomId: string | undefined,
  roomName: string | undefined,
  times: EventTimes,
  rows: RowReader,
): RowChange[] {
  const files = egressFiles(info);
  const update: RecordingUpdate = { source: SOURCE, recordingId, status };
  if (roomId !== undefined) update.roomId = roomId;
  if (roomName !== undefined) update.roomName = roomName;
  const startedAt = nanosToMs(info.startedAt);
  if (startedAt !== undefined) update.startedAt = startedAt;
  const endedAt = nanosToMs(info.endedAt);
  if (endedAt !== undefined) update.endedAt = endedAt;
  const error = text(info.error);
  if (error !== undefined) update.error = error;
  const filename = text(firstFileInfo(info)?.filename);
  if (filename !== undefined) update.filename = filename;
  if (files.length > 0) {
    update.files = files;
    const sizes = files.flatMap((file) => (file.size === undefined ? [] : [file.size]));
    if (sizes.length > 0) update.size = sizes.reduce((a, b) => a + b, 0);
    const durations = files.flatMap((file) => (file.duration === undefined ? [] : [file.duration]));
    if (durations.length > 0) update.duration = Math.max(...durations);
  }
  return mergeRecording(rows.recording(SOURCE, recordingId), update, times);
}

/** `fileResults`, or the deprecated `file` when `fileResults` is empty (seen: livekit/node-sdks#625). */
function fileInfos(info: JsonObject): JsonObject[] {
  const results = Array.isArray(info.fileResults) ? info.fileResults.filter(isObject) : [];
  if (results.length > 0) return results;
  const file = objectAt(info, 'file');
  return file ? [file] : [];
}

function firstFileInfo(info: JsonObject): JsonObject | undefined {
  return fileInfos(info)[0];
}

/** The files an egress wrote and says where (`location`); HLS playlists too. Stream outputs are not files. */
function egressFiles(info: JsonObject): RecordingFile[] {
  const files: RecordingFile[] = [];
  for (const file of fileInfos(info)) {
    const url = text(file.location);
    if (url !== undefined) files.push(recordingFile(url, { size: nonNegative(file.size), duration: nanosToSeconds(file.duration), kind: 'file' }));
  }
  const segments = Array.isArray(info.segmentResults) ? info.segmentResults.filter(isObject) : [];
  const deprecatedSegments = objectAt(info, 'segments');
  for (const playlist of segments.length > 0 ? segments : deprecatedSegments ? [deprecatedSegments] : []) {
    const url = text(playlist.playlistLocation);
    if (url !== undefined) files.push(recordingFile(url, { size: nonNegative(playlist.size), duration: nanosToSeconds(playlist.duration), kind: 'hls' }));
  }
  return files;
}
