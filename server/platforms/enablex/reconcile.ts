// What a read of EnableX's Server API adds to the rows: each room's name (webhooks only carry its hex id),
// who took part in each past session (webhooks never say), and the sessions whose `roomdrop` never
// arrived (EnableX does not say it retries), closed. Order-safe: it writes only what webhooks do not say,
// except a session's status, which it closes only when no webhook was heard since the read began. Pure.
import type { RecordingRow, RoomRow, RowChange } from '../../domain/rows.js';
import type { Attendance } from '../../domain/rows.js';
import type { CdrSession } from './call-records.js';

const SOURCE = 'enablex';

export interface EnableXRead {
  sessions: ReadonlyMap<string, CdrSession>;
  /** Room names by EnableX room id; null: EnableX has no such room (any more). */
  names: ReadonlyMap<string, string | null>;
  /** A session that ended before this (ms) gets no row: the store would drop it at once (CLOSED_ROOM_RETENTION_HOURS). */
  createdAfter: number;
}

/** EnableX's room id of a row key (`room_id:conf_num`, or `room_id` when a webhook had no conf_num). */
export function enablexRoomIdOf(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
}

/** The read against the rows as they are when it commits. */
export function reconcileEnableX(read: EnableXRead, rooms: readonly RoomRow[], recordings: readonly RecordingRow[], readStartedAt: number, now: number): RowChange[] {
  const changes: RowChange[] = [];
  const nameOf = (key: string) => read.names.get(enablexRoomIdOf(key)) ?? undefined;
  const known = new Set<string>();

  for (const row of rooms) {
    if (row.source !== SOURCE) continue;
    known.add(row.roomId);
    if (row.removed) continue;
    const session = read.sessions.get(row.roomId);
    const next: RoomRow = { ...row };
    const name = nameOf(row.roomId);
    if (name !== undefined) next.roomName = name;
    if (session && !sameAttendance(row.attendance, session.attendance)) next.attendance = session.attendance;
    // EnableX announces no start, so a row is closed already unless some other path opened it.
    if (session?.endedAt !== undefined && row.status !== 'closed' && row.heardAt < readStartedAt) {
      next.status = 'closed';
      delete next.activeSince;
    }
    if (next.roomName !== row.roomName || next.attendance !== row.attendance || next.status !== row.status) {
      changes.push({ kind: 'room', row: { ...next, updatedAt: now } });
    }
  }

  for (const session of read.sessions.values()) {
    if (known.has(session.key) || session.endedAt === undefined || session.endedAt < read.createdAfter) continue;
    // Times stay 0: any webhook about this session, however late, is newer than what a read says.
    changes.push({
      kind: 'room',
      row: {
        source: SOURCE,
        roomId: session.key,
        roomName: nameOf(session.key) ?? session.roomId,
        status: 'closed',
        links: {},
        updatedAt: now,
        eventAt: 0,
        heardAt: 0,
        removed: false,
        attendance: session.attendance,
      },
    });
  }

  for (const row of recordings) {
    if (row.source !== SOURCE || row.removed) continue;
    const name = nameOf(row.roomId);
    if (name !== undefined && name !== row.roomName) changes.push({ kind: 'recording', row: { ...row, roomName: name, updatedAt: now } });
  }
  return changes;
}

function sameAttendance(a: Attendance | undefined, b: Attendance): boolean {
  return a !== undefined && a.count === b.count && a.names.length === b.names.length && a.names.every((name, i) => name === b.names[i]);
}
