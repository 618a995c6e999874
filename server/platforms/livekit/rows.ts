// What LiveKit's own objects say about roomwatch's rows, read from their protojson (../shared/protocols/
// providers.md §2.3): an EgressInfo, a ParticipantInfo. A webhook carries them, and so does the REST API
// once its answers are written back as protojson (./client.ts); the projection (./project.ts) and the
// reconciliation (./reconcile.ts) read both the same way.
// protojson quirks: 64-bit integers are strings, enum zero values are omitted (no `status` means
// EGRESS_STARTING, no `kind` means STANDARD), egress times are nanoseconds.
import { nanosToMs, nanosToSeconds } from '../../domain/epoch-ms.js';
import { isObject, nonNegative, objectAt, text, type JsonObject } from '../../domain/payload-fields.js';
import { recordingFile, type RecordingUpdate } from '../../domain/row-merge.js';
import type { RecordingFile, RecordingStatus } from '../../domain/rows.js';

export const SOURCE = 'livekit';

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

/** An egress's status in recording words (Meet's own for the same egress states); undefined when it is not one. */
export function egressStatus(info: JsonObject): RecordingStatus | undefined {
  return EGRESS_STATUSES.get(info.status);
}

/** Participants that are machines in the room, not people in the meeting. */
const NOT_PEOPLE = new Set<unknown>(['EGRESS', 'INGRESS', 'AGENT']);

/** Whether a ParticipantInfo is a person (egress, ingress and agent participants are not). */
export function isPerson(participant: JsonObject | undefined): boolean {
  return !NOT_PEOPLE.has(participant?.kind);
}

/** The request kinds of an EgressInfo (protojson names of its `request` oneof). */
const EGRESS_REQUESTS = ['roomComposite', 'web', 'participant', 'trackComposite', 'track'] as const;

/**
 * What an egress writes, from its results and its request: LiveKit's own output kinds. Only file and
 * segment egresses are recordings (Meet's isRecordingEgress keeps file egresses); one that says nothing
 * of its outputs yet is taken for a recording, as every egress was before the kinds were read.
 */
export function egressOutputs(info: JsonObject): { recording: boolean; stream: boolean; images: boolean } {
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

/** The room an egress belongs to: the event's `room.sid` (LiveKit 1.13.5+), else the egress's own `roomId`. */
export function egressRoom(info: JsonObject, room?: JsonObject): { roomId: string | undefined; roomName: string | undefined } {
  return { roomId: text(room?.sid) ?? text(info.roomId) ?? text(info.roomName), roomName: text(room?.name) ?? text(info.roomName) };
}

/** What an EgressInfo says of its recording: status, room, times, error and files (sizes summed). */
export function egressRecordingUpdate(
  info: JsonObject,
  recordingId: string,
  status: RecordingStatus,
  { roomId, roomName }: { roomId: string | undefined; roomName: string | undefined },
): RecordingUpdate {
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
  const filename = text(fileInfos(info)[0]?.filename);
  if (filename !== undefined) update.filename = filename;
  if (files.length > 0) {
    update.files = files;
    const sizes = files.flatMap((file) => (file.size === undefined ? [] : [file.size]));
    if (sizes.length > 0) update.size = sizes.reduce((a, b) => a + b, 0);
    const durations = files.flatMap((file) => (file.duration === undefined ? [] : [file.duration]));
    if (durations.length > 0) update.duration = Math.max(...durations);
  }
  return update;
}

/** `fileResults`, or the deprecated `file` when `fileResults` is empty (seen: livekit/node-sdks#625). */
function fileInfos(info: JsonObject): JsonObject[] {
  const results = Array.isArray(info.fileResults) ? info.fileResults.filter(isObject) : [];
  if (results.length > 0) return results;
  const file = objectAt(info, 'file');
  return file ? [file] : [];
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
