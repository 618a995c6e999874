// The inspector's reads on PostgreSQL: the same newest-first list as the SQLite backend (webhooks,
// replays and refusals in one query, each part ordered by its own index), filtered by columns, by words
// in the payloads or by a room's name; the same page with payloads (an export's); and one stored webhook
// by seq.
//
// Which index serves which filter (schema.ts; test/postgres-listing-plans.test.ts runs EXPLAIN on each):
//   webhooks: none, a time range, outcome=accepted → events_webhooks_received; source →
//     events_webhooks_source; type → events_webhooks_type; room → events_webhooks_room; outcome=repeat →
//     events_webhooks_repeated; each ends in (received_at, seq), so a time range and the keyset cursor
//     `(received_at, seq) < (…)` are a range on it, read newest first, stopped after a page;
//   a search (q) → events_webhooks_words (GIN over the payload's words) when its words are rare, or
//     events_kind_seq newest first, checking each payload, when they are common: the planner chooses by
//     the statistics ANALYZE keeps of that index's expression;
//   a room name → rooms_by_name for its rooms, then a part per room through events_webhooks_room;
//   replays → events_replays_received; refusals (the newest 1 000 at most) → refusals_at / refusals_source.
// Unlike SQLite, no index is named in the query: PostgreSQL's planner has statistics (autovacuum's ANALYZE).
import { MAX_ROOMS_PER_NAME, nameOfTooManyRooms, type ListingFilter, type SearchWords } from '../../inspector/listing-query.js';
import { cursorOf, type EventPage, type ExportPage } from '../../inspector/types.js';
import type { SourceId } from '../../domain/rows.js';
import type { StoredWebhook } from '../store.js';
import type { Sql } from './connection.js';
import { EVENT_COLUMNS, toStoredEvent, type PgEventRow } from './event-rows.js';
import { toEntry, type ListingRow } from '../listing-row.js';


type Param = string | number;

/** A room a room name stands for. */
export interface NamedRoom {
  source: SourceId;
  roomId: string;
}

/** A query and its parameters ($1, $2, … in order). */
export interface ListingQuery {
  text: string;
  params: Param[];
}

/** A replay entry's body is the JSON of the replay note. */
const REPLAY_FIELD = (field: string) => `(convert_from(body, 'UTF8')::jsonb ->> '${field}')`;

/** The rooms of a name ($1), at most $2, through rooms_by_name (an index on the same expression). */
export const ROOMS_NAMED = `SELECT source, room_id FROM rooms WHERE lower(row ->> 'roomName') = lower($1) LIMIT $2`;

const WEBHOOK_COLUMNS = `'event' AS entry, seq AS id, received_at AS at, 1 AS rank, source, type AS entry_type, room_id, repeats,
  NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, NULL::bigint AS replay_of, NULL AS hint, NULL::bigint AS platform_timestamp, NULL::bigint AS skew_ms`;

export async function listEvents(sql: Sql, filter: ListingFilter): Promise<EventPage> {
  const rooms = filter.roomName === undefined ? undefined : await roomsNamed(sql, filter.roomName, filter);
  const query = listingQuery(filter, rooms);
  if (query === undefined) return { entries: [], next: null };
  const rows = await sql.unsafe<ListingRow[]>(query.text, query.params);
  const entries = rows.slice(0, filter.limit).map(toEntry);
  return { entries, next: rows.length > filter.limit ? cursorOf(entries.at(-1)!) : null };
}

/** As listEvents, each entry with its payload as text (null for a refusal, or an entry pruned meanwhile). */
export async function listEventsWithBodies(sql: Sql, filter: ListingFilter): Promise<ExportPage> {
  const page = await listEvents(sql, filter);
  const seqs = page.entries.flatMap((entry) => (entry.kind === 'refusal' ? [] : [entry.seq]));
  // The list as one text parameter: no array type to look up (the pool does not fetch types).
  const rows =
    seqs.length === 0
      ? []
      : await sql<{ seq: number; body: Buffer }[]>`
          SELECT seq, body FROM events WHERE seq = ANY (string_to_array(${seqs.join(',')}::text, ',')::bigint[])`;
  const bodies = new Map(rows.map((row) => [row.seq, row.body.toString('utf8')]));
  return {
    entries: page.entries.map((entry) => ({ ...entry, body: entry.kind === 'refusal' ? null : (bodies.get(entry.seq) ?? null) })),
    next: page.next,
  };
}

/**
 * The rooms known by this name (rooms_by_name), within the filter's source and room id if it names them.
 * A name shared by more rooms than MAX_ROOMS_PER_NAME is refused: each is a part of the query.
 */
export async function roomsNamed(sql: Sql, name: string, filter: Pick<ListingFilter, 'source' | 'roomId'>): Promise<NamedRoom[]> {
  const rows = await sql.unsafe<{ source: SourceId; room_id: string }[]>(ROOMS_NAMED, [name, MAX_ROOMS_PER_NAME + 1]);
  if (rows.length > MAX_ROOMS_PER_NAME) throw nameOfTooManyRooms(name);
  return rows
    .map((row) => ({ source: row.source, roomId: row.room_id }))
    .filter((room) => (filter.source === undefined || room.source === filter.source) && (filter.roomId === undefined || room.roomId === filter.roomId));
}

/**
 * The query of one page: a part per kind of entry (each ordered by its own index and cut at a page), their
 * pages merged. Undefined when no part can match (a room name that names no room). Exported for the tests
 * of query plans.
 */
