// The inspector's reads on PostgreSQL: the same newest-first list as the SQLite backend (webhooks,
// replays and refusals in one query, each part ordered by its own index, see schema.ts), and one stored
// webhook by seq.
import type { ListingFilter } from '../../inspector/listing-query.js';
import { toRefusalEntry, type RefusalRow } from '../../inspector/refusal-log.js';
import { cursorOf, type EventPage, type InspectorEntry } from '../../inspector/types.js';
import type { StoredWebhook } from '../store.js';
import type { Sql } from './connection.js';
import { EVENT_COLUMNS, toStoredEvent, type PgEventRow } from './event-rows.js';

interface ListingRow {
  entry: 'event' | 'replay' | 'refusal';
  id: number;
  at: number;
  source: InspectorEntry['source'];
  entry_type: string | null;
  room_id: string | null;
  repeats: number;
  reason: string | null;
  detail: string | null;
  ip: string | null;
  headers: string | null;
  replay_of: number | null;
  hint: string | null;
  platform_timestamp: number | null;
  skew_ms: number | null;
}

type Param = string | number;

/** A replay entry's body is the JSON of the replay note. */
const REPLAY_FIELD = (field: string) => `(convert_from(body, 'UTF8')::jsonb ->> '${field}')`;

export async function listEvents(sql: Sql, filter: ListingFilter): Promise<EventPage> {
  const parts: string[] = [];
  const params: Param[] = [];
  const param = (value: Param) => {
    params.push(value);
    return `$${params.length}`;
  };
  const take = filter.limit + 1;
  const { outcome } = filter;

  if (outcome === undefined || outcome === 'accepted' || outcome === 'repeat') {
    const where = ["kind = 'webhook'"];
    common(filter, where, param, { time: 'received_at', id: 'seq', table: 'w', type: 'type' });
    if (outcome === 'accepted') where.push('repeats = 0');
    if (outcome === 'repeat') where.push('repeats > 0');
    parts.push(
      `SELECT 'event' AS entry, seq AS id, received_at AS at, 1 AS rank, source, type AS entry_type, room_id, repeats,
         NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, NULL::bigint AS replay_of, NULL AS hint, NULL::bigint AS platform_timestamp, NULL::bigint AS skew_ms
       FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ${param(take)}`,
    );
  }
  if (outcome === undefined || outcome === 'replay') {
    const where = ["kind = 'change'", "type = 'replay'"];
    common(filter, where, param, { time: 'received_at', id: 'seq', table: 'w', type: REPLAY_FIELD('type') });
    parts.push(
      `SELECT 'replay' AS entry, seq AS id, received_at AS at, 1 AS rank, source, ${REPLAY_FIELD('type')} AS entry_type, room_id, 0 AS repeats,
         NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, ${REPLAY_FIELD('replayOf')}::bigint AS replay_of, NULL AS hint, NULL::bigint AS platform_timestamp, NULL::bigint AS skew_ms
       FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ${param(take)}`,
    );
  }
  // Refusals have no type and no room: a filter on either leaves them out.
  if ((outcome === undefined || outcome === 'refused') && filter.type === undefined && filter.roomId === undefined) {
    const where = ['true'];
    common(filter, where, param, { time: 'at', id: 'id', table: 'r' });
    parts.push(
      `SELECT 'refusal' AS entry, id, at, 0 AS rank, source, NULL AS entry_type, NULL AS room_id, 0 AS repeats,
         reason, detail, ip, headers, NULL::bigint AS replay_of, hint, platform_timestamp, skew_ms
       FROM refusals WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ${param(take)}`,
    );
  }

  const query = `${parts.map((part, i) => `SELECT * FROM (${part}) AS part${i}`).join(' UNION ALL ')} ORDER BY at DESC, rank DESC, id DESC LIMIT ${param(take)}`;
  const rows = await sql.unsafe<ListingRow[]>(query, params);
  const entries = rows.slice(0, filter.limit).map(toEntry);
  return { entries, next: rows.length > filter.limit ? cursorOf(entries.at(-1)!) : null };
}

export async function storedWebhook(sql: Sql, seq: number): Promise<StoredWebhook | undefined> {
  const [row] = await sql<(PgEventRow & { repeats: number; last_repeat_at: number | null })[]>`
    SELECT ${sql.unsafe(EVENT_COLUMNS)}, repeats, last_repeat_at FROM events WHERE seq = ${seq} AND kind = 'webhook'`;
  if (!row) return undefined;
  return { ...toStoredEvent(row), kind: 'webhook', repeats: row.repeats, lastRepeatAt: row.last_repeat_at };
}

/** The conditions every part shares: source, type, room, time range and the page cursor. */
function common(
  filter: ListingFilter,
  where: string[],
  param: (value: Param) => string,
  columns: { time: string; id: string; table: 'w' | 'r'; type?: string },
): void {
  if (filter.source !== undefined) where.push(`source = ${param(filter.source)}`);
  if (filter.type !== undefined && columns.type !== undefined) where.push(`${columns.type} = ${param(filter.type)}`);
  if (filter.roomId !== undefined) where.push(`room_id = ${param(filter.roomId)}`);
  if (filter.from !== undefined) where.push(`${columns.time} >= ${param(filter.from)}`);
  if (filter.to !== undefined) where.push(`${columns.time} <= ${param(filter.to)}`);
  if (filter.before !== undefined) {
    // Strictly after the cursor in (time desc, rank desc, id desc) order, where 'w' ranks above 'r' at the
    // same ms: within the cursor's own table, a smaller id; in the other, the whole ms or none.
    const { at, table, id } = filter.before;
    const bound = table === columns.table ? id : columns.table === 'w' ? 0 : Number.MAX_SAFE_INTEGER;
    where.push(`(${columns.time} < ${param(at)} OR (${columns.time} = ${param(at)} AND ${columns.id} < ${param(bound)}))`);
  }
}

function toEntry(row: ListingRow): InspectorEntry {
  switch (row.entry) {
    case 'event':
      return {
        kind: 'event',
        seq: row.id,
        at: row.at,
        source: row.source,
        type: row.entry_type ?? '',
        roomId: row.room_id,
        outcome: row.repeats > 0 ? 'repeat' : 'accepted',
        repeats: row.repeats,
      };
    case 'replay':
      return {
        kind: 'replay',
        seq: row.id,
        at: row.at,
        source: row.source,
        type: row.entry_type ?? '',
        roomId: row.room_id,
        outcome: 'replay',
        replayOf: row.replay_of ?? 0,
      };
    case 'refusal':
      return toRefusalEntry({ ...row, reason: row.reason ?? '', headers: row.headers ?? '{}' } as RefusalRow);
  }
}
