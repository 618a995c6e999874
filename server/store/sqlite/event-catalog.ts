// The inspector's reads: one newest-first list mixing stored webhooks, replays and refusals (one SQL
// query, each part ordered by its own index), filtered by columns, by words in the payloads or by a
// room's name; the payloads of a page (for an export); and one stored webhook with its repeat count.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { toStoredEvent, type EventRow } from './event-log.js';
import { SearchIndex } from './search-index.js';
import type { StoredWebhook } from '../store.js';
import type { SourceId } from '../../domain/rows.js';
import { MAX_ROOMS_PER_NAME, nameOfTooManyRooms, type ListingFilter, type SearchWords } from '../../inspector/listing-query.js';
import { cursorOf, type EventPage, type ExportPage } from '../../inspector/types.js';
import { toEntry, type ListingRow } from '../listing-row.js';


interface WebhookRow extends EventRow {
  repeats: number;
  last_repeat_at: number | null;
}

type Param = string | number;

/** A line of EXPLAIN QUERY PLAN: a step, the step it is part of (0 for the query), what it does. */
export interface PlanLine {
  id: number;
  parent: number;
  detail: string;
}

interface Condition {
  sql: string;
  params: Param[];
}

/** The rooms of a name, through rooms_by_name (an index on the same expression). */
const ROOMS_NAMED = `SELECT source, room_id FROM rooms WHERE lower(json_extract(row, '$.roomName')) = lower(?) LIMIT ?`;

/** Prepared listings kept at most. */
const MAX_STATEMENTS = 200;

const WEBHOOK_COLUMNS = `'event' AS entry, seq AS id, received_at AS at, 1 AS rank, source, type AS entry_type, room_id, repeats,
  NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, NULL AS replay_of, NULL AS hint, NULL AS platform_timestamp, NULL AS skew_ms`;

/** Entries about any of these rooms; checked on the rows an index yields. */
function roomCondition(rooms: { source: SourceId; roomId: string }[]): Condition {
  return { sql: `(${rooms.map(() => '(source = ? AND room_id = ?)').join(' OR ')})`, params: rooms.flatMap((room) => [room.source, room.roomId]) };
}

/** A replay entry's body is JSON text stored as a BLOB; SQLite reads a BLOB as JSONB, hence the cast. */
const REPLAY_FIELD = (field: string) => `json_extract(CAST(body AS TEXT), '$.${field}')`;

export class EventCatalog {
  private readonly selectWebhook;
  private readonly selectRoomsNamed;
  private readonly selectBodies;
  private readonly searchIndex;
  /** Listing statements by their SQL text, one per combination of filters in use (see MAX_STATEMENTS). */
  private readonly listings = new Map<string, Statement<Param[], ListingRow>>();

  constructor(private readonly db: Db) {
    this.selectWebhook = db.prepare<[number], WebhookRow>(
      `SELECT seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body, repeats, last_repeat_at
       FROM events WHERE seq = ? AND kind = 'webhook'`,
    );
    this.selectRoomsNamed = db.prepare<[string, number], { source: SourceId; room_id: string }>(ROOMS_NAMED);
    this.searchIndex = new SearchIndex(db);
    this.selectBodies = db.prepare<[string], { seq: number; body: Buffer }>('SELECT seq, body FROM events WHERE seq IN (SELECT value FROM json_each(?))');
  }

