// What differs between the Meet versions the simulator speaks (../../../shared/protocols/openvidu-meet.md §2.8, §4.8).
// 3.4 is the tutorial's version; 3.8 stands for the 3.6+ shapes (base path /meet, layout/encoding, access links).
import { sanitizeRoomId, uid } from './ids.js';
import type { MeetVersion } from './model.js';

export interface VersionProfile {
  version: MeetVersion;
  /** Where every route is mounted unless told otherwise (3.6+: MEET_BASE_PATH, default /meet). */
  defaultBasePath: string;
  /** The room name as stored, from the (length-checked) requested one. */
  normaliseRoomName(requested: string): string;
  /** A fresh room id for a stored room name. */
  newRoomId(roomName: string): string;
  /** Whether a recording of `recordingRoomId` passes the `roomId` filter of GET /recordings. */
  matchesRecordingRoomFilter(recordingRoomId: string, filter: string): boolean;
  /** 3.6+: recordings carry these; the default room recording config (§2.8). */
  recordingFormat?: { layout: string; encoding: string };
}

const v34: VersionProfile = {
  version: '3.4',
  defaultBasePath: '',
  normaliseRoomName: (requested) => sanitizeRoomName34(requested) || 'Room',
  // §2.4: `<roomName with all whitespace removed>-<15 base-36>`, case kept.
  newRoomId: (roomName) => `${roomName.replace(/\s+/g, '')}-${uid(15)}`,
  // §4.2: sanitised, then used as an S3 key prefix — so a room *name* matches every room id it starts.
  matchesRecordingRoomFilter: (recordingRoomId, filter) => recordingRoomId.startsWith(sanitizeRoomId(filter)),
};

const v38: VersionProfile = {
  version: '3.8',
  defaultBasePath: '/meet',
  // §2.8 (3.5): free text, only trimmed (runs of whitespace become one space).
  normaliseRoomName: (requested) => requested.trim().replace(/\s+/g, ' '),
  newRoomId: (roomName) => `${roomIdPrefix35(roomName) || 'room'}-${uid(15)}`,
  // §4.2 (3.5): an exact roomId match.
  matchesRecordingRoomFilter: (recordingRoomId, filter) => recordingRoomId === sanitizeRoomId(filter),
  recordingFormat: { layout: 'grid', encoding: 'H264_720P_30' },
};

export function versionProfile(version: MeetVersion): VersionProfile {
  return version === '3.4' ? v34 : v38;
}

/**
 * 3.4's `sanitizeRoomName` (§2.4): keep `[A-Za-z0-9_- ]`, collapse runs of spaces, `-` and `_`, trim
 * leading/trailing `-`/`_` (and spaces). Reconstructed from the description, not from the source.
 */
export function sanitizeRoomName34(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_\- ]/g, '')
    .replace(/ {2,}/g, ' ')
    .replace(/-{2,}/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^[\s_-]+|[\s_-]+$/g, '');
}

/** 3.5+'s `createRoomIdPrefixFromRoomName`: "Daily Standup" → "daily_standup" (§2.8). */
export function roomIdPrefix35(roomName: string): string {
  return roomName
    .normalize('NFD')
    .toLowerCase()
    .replace(/[-\s]/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
}
