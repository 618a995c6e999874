// A row of the events table as read through postgres.js (int8 as number, bytea as Buffer), and the entry
// it stores.
import type { SourceId, StoredEvent } from '../../domain/events.js';

export interface PgEventRow {
  seq: number;
  kind: 'webhook' | 'change';
  source: SourceId;
  type: string;
  created_at: number | null;
  received_at: number;
  dedupe_key: string | null;
  room_id: string | null;
  headers: string;
  body: Buffer;
}

export const EVENT_COLUMNS = 'seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body';

export function toStoredEvent(row: PgEventRow): StoredEvent {
  return {
    seq: row.seq,
    kind: row.kind,
    source: row.source,
    type: row.type,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    dedupeKey: row.dedupe_key,
    roomId: row.room_id,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body,
  };
}