  /**
   * One page of the listing, newest first; a search first brings the full-text index up to date. Each
   * part reads its own table through one index, newest first, and stops after a page (keyset: the
   * cursor is a bound on that index, never an OFFSET), so a page costs the same at 10 000 and at
   * 100 000 stored webhooks. Which index serves which filter
   * (migration 5 in sqlite/database.ts; test/listing-plans.test.ts pins each with EXPLAIN QUERY PLAN):
   *   webhooks, by the first of: room → events_webhooks_by_room, type → events_webhooks_by_type,
   *     source → events_webhooks_by_source, outcome=repeat → events_webhooks_repeated, otherwise (none,
   *     time range, outcome=accepted) → events_webhooks_by_time; the other filters are checked on the
   *     rows that index yields, so a combination reads past the rows it leaves out (a page of
   *     `limit` matches reads about limit ÷ their share of the leading filter's rows);
   *   a search (q) → the full-text index events_text, newest first, each match's row by its seq;
   *   a room name → rooms_by_name for the rooms of that name, then a part per room (events_webhooks_by_room);
   *   replays → events_replays_by_time; refusals (the newest 1 000 at most) → refusals_at.
   * Every one of them ends in (received_at, seq), so a time range and the cursor are a range on it.
   * The choice is named with INDEXED BY: SQLite has no statistics here (nothing runs ANALYZE), and
   * without them it takes the time index for a filter with a time range and walks every webhook in it.
   * PostgreSQL needs the same indexes (partial, WHERE kind = 'webhook') and no such clause: its planner
   * has statistics.
   */
  async list(filter: ListingFilter): Promise<EventPage> {
    if (filter.search !== undefined) await this.searchIndex.catchUp();
    return this.page(filter);
  }

  /** As list(), but a search reads the full-text index as it is now (the tests of query plans use it). */
  page(filter: ListingFilter): EventPage {
    const listing = this.listing(filter);
    // Refusals alone, with a filter that leaves every refusal out.
    if (listing === undefined) return { entries: [], next: null };
    const rows = this.statement(listing.sql).all(...listing.params);
    const entries = rows.slice(0, filter.limit).map(toEntry);
    return { entries, next: rows.length > filter.limit ? cursorOf(entries.at(-1)!) : null };
  }

  /** How SQLite reads a page of this filter (EXPLAIN QUERY PLAN), for the tests; empty when nothing is read. */
  explainPage(filter: ListingFilter): PlanLine[] {
    const explain = (sql: string, params: Param[]) => this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as PlanLine[];
    // The lookup of the rooms by that name first, as page() does; its steps renumbered apart from the listing's.
    const apart = (id: number) => -1_000_000 - id;
    const names = filter.roomName === undefined ? [] : explain(ROOMS_NAMED, [filter.roomName, MAX_ROOMS_PER_NAME + 1]).map((line) => ({ ...line, id: apart(line.id), parent: apart(line.parent) }));
    const listing = this.listing(filter);
    return listing === undefined ? names : [...names, ...explain(listing.sql, listing.params)];
  }

