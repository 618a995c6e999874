// The inspector's reads: one newest-first list mixing stored webhooks, replays and refusals (one SQL
// query, each part ordered by its own index), and one stored webhook with its repeat count.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.js';
import { toStoredEvent, type EventRow } from '../store/event-log.js';
import type { StoredEvent } from '../domain/events.js';
import type { ListingFilter } from './listing-query.js';
import { toRefusalEntry } from './refusal-log.js';
import { cursorOf, type EventPage, type InspectorEntry } from './types.js';

export interface StoredWebhook extends StoredEvent {
  kind: 'webhook';
  repeats: number;
  lastRepeatAt: number | null;
}

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

interface WebhookRow extends EventRow {
  repeats: number;
  last_repeat_at: number | null;
}

type Param = string | number;

/** A replay entry's body is JSON text stored as a BLOB; SQLite reads a BLOB as JSONB, hence the cast. */
const REPLAY_FIELD = (field: string) => `json_extract(CAST(body AS TEXT), '$.${field}')`;

export class EventCatalog {
  private readonly selectWebhook;
  /** Listing statements by their SQL text: a few dozen filter combinations at most. */
  private readonly listings = new Map<string, Statement<Param[], ListingRow>>();

  constructor(private readonly db: Db) {
    this.selectWebhook = db.prepare<[number], WebhookRow>(
      `SELECT seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body, repeats, last_repeat_at
       FROM events WHERE seq = ? AND kind = 'webhook'`,
    );
  }

  /**
   * One page of the listing, newest first. Each part reads its own table through one index, newest
   * first, and stops after a page (keyset: the cursor is a bound on that index, never an OFFSET), so a
   * page costs the same at 10 000 and at 100 000 stored webhooks. Which index serves which filter
   * (migration 4 in store/database.ts; test/listing-plans.test.ts pins each with EXPLAIN QUERY PLAN):
   *   webhooks, by the first of: room → events_webhooks_by_room, type → events_webhooks_by_type,
   *     source → events_webhooks_by_source, outcome=repeat → events_webhooks_repeated, otherwise (none,
   *     time range, outcome=accepted) → events_webhooks_by_time; the other filters are checked on the
   *     rows that index yields, so a combination reads past the rows it leaves out (a page of
   *     `limit` matches reads about limit ÷ their share of the leading filter's rows);
   *   replays → events_replays_by_time; refusals (the newest 1 000 at most) → refusals_at.
   * Every one of them ends in (received_at, seq), so a time range and the cursor are a range on it.
   * The choice is named with INDEXED BY: SQLite has no statistics here (nothing runs ANALYZE), and
   * without them it takes the time index for a filter with a time range and walks every webhook in it.
   * PostgreSQL needs the same indexes (partial, WHERE kind = 'webhook') and no such clause: its planner
   * has statistics.
   */
  page(filter: ListingFilter): EventPage {
    const listing = this.listing(filter);
    // Refusals alone, with a filter that leaves every refusal out.
    if (listing === undefined) return { entries: [], next: null };
    const rows = this.statement(listing.sql).all(...listing.params);
    const entries = rows.slice(0, filter.limit).map(toEntry);
    return { entries, next: rows.length > filter.limit ? cursorOf(entries.at(-1)!) : null };
  }

  /** How SQLite reads a page of this filter (EXPLAIN QUERY PLAN), for the tests; empty when nothing is read. */
  explainPage(filter: ListingFilter): { id: number; parent: number; detail: string }[] {
    const listing = this.listing(filter);
    if (listing === undefined) return [];
    return this.db.prepare(`EXPLAIN QUERY PLAN ${listing.sql}`).all(...listing.params) as { id: number; parent: number; detail: string }[];
  }

  /** The SQL and parameters of a page; undefined when no part can match. */
  private listing(filter: ListingFilter): { sql: string; params: Param[] } | undefined {
    const parts: string[] = [];
    const params: Param[] = [];
    const take = filter.limit + 1;
    const { outcome } = filter;

    if (outcome === undefined || outcome === 'accepted' || outcome === 'repeat') {
      const where = ["kind = 'webhook'"];
      this.common(filter, where, params, { time: 'received_at', id: 'seq', table: 'w', type: 'type' });
      if (outcome === 'accepted') where.push('repeats = 0');
      if (outcome === 'repeat') where.push('repeats > 0');
      parts.push(
        `SELECT 'event' AS entry, seq AS id, received_at AS at, 1 AS rank, source, type AS entry_type, room_id, repeats,
           NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, NULL AS replay_of, NULL AS hint, NULL AS platform_timestamp, NULL AS skew_ms
         FROM events INDEXED BY ${webhookIndex(filter)} WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ?`,
      );
      params.push(take);
    }
    if (outcome === undefined || outcome === 'replay') {
      const where = ["kind = 'change'", "type = 'replay'"];
      this.common(filter, where, params, { time: 'received_at', id: 'seq', table: 'w', type: REPLAY_FIELD('type') });
      parts.push(
        `SELECT 'replay' AS entry, seq AS id, received_at AS at, 1 AS rank, source, ${REPLAY_FIELD('type')} AS entry_type, room_id, 0 AS repeats,
           NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, ${REPLAY_FIELD('replayOf')} AS replay_of, NULL AS hint, NULL AS platform_timestamp, NULL AS skew_ms
         FROM events INDEXED BY events_replays_by_time WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ?`,
      );
      params.push(take);
    }
    // Refusals have no type and no room: a filter on either leaves them out.
    if ((outcome === undefined || outcome === 'refused') && filter.type === undefined && filter.roomId === undefined) {
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
    return { sql: listingSql(parts), params: [...params, take] };
  }

  /** A prepared listing, by its SQL text: a few dozen filter combinations at most. */
  private statement(sql: string): Statement<Param[], ListingRow> {
    let statement = this.listings.get(sql);
    if (!statement) this.listings.set(sql, (statement = this.db.prepare<Param[], ListingRow>(sql)));
    return statement;
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

/** The index that leads a read of stored webhooks: the one of the most selective filter given. */
function webhookIndex(filter: ListingFilter): string {
  if (filter.roomId !== undefined) return 'events_webhooks_by_room';
  if (filter.type !== undefined) return 'events_webhooks_by_type';
  if (filter.source !== undefined) return 'events_webhooks_by_source';
  if (filter.outcome === 'repeat') return 'events_webhooks_repeated';
  return 'events_webhooks_by_time';
}

/** The parts merged newest first; the last parameter is the page size (plus one, to know if there is more). */
function listingSql(parts: string[]): string {
  return `${parts.map((part) => `SELECT * FROM (${part})`).join(' UNION ALL ')} ORDER BY at DESC, rank DESC, id DESC LIMIT ?`;
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
      return toRefusalEntry({ ...row, reason: row.reason ?? '', headers: row.headers ?? '{}' });
  }
}
