// Identifier and secret generators shaped like Meet's (../../../shared/protocols/openvidu-meet.md §2.4, §2.6, §2.7):
// the `uid` package Meet uses draws from lowercase base-36; LiveKit egress ids are `EG_` + 12 base-62.
import { randomInt } from 'node:crypto';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `uid(n)`: n lowercase base-36 characters (room id suffixes, secrets, recording uids). */
export function uid(length: number): string {
  return randomString(BASE36, length);
}

/** A LiveKit egress id such as `EG_hT4sRkP9mXqL`. */
export function egressId(): string {
  return `EG_${randomString(BASE62, 12)}`;
}

export interface RecordingIdParts {
  roomId: string;
  egressId: string;
  uid: string;
}

/** `<roomId>--<egressId>--<uid10>` (§2.6). */
export function formatRecordingId({ roomId, egressId: egress, uid: recordingUid }: RecordingIdParts): string {
  return `${roomId}--${egress}--${recordingUid}`;
}

/**
 * The REST validator's format check: three `--` parts, the middle one `EG_` plus something (§4.3: 422 on a
 * malformed id). Returns undefined when the id does not have that shape.
 */
export function parseRecordingId(recordingId: string): RecordingIdParts | undefined {
  const parts = recordingId.trim().split('--');
  if (parts.length !== 3) return undefined;
  const [roomId, egress, recordingUid] = parts as [string, string, string];
  if (roomId === '' || recordingUid === '' || !egress.startsWith('EG_') || egress.length <= 3) return undefined;
  return { roomId, egressId: egress, uid: recordingUid };
}

/** Room ids in paths and filters are stripped to `[A-Za-z0-9_-]` before use (§4.2). */
export function sanitizeRoomId(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '');
}