  /** The SQL and parameters of a page; undefined when no part can match. */
  private listing(filter: ListingFilter): { sql: string; params: Param[] } | undefined {
    const parts: string[] = [];
    const params: Param[] = [];
    const take = filter.limit + 1;
    const { outcome } = filter;
    const rooms = filter.roomName === undefined ? undefined : this.roomsNamed(filter.roomName, filter);
    if (rooms !== undefined && rooms.length === 0) return undefined;

    if (outcome === undefined || outcome === 'accepted' || outcome === 'repeat') {
      const part = (filter: ListingFilter, from: string, extra: Condition | undefined, order: string) => {
        const where = ["kind = 'webhook'"];
        this.common(filter, where, params, { time: 'received_at', id: 'seq', table: 'w', type: 'type' });
        if (outcome === 'accepted') where.push('repeats = 0');
        if (outcome === 'repeat') where.push('repeats > 0');
        if (extra) {
          where.push(extra.sql);
          params.push(...extra.params);
        }
        parts.push(`SELECT ${WEBHOOK_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`);
        params.push(take);
      };
      if (filter.search !== undefined) {
        // Matches newest first, as the full-text index holds them (by -seq: the reverse of the order
        // webhooks were stored, which is their receive order), so it stops at the page's end; each one's
        // row by its primary key. CROSS JOIN keeps that order of the loops.
        const { before, ...rest } = filter;
        const search: Condition = { sql: 'events_text MATCH ?', params: [ftsPhrase(filter.search)] };
        if (before !== undefined) {
          search.sql += ' AND events_text.rowid > ?';
          search.params.push(-(before.table === 'w' ? before.id : Number.MAX_SAFE_INTEGER));
        }
        const inRooms = rooms && roomCondition(rooms);
        const conditions = inRooms ? { sql: `${search.sql} AND ${inRooms.sql}`, params: [...search.params, ...inRooms.params] } : search;
        part(rest, 'events_text CROSS JOIN events ON events.seq = -events_text.rowid', conditions, 'events_text.rowid ASC');
      } else if (rooms !== undefined) {
        // A room name stands for a few rooms: a part each, each through the room index.
        for (const room of rooms) part({ ...filter, source: room.source, roomId: room.roomId }, `events INDEXED BY events_webhooks_by_room`, undefined, 'received_at DESC, seq DESC');
      } else {
        part(filter, `events INDEXED BY ${webhookIndex(filter)}`, undefined, 'received_at DESC, seq DESC');
      }
    }
    // Replays are not searched: the webhook they replay is.
    if ((outcome === undefined || outcome === 'replay') && filter.search === undefined) {
      const where = ["kind = 'change'", "type = 'replay'"];
      this.common(filter, where, params, { time: 'received_at', id: 'seq', table: 'w', type: REPLAY_FIELD('type') });
      if (rooms !== undefined) {
        const inRooms = roomCondition(rooms);
        where.push(inRooms.sql);
        params.push(...inRooms.params);
      }
      parts.push(
        `SELECT 'replay' AS entry, seq AS id, received_at AS at, 1 AS rank, source, ${REPLAY_FIELD('type')} AS entry_type, room_id, 0 AS repeats,
           NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, ${REPLAY_FIELD('replayOf')} AS replay_of, NULL AS hint, NULL AS platform_timestamp, NULL AS skew_ms
         FROM events INDEXED BY events_replays_by_time WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ?`,
      );
      params.push(take);
    }
    // Refusals have no type, no room and no body: a filter on any of them leaves them out.
    const aboutRefusals = filter.type === undefined && filter.roomId === undefined && rooms === undefined && filter.search === undefined;
    if ((outcome === undefined || outcome === 'refused') && aboutRefusals) {
      const where = ['1 = 1'];
      this.common(filter, where, params, { time: 'at', id: 'id', table: 'r' });
      parts.push(
        `SELECT 'refusal' AS entry, id, at, 0 AS rank, source, NULL AS entry_type, NULL AS room_id, 0 AS repeats,
           reason, detail, ip, headers, NULL AS replay_of, hint, platform_timestamp, skew_ms
         FROM refusals WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ?`,
      );
      params.push(take);
    }

    if (parts.length === 0) return undefined;
    // A search's single part is in seq order, which the outer sort keeps.
    const order = filter.search === undefined ? 'at DESC, rank DESC, id DESC' : 'id DESC';
    return { sql: `${parts.map((part) => `SELECT * FROM (${part})`).join(' UNION ALL ')} ORDER BY ${order} LIMIT ?`, params: [...params, take] };
  }

  /**
   * The rooms known by this name (rooms_by_name), within the filter's source and room id if it names
   * them. A name shared by more rooms than MAX_ROOMS_PER_NAME is refused: each is a part of the query.
   */
  private roomsNamed(name: string, filter: ListingFilter): { source: SourceId; roomId: string }[] {
    const rooms = this.selectRoomsNamed.all(name, MAX_ROOMS_PER_NAME + 1);
    if (rooms.length > MAX_ROOMS_PER_NAME) {
      throw nameOfTooManyRooms(name);
    }
    return rooms
      .map((room) => ({ source: room.source, roomId: room.room_id }))
      .filter((room) => (filter.source === undefined || room.source === filter.source) && (filter.roomId === undefined || room.roomId === filter.roomId));
  }

  /** A prepared listing, by its SQL text: a few dozen filter combinations at most. */
  private statement(sql: string): Statement<Param[], ListingRow> {
    let statement = this.listings.get(sql);
    if (!statement) {
      // Combinations times the rooms a name stands for: a few thousand possible, a handful in use.
      if (this.listings.size >= MAX_STATEMENTS) this.listings.clear();
      this.listings.set(sql, (statement = this.db.prepare<Param[], ListingRow>(sql)));
    }
    return statement;
  }

