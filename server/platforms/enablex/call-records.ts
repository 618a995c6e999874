// EnableX's call records (CDR, EnableX's Server API docs: "Requesting CDR for a Specific Period") → one
// entry per session. A record is one participant's call: `conf_num` (the session), `room.room_id`,
// `room.connect_dt` / `room.disconnect_dt` (ISO times) and `user {name, role, ref}`. A session is keyed
// `room_id:conf_num`, as the webhooks key its room (./project.ts). Pure.
import { idText, isObject, text } from '../../domain/payload-fields.js';
import type { Attendance } from '../../domain/rows.js';
import type { CdrRecord } from './client.js';

/** Names kept per session, and characters per name: a call record is text from the platform's users. */
export const MAX_NAMES = 50;
export const MAX_NAME_LENGTH = 100;

export interface CdrSession {
  /** The room row's key: `room_id:conf_num`. */
  key: string;
  /** EnableX's room id (24 hex digits). */
  roomId: string;
  /** The first connect and the last disconnect of its calls (ms); undefined when no record says. */
  startedAt?: number;
  endedAt?: number;
  attendance: Attendance;
}

interface Call {
  who: string;
  name: string | undefined;
  connectedAt: number;
  disconnectedAt: number | undefined;
}

/** The sessions the records are about, by key. Records without a room id or conf_num are skipped. */
export function sessionsFromCallRecords(records: readonly CdrRecord[]): Map<string, CdrSession> {
  const calls = new Map<string, { roomId: string; calls: Call[] }>();
  records.forEach((record, index) => {
    if (!isObject(record)) return;
    const room = isObject(record.room) ? record.room : {};
    const user = isObject(record.user) ? record.user : {};
    const roomId = idText(room.room_id);
    const confNum = idText(record.conf_num);
    if (roomId === undefined || confNum === undefined) return;
    const key = `${roomId}:${confNum}`;
    const name = text(user.name)?.trim().slice(0, MAX_NAME_LENGTH) || undefined;
    const ref = text(user.ref)?.trim() || undefined;
    // One person may call several times (a reconnect): count them once, by reference, else by name.
    const who = ref !== undefined ? `ref:${ref}` : name !== undefined ? `name:${name}` : `call:${idText(record.call_num) ?? index}`;
    const session = calls.get(key) ?? { roomId, calls: [] };
    session.calls.push({ who, name, connectedAt: time(room.connect_dt) ?? Infinity, disconnectedAt: time(room.disconnect_dt) });
    calls.set(key, session);
  });

  const sessions = new Map<string, CdrSession>();
  for (const [key, { roomId, calls: list }] of calls) {
    list.sort((a, b) => a.connectedAt - b.connectedAt);
    const people = new Set(list.map((call) => call.who));
    const names = [...new Set(list.flatMap((call) => (call.name === undefined ? [] : [call.name])))].slice(0, MAX_NAMES);
    const connects = list.map((call) => call.connectedAt).filter(Number.isFinite);
    const disconnects = list.flatMap((call) => (call.disconnectedAt === undefined ? [] : [call.disconnectedAt]));
    const session: CdrSession = { key, roomId, attendance: { count: people.size, names } };
    if (connects.length > 0) session.startedAt = connects.reduce((a, b) => Math.min(a, b));
    // Over only when every call has ended.
    if (disconnects.length === list.length) session.endedAt = disconnects.reduce((a, b) => Math.max(a, b));
    sessions.set(key, session);
  }
  return sessions;
}

function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
