// The forwarding store on PostgreSQL (tables: the second migration in ./schema.ts). Every instance reads
// it (the dashboard's view of deliveries); the leader alone delivers, so the leader alone records attempts
// and moves cursors. An attempt's outcome and the cursor move commit together, so a new leader continues
// exactly after the last delivery that was recorded.
import type { AttemptRecord, ForwardEntry, ForwardingStore, TargetRecord } from '../forwarding-store.js';
import { toAttempt as attemptOf, toAttemptRow as attemptRowOf, toEntry, toTarget, type AttemptRow, type EntryRow, type FlagColumn, type TargetRow } from '../forwarding-rows.js';
import type { Sql } from './connection.js';

export class PostgresForwardingStore implements ForwardingStore {
  constructor(private readonly sql: Sql) {}

  async openTarget(url: string, latestSeq: number): Promise<TargetRecord> {
    // Two instances starting together: the first insert wins, and both read the same record.
    await this.sql`INSERT INTO forward_targets (url, cursor, added_after) VALUES (${url}, ${latestSeq}, ${latestSeq}) ON CONFLICT (url) DO NOTHING`;
    return (await this.target(url))!;
  }

  async target(url: string): Promise<TargetRecord | undefined> {
    const [row] = await this.sql<TargetRow[]>`
      SELECT url, cursor, added_after, last_success_at, stopped_at, stopped_reason FROM forward_targets WHERE url = ${url}`;
    return row && toTarget(row);
  }

  async webhooksAfter(seq: number, { limit, maxBytes }: { limit: number; maxBytes: number }): Promise<ForwardEntry[]> {
    // The server adds up the body sizes, so bodies past the budget are never sent here.
    const rows = await this.sql<EntryRow[]>`
      SELECT seq, source, type, received_at, body FROM (
        SELECT seq, source, type, received_at, body, sum(octet_length(body)) OVER (ORDER BY seq) - octet_length(body) AS before
        FROM (SELECT * FROM events WHERE kind = 'webhook' AND seq > ${seq} ORDER BY seq LIMIT ${limit}) AS page
      ) AS sized
      WHERE before < ${maxBytes} ORDER BY seq`;
    return rows.map(toEntry);
  }

  async webhook(seq: number): Promise<ForwardEntry | undefined> {
    const [row] = await this.sql<EntryRow[]>`SELECT seq, source, type, received_at, body FROM events WHERE seq = ${seq} AND kind = 'webhook'`;
    return row && toEntry(row);
  }

  async attempt(target: string, seq: number): Promise<AttemptRecord | undefined> {
    const [row] = await this.sql<AttemptRow<boolean>[]>`SELECT * FROM forward_attempts WHERE target = ${target} AND seq = ${seq}`;
    return row && toAttempt(row);
  }

  async attemptsAt(seq: number): Promise<AttemptRecord[]> {
    const rows = await this.sql<AttemptRow<boolean>[]>`SELECT * FROM forward_attempts WHERE seq = ${seq}`;
    return rows.map(toAttempt);
  }

  async failingHead(target: string, cursor: number): Promise<AttemptRecord | undefined> {
    const [row] = await this.sql<AttemptRow<boolean>[]>`
      SELECT * FROM forward_attempts
      WHERE target = ${target} AND seq > ${cursor} AND NOT redelivery AND state = 'pending' AND last_error IS NOT NULL ORDER BY seq LIMIT 1`;
    return row && toAttempt(row);
  }

  async nextRedelivery(target: string): Promise<AttemptRecord | undefined> {
    const [row] = await this.sql<AttemptRow<boolean>[]>`
      SELECT * FROM forward_attempts WHERE target = ${target} AND redelivery AND state = 'pending' ORDER BY first_at LIMIT 1`;
    return row && toAttempt(row);
  }

  async recordAttempt(record: AttemptRecord, cursor?: number): Promise<void> {
    const row = toAttemptRow(record);
    await this.sql.begin(async (tx) => {
      await tx`
        INSERT INTO forward_attempts ${tx(row)}
        ON CONFLICT (target, seq) DO UPDATE SET state = excluded.state, redelivery = excluded.redelivery, attempts = excluded.attempts,
          first_at = excluded.first_at, next_try_at = excluded.next_try_at, last_at = excluded.last_at, last_status = excluded.last_status,
          last_latency_ms = excluded.last_latency_ms, last_error = excluded.last_error`;
      // A cursor only moves forward: a redelivery of an old webhook never moves it back.
      if (cursor !== undefined) await tx`UPDATE forward_targets SET cursor = greatest(cursor, ${cursor}) WHERE url = ${record.target}`;
      if (record.state === 'delivered' && record.lastAt !== undefined) {
        await tx`UPDATE forward_targets SET last_success_at = ${record.lastAt} WHERE url = ${record.target}`;
      }
    });
  }

  async recordDelivered(target: string, seq: number, at: number): Promise<void> {
    await this.sql`UPDATE forward_targets SET cursor = greatest(cursor, ${seq}), last_success_at = ${at} WHERE url = ${target}`;
  }

  async addDeliveredDetails(records: readonly AttemptRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.sql`INSERT INTO forward_attempts ${this.sql(records.map(toAttemptRow))} ON CONFLICT (target, seq) DO NOTHING`;
  }

  async stopTarget(target: string, at: number, reason: string): Promise<void> {
    await this.sql`UPDATE forward_targets SET stopped_at = ${at}, stopped_reason = ${reason} WHERE url = ${target}`;
  }

  async resumeTarget(target: string): Promise<boolean> {
    const result = await this.sql`UPDATE forward_targets SET stopped_at = NULL, stopped_reason = NULL WHERE url = ${target} AND stopped_at IS NOT NULL`;
    return result.count > 0;
  }

  async advanceCursor(target: string, cursor: number): Promise<void> {
    await this.sql`UPDATE forward_targets SET cursor = greatest(cursor, ${cursor}) WHERE url = ${target}`;
  }

  async requestRedelivery(target: string, seq: number, now: number): Promise<void> {
    await this.sql`
      INSERT INTO forward_attempts (target, seq, state, redelivery, attempts, first_at) VALUES (${target}, ${seq}, 'pending', true, 0, ${now})
      ON CONFLICT (target, seq) DO UPDATE SET state = 'pending', redelivery = true, attempts = 0, first_at = excluded.first_at, next_try_at = NULL`;
  }

  async countWanted(cursor: number, sources: readonly string[] | undefined, events: readonly string[] | undefined): Promise<number> {
    const sql = this.sql;
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM events WHERE kind = 'webhook' AND seq > ${cursor}
        ${sources ? sql`AND source IN ${sql([...sources])}` : sql``}
        ${events ? sql`AND type IN ${sql([...events])}` : sql``}`;
    return row!.n;
  }

  async forgetAttemptsThrough(seq: number): Promise<void> {
    await this.sql`DELETE FROM forward_attempts WHERE seq <= ${seq}`;
  }
}

/** `redelivery` as this backend stores it. */
const REDELIVERY: FlagColumn<boolean> = { read: (flag) => flag, write: (set) => set };
const toAttempt = (row: AttemptRow<boolean>) => attemptOf(row, REDELIVERY);
const toAttemptRow = (record: AttemptRecord) => attemptRowOf(record, REDELIVERY);