  /** As list(), each entry with its payload as text (an export's page). */
  async listWithBodies(filter: ListingFilter): Promise<ExportPage> {
    const page = await this.list(filter);
    const bodies = this.bodies(page.entries.flatMap((entry) => (entry.kind === 'refusal' ? [] : [entry.seq])));
    return {
      entries: page.entries.map((entry) => ({ ...entry, body: entry.kind === 'refusal' ? null : (bodies.get(entry.seq) ?? null) })),
      next: page.next,
    };
  }

  /** The payloads of these log entries (webhooks, replays) as text, by seq; a pruned one is missing. */
  private bodies(seqs: number[]): Map<number, string> {
    const rows = seqs.length === 0 ? [] : this.selectBodies.all(JSON.stringify(seqs));
    return new Map(rows.map((row) => [row.seq, Buffer.from(row.body).toString('utf8')]));
  }

  /** A stored webhook (not a change entry), or undefined. */
  webhook(seq: number): StoredWebhook | undefined {
    const row = this.selectWebhook.get(seq);
    if (!row) return undefined;
    return { ...toStoredEvent(row), kind: 'webhook', repeats: row.repeats, lastRepeatAt: row.last_repeat_at };
  }

  /** The conditions every part shares: source, type, room, time range and the page cursor. */
  private common(
    filter: ListingFilter,
    where: string[],
    params: Param[],
    columns: { time: string; id: string; table: 'w' | 'r'; type?: string },
  ): void {
    if (filter.source !== undefined) {
      where.push('source = ?');
      params.push(filter.source);
    }
    if (filter.type !== undefined && columns.type !== undefined) {
      where.push(`${columns.type} = ?`);
      params.push(filter.type);
    }
    if (filter.roomId !== undefined) {
      where.push('room_id = ?');
      params.push(filter.roomId);
    }
    if (filter.from !== undefined) {
      where.push(`${columns.time} >= ?`);
      params.push(filter.from);
    }
    // With both an end and a cursor, only the stricter one is written: two upper bounds on the time
    // make SQLite misjudge the ranges and walk the time index instead of the filter's own.
    const cursorIsStricter = filter.before !== undefined && (filter.to === undefined || filter.before.at <= filter.to);
    if (filter.to !== undefined && !cursorIsStricter) {
      where.push(`${columns.time} <= ?`);
      params.push(filter.to);
    }
    if (filter.before !== undefined && cursorIsStricter) {
      // Strictly after the cursor in (time desc, rank desc, id desc) order, where 'w' ranks above 'r'
      // at the same ms: within the cursor's own table, a smaller id; in the other, the whole ms or none.
      // The first term makes the index's range start at the cursor (an OR alone would walk from the top).
      const { at, table, id } = filter.before;
      const bound = table === columns.table ? id : columns.table === 'w' ? 0 : Number.MAX_SAFE_INTEGER;
      where.push(`${columns.time} <= ? AND (${columns.time} < ? OR ${columns.id} < ?)`);
      params.push(at, at, bound);
    }
  }
}

/** A search as one FTS5 phrase, the last word also as a prefix: `"daily standup" *`. The words hold no FTS5 syntax. */
export function ftsPhrase({ words, prefix }: SearchWords): string {
  return `"${words.join(' ')}"${prefix ? ' *' : ''}`;
}

/** The index that leads a read of stored webhooks: the one of the most selective filter given. */
function webhookIndex(filter: ListingFilter): string {
  if (filter.roomId !== undefined) return 'events_webhooks_by_room';
  if (filter.type !== undefined) return 'events_webhooks_by_type';
  if (filter.source !== undefined) return 'events_webhooks_by_source';
  if (filter.outcome === 'repeat') return 'events_webhooks_repeated';
  return 'events_webhooks_by_time';
}

