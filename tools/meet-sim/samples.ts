// Rooms and recordings as Meet describes them in webhooks, with ids and secrets derived from the room
// name, so that separate `npm run trigger` runs about one room talk about the same room.
import { createHash } from 'node:crypto';
import { formatRecordingId } from './ids.js';
import type { MeetVersion, RecordingOutcome, RecordingRecord, RecordingStatus, RoomRecord, RoomStatus, MeetingEndAction } from './model.js';
import { parseRoomOptions } from './room-options.js';
import { roomToWire, recordingToWire, type WireContext } from './shapes.js';
import { sanitizeRoomName34, roomIdPrefix35, versionProfile } from './versions.js';
import type { JsonObject } from './model.js';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` characters of `alphabet`, always the same for the same seed. */
function derived(seed: string, alphabet: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

export interface SampleOptions {
  version: MeetVersion;
  /** What the join links start with, e.g. http://localhost:9080/meet */
  baseUrl: string;
  now: number;
  /** The id of a room that already exists (the trigger, for a room roomwatch lists); else derived from the name. */
  roomId?: string;
}

export function sampleRoom(requestedName: string, status: RoomStatus, meetingEndAction: MeetingEndAction, options: SampleOptions): JsonObject {
  const profile = versionProfile(options.version);
  const roomName = profile.normaliseRoomName(requestedName);
  const prefix = options.version === '3.4' ? sanitizeRoomName34(roomName).replace(/\s+/g, '') : roomIdPrefix35(roomName) || 'room';
  const roomId = options.roomId ?? `${prefix}-${derived(`room:${roomName}`, BASE36, 15)}`;
  const created = parseRoomOptions(options.version, { roomName }, () => options.now);
  const room: RoomRecord = {
    roomId,
    roomName,
    owner: 'admin',
    creationDate: options.now - 3_600_000,
    autoDeletionPolicy: created.autoDeletionPolicy,
    config: created.config,
    roles: created.roles,
    access: created.access,
    secrets: {
      moderator: derived(`moderator:${roomId}`, BASE36, 10),
      speaker: derived(`speaker:${roomId}`, BASE36, 10),
      recording: derived(`recording:${roomId}`, BASE36, 10),
    },
    status,
    meetingEndAction,
    rolesUpdatedAt: options.now - 3_600_000,
  };
  return roomToWire(room, wire(options));
}

/** The room's one sample recording, at `status`; dates and sizes as a 62 s recording would have them. */
export function sampleRecording(room: JsonObject, status: RecordingStatus, options: SampleOptions): JsonObject {
  const roomId = String(room.roomId);
  const egressId = `EG_${derived(`egress:${roomId}`, BASE62, 12)}`;
  const uid = derived(`recording:${roomId}`, BASE36, 10);
  const profile = versionProfile(options.version);
  const startDate = options.now - 64_000 + 0.4417;
  const ended = (['complete', 'failed', 'aborted', 'limit_reached'] as RecordingOutcome[]).includes(status as RecordingOutcome);
  const recording: RecordingRecord = {
    recordingId: formatRecordingId({ roomId, egressId, uid }),
    roomId,
    egressId,
    uid,
    status,
    layout: profile.recordingFormat?.layout,
    encoding: profile.recordingFormat?.encoding,
    startDate,
    endDate: ended ? options.now - 420 + 0.7312 : undefined,
    duration: status === 'complete' || status === 'limit_reached' ? 62.483 : undefined,
    size: status === 'complete' || status === 'limit_reached' ? 8734211 : undefined,
    errorCode: status === 'failed' ? 500 : undefined,
    error: status === 'failed' ? 'pipeline failed' : undefined,
    details: ended ? (status === 'complete' ? 'Stopped using API' : `Recording ${status}`) : undefined,
    secrets: { public: derived(`public:${uid}`, BASE36, 10), private: derived(`private:${uid}`, BASE36, 10) },
  };
  return recordingToWire(recording, String(room.roomName), wire(options));
}

function wire(options: SampleOptions): WireContext {
  return { version: options.version, baseUrl: options.baseUrl };
}
