// Records → JSON exactly as Meet puts them on the wire: the same keys, in the same order, undefined ones
// left out (../../../shared/protocols/openvidu-meet.md §1.2, §2.3, §2.4, §2.6, §2.8).
import type { Json, JsonObject, MeetVersion, RecordingRecord, RoomRecord } from './model.js';

export interface WireContext {
  version: MeetVersion;
  /** `<publicUrl><basePath>`: what the join and playback links start with (§2.4 "About <base>"). */
  baseUrl: string;
}

/** 3.8 REST answers leave `config` and `roles` out unless asked for; webhooks always carry them (§2.8). */
export interface RoomParts {
  config: boolean;
  roles: boolean;
}

const WHOLE_ROOM: RoomParts = { config: true, roles: true };

export function roomToWire(room: RoomRecord, ctx: WireContext, parts: RoomParts = WHOLE_ROOM): JsonObject {
  const links = roomLinks(room, ctx);
  const autoDeletionPolicy = room.autoDeletionPolicy && { ...room.autoDeletionPolicy };
  if (ctx.version === '3.4') {
    return withoutUndefined({
      roomId: room.roomId,
      roomName: room.roomName,
      creationDate: room.creationDate,
      autoDeletionDate: room.autoDeletionDate,
      autoDeletionPolicy,
      config: room.config,
      moderatorUrl: links.moderator,
      speakerUrl: links.speaker,
      status: room.status,
      meetingEndAction: room.meetingEndAction,
    });
  }
  return withoutUndefined({
    roomId: room.roomId,
    roomName: room.roomName,
    owner: room.owner,
    creationDate: room.creationDate,
    autoDeletionDate: room.autoDeletionDate,
    autoDeletionPolicy,
    config: parts.config ? room.config : undefined,
    roles: parts.roles ? room.roles : undefined,
    access: {
      anonymous: {
        moderator: { enabled: room.access.moderator, url: links.moderator },
        speaker: { enabled: room.access.speaker, url: links.speaker },
        recording: { enabled: room.access.recording, url: links.recordings },
      },
      user: { enabled: room.access.user, url: links.user },
    },
    status: room.status,
    rolesUpdatedAt: room.rolesUpdatedAt,
    meetingEndAction: room.meetingEndAction,
  });
}

export interface RoomLinks {
  moderator: string;
  speaker: string;
  /** 3.8: the room's recordings page. */
  recordings: string;
  /** 3.8: registered-user access (needs a login). */
  user: string;
}

export function roomLinks(room: RoomRecord, { baseUrl }: WireContext): RoomLinks {
  const roomUrl = `${baseUrl}/room/${room.roomId}`;
  return {
    moderator: `${roomUrl}?secret=${room.secrets.moderator}`,
    speaker: `${roomUrl}?secret=${room.secrets.speaker}`,
    recordings: `${roomUrl}/recordings?secret=${room.secrets.recording}`,
    user: roomUrl,
  };
}

/** `MeetRecordingInfo` (§2.6; 3.6+ adds layout/encoding after roomName). */
export function recordingToWire(recording: RecordingRecord, roomName: string, ctx: WireContext): JsonObject {
  const withFormat = ctx.version !== '3.4';
  return withoutUndefined({
    recordingId: recording.recordingId,
    roomId: recording.roomId,
    roomName,
    layout: withFormat ? recording.layout : undefined,
    encoding: withFormat ? recording.encoding : undefined,
    status: recording.status,
    filename: `${recording.roomId}--${recording.uid}.mp4`,
    startDate: recording.startDate,
    endDate: recording.endDate,
    duration: recording.duration,
    size: recording.size,
    errorCode: recording.errorCode,
    error: recording.error,
    details: recording.details,
  });
}

/** GET /recordings/{id}/url (§4.3). */
export function recordingPlaybackUrl(recording: RecordingRecord, { baseUrl }: WireContext, privateAccess = false): string {
  const secret = privateAccess ? recording.secrets.private : recording.secrets.public;
  return `${baseUrl}/recording/${recording.recordingId}?secret=${secret}`;
}

/** `?fields=a,b` (§4.2): keep only those keys, in the object's own order. */
export function projectFields(value: JsonObject, fields: readonly string[] | undefined): JsonObject {
  if (!fields || fields.length === 0) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => fields.includes(key)));
}

function withoutUndefined(value: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out;
}