export function listingQuery(filter: ListingFilter, rooms: NamedRoom[] | undefined): ListingQuery | undefined {
  if (rooms !== undefined && rooms.length === 0) return undefined;
  const parts: string[] = [];
  const params: Param[] = [];
  const param = (value: Param) => {
    params.push(value);
    return `$${params.length}`;
  };
  const take = filter.limit + 1;
  const { outcome } = filter;

  if (outcome === undefined || outcome === 'accepted' || outcome === 'repeat') {
    const part = (filter: ListingFilter, extra: (param: (value: Param) => string) => string[], order: string) => {
      const where = ["kind = 'webhook'"];
      common(filter, where, param, { time: 'received_at', id: 'seq', table: 'w', type: 'type' });
      if (outcome === 'accepted') where.push('repeats = 0');
      if (outcome === 'repeat') where.push('repeats > 0');
      where.push(...extra(param));
      parts.push(`SELECT ${WEBHOOK_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${param(take)}`);
    };
    if (filter.search !== undefined) {
      // Matches newest first by seq (the order webhooks were stored, their receive order), as on SQLite;
      // the cursor is a bound on seq.
      const { before, search, ...rest } = filter;
      part(
        rest,
        (param) => [
          `roomwatch_payload_words(body) @@ to_tsquery('simple', ${param(tsQueryText(search))})`,
          ...(before === undefined ? [] : [`seq < ${param(before.table === 'w' ? before.id : Number.MAX_SAFE_INTEGER)}`]),
          ...(rooms === undefined ? [] : [roomCondition(rooms, param)]),
        ],
        'seq DESC',
      );
    } else if (rooms !== undefined) {
      // A room name stands for a few rooms: a part each, each through the room index.
      for (const room of rooms) part({ ...filter, source: room.source, roomId: room.roomId }, () => [], 'received_at DESC, seq DESC');
    } else {
      part(filter, () => [], 'received_at DESC, seq DESC');
    }
  }
  // Replays are not searched: the webhook they replay is.
  if ((outcome === undefined || outcome === 'replay') && filter.search === undefined) {
    const where = ["kind = 'change'", "type = 'replay'"];
    common(filter, where, param, { time: 'received_at', id: 'seq', table: 'w', type: REPLAY_FIELD('type') });
    if (rooms !== undefined) where.push(roomCondition(rooms, param));
    parts.push(
      `SELECT 'replay' AS entry, seq AS id, received_at AS at, 1 AS rank, source, ${REPLAY_FIELD('type')} AS entry_type, room_id, 0 AS repeats,
         NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, ${REPLAY_FIELD('replayOf')}::bigint AS replay_of, NULL AS hint, NULL::bigint AS platform_timestamp, NULL::bigint AS skew_ms
       FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ${param(take)}`,
    );
  }
  // Refusals have no type, no room and no body: a filter on any of them leaves them out.
  const aboutRefusals = filter.type === undefined && filter.roomId === undefined && rooms === undefined && filter.search === undefined;
  if ((outcome === undefined || outcome === 'refused') && aboutRefusals) {
    const where = ['true'];
    common(filter, where, param, { time: 'at', id: 'id', table: 'r' });
    parts.push(
      `SELECT 'refusal' AS entry, id, at, 0 AS rank, source, NULL AS entry_type, NULL AS room_id, 0 AS repeats,
         reason, detail, ip, headers, NULL::bigint AS replay_of, hint, platform_timestamp, skew_ms
       FROM refusals WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ${param(take)}`,
    );
  }

  if (parts.length === 0) return undefined;
  // A search's single part is in seq order, which the outer sort keeps.
  const order = filter.search === undefined ? 'at DESC, rank DESC, id DESC' : 'id DESC';
  const text = `${parts.map((part, i) => `SELECT * FROM (${part}) AS part${i}`).join(' UNION ALL ')} ORDER BY ${order} LIMIT ${param(take)}`;
  return { text, params };
}

/**
 * A search as a tsquery: its words one after the other (`<->`), the last one also as a prefix (`:*`).
 * Each word is quoted, and holds only letters and digits (searchWords), so none is read as an operator.
 */
export function tsQueryText({ words, prefix }: SearchWords): string {
  return words.map((word, index) => `'${withoutAccents(word)}'${prefix && index === words.length - 1 ? ':*' : ''}`).join(' <-> ');
}

/** As roomwatch_payload_words (schema.ts) drops them from the payloads: the combining marks U+0300–U+036F after NFD. */
function withoutAccents(word: string): string {
  return word.normalize('NFD').replace(/[\u0300-\u036f]+/g, '');
}

export async function storedWebhook(sql: Sql, seq: number): Promise<StoredWebhook | undefined> {
  const [row] = await sql<(PgEventRow & { repeats: number; last_repeat_at: number | null })[]>`
    SELECT ${sql.unsafe(EVENT_COLUMNS)}, repeats, last_repeat_at FROM events WHERE seq = ${seq} AND kind = 'webhook'`;
  if (!row) return undefined;
  return { ...toStoredEvent(row), kind: 'webhook', repeats: row.repeats, lastRepeatAt: row.last_repeat_at };
}

/** Entries about any of these rooms; checked on the rows an index yields. */
function roomCondition(rooms: NamedRoom[], param: (value: Param) => string): string {
  return `(${rooms.map((room) => `(source = ${param(room.source)} AND room_id = ${param(room.roomId)})`).join(' OR ')})`;
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
    // same ms: within the cursor's own table, a smaller id; in the other, the whole ms or none. A row
    // comparison, which the index's (time, id) order turns into one range.
    const { at, table, id } = filter.before;
    const bound = table === columns.table ? id : columns.table === 'w' ? 0 : Number.MAX_SAFE_INTEGER;
    where.push(`(${columns.time}, ${columns.id}) < (${param(at)}::bigint, ${param(bound)}::bigint)`);
  }
}

