// The inspector's reads: one newest-first list mixing stored webhooks, replays and refusals (one SQL
// query, each part ordered by its own index), and one stored webhook with its repeat count.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { toStoredEvent, type EventRow } from './event-log.js';
import type { StoredWebhook } from '../store.js';
import type { ListingFilter } from '../../inspector/listing-query.js';
import { toRefusalEntry } from '../../inspector/refusal-log.js';
import { cursorOf, type EventPage, type InspectorEntry } from '../../inspector/types.js';

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

  /** One page of the listing, newest first. */
  page(filter: ListingFilter): EventPage {
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
         FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ?`,
      );
      params.push(take);
    }
    if (outcome === undefined || outcome === 'replay') {
      const where = ["kind = 'change'", "type = 'replay'"];
      this.common(filter, where, params, { time: 'received_at', id: 'seq', table: 'w', type: REPLAY_FIELD('type') });
      parts.push(
        `SELECT 'replay' AS entry, seq AS id, received_at AS at, 1 AS rank, source, ${REPLAY_FIELD('type')} AS entry_type, room_id, 0 AS repeats,
           NULL AS reason, NULL AS detail, NULL AS ip, NULL AS headers, ${REPLAY_FIELD('replayOf')} AS replay_of, NULL AS hint, NULL AS platform_timestamp, NULL AS skew_ms
         FROM events WHERE ${where.join(' AND ')} ORDER BY received_at DESC, seq DESC LIMIT ?`,
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

    const sql = `${parts.map((part) => `SELECT * FROM (${part})`).join(' UNION ALL ')} ORDER BY at DESC, rank DESC, id DESC LIMIT ?`;
    params.push(take);
    let statement = this.listings.get(sql);
    if (!statement) this.listings.set(sql, (statement = this.db.prepare<Param[], ListingRow>(sql)));
    const rows = statement.all(...params);
    const entries = rows.slice(0, filter.limit).map(toEntry);
    return { entries, next: rows.length > filter.limit ? cursorOf(entries.at(-1)!) : null };
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
    if (filter.to !== undefined) {
      where.push(`${columns.time} <= ?`);
      params.push(filter.to);
    }
    if (filter.before !== undefined) {
      // Strictly after the cursor in (time desc, rank desc, id desc) order, where 'w' ranks above 'r'
      // at the same ms: within the cursor's own table, a smaller id; in the other, the whole ms or none.
      const { at, table, id } = filter.before;
      const bound = table === columns.table ? id : columns.table === 'w' ? 0 : Number.MAX_SAFE_INTEGER;
      where.push(`(${columns.time} < ? OR (${columns.time} = ? AND ${columns.id} < ?))`);
      params.push(at, at, bound);
    }
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
      return toRefusalEntry({ ...row, reason: row.reason ?? '', headers: row.headers ?? '{}' });
  }
}
