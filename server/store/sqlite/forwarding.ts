// The forwarding store on the SQLite file (tables: migration 4 in ./database.ts). Reads of the log use the
// events table's primary key and its (kind, seq) index. Every call is synchronous underneath (one
// connection); the promises are the interface's, which PostgreSQL needs.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { AttemptRecord, ForwardEntry, ForwardingStore, TargetRecord } from '../forwarding-store.js';
import { toAttempt as attemptOf, toAttemptRow as attemptRowOf, toEntry, toTarget, type AttemptRow, type EntryRow, type FlagColumn, type TargetRow } from '../forwarding-rows.js';

const ENTRY_COLUMNS = 'seq, CAST(source AS TEXT) AS source, CAST(type AS TEXT) AS type, received_at, CAST(body AS BLOB) AS body';

export class SqliteForwardingStore implements ForwardingStore {
  private readonly selectTarget;
  private readonly insertTarget;
  private readonly selectWebhooksAfter;
  private readonly selectWebhook;
  private readonly selectAttempt;
  private readonly selectAttemptsAt;
  private readonly selectNextRedelivery;
  private readonly selectFailingHead;
  private readonly upsertAttempt;
  private readonly updateCursor;
  private readonly updateSuccess;
  private readonly updateDelivered;
  private readonly updateStopped;
  private readonly updateResumed;
  private readonly insertDetail;
  private readonly insertDetails;
  private readonly insertRedelivery;
  private readonly deleteAttemptsThrough;
  private readonly recordInOneCommit;
  /** Backlog counts by filter: a handful of targets, each with its own. */
  private readonly counts = new Map<string, Statement<(string | number)[], { n: number }>>();

  constructor(private readonly db: Db) {
    this.selectTarget = db.prepare<[string], TargetRow>('SELECT url, cursor, added_after, last_success_at, stopped_at, stopped_reason FROM forward_targets WHERE url = ?');
    this.updateStopped = db.prepare<[number, string, string]>('UPDATE forward_targets SET stopped_at = ?, stopped_reason = ? WHERE url = ?');
    this.updateResumed = db.prepare<[string]>('UPDATE forward_targets SET stopped_at = NULL, stopped_reason = NULL WHERE url = ? AND stopped_at IS NOT NULL');
    this.insertTarget = db.prepare<[string, number, number]>('INSERT INTO forward_targets (url, cursor, added_after) VALUES (?, ?, ?) ON CONFLICT (url) DO NOTHING');
    this.selectWebhooksAfter = db.prepare<[number, number], EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM events WHERE kind = 'webhook' AND seq > ? ORDER BY seq LIMIT ?`);
    this.selectWebhook = db.prepare<[number], EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM events WHERE seq = ? AND kind = 'webhook'`);
    this.selectAttempt = db.prepare<[string, number], AttemptRow<number>>('SELECT * FROM forward_attempts WHERE target = ? AND seq = ?');
    this.selectAttemptsAt = db.prepare<[number], AttemptRow<number>>('SELECT * FROM forward_attempts WHERE seq = ?');
    this.selectNextRedelivery = db.prepare<[string], AttemptRow<number>>(
      "SELECT * FROM forward_attempts WHERE target = ? AND redelivery = 1 AND state = 'pending' ORDER BY first_at LIMIT 1",
    );
    this.selectFailingHead = db.prepare<[string, number], AttemptRow<number>>(
      "SELECT * FROM forward_attempts WHERE target = ? AND seq > ? AND redelivery = 0 AND state = 'pending' AND last_error IS NOT NULL ORDER BY seq LIMIT 1",
    );
    this.upsertAttempt = db.prepare<AttemptRow<number>>(
      `INSERT INTO forward_attempts (target, seq, state, redelivery, attempts, first_at, next_try_at, last_at, last_status, last_latency_ms, last_error)
       VALUES (@target, @seq, @state, @redelivery, @attempts, @first_at, @next_try_at, @last_at, @last_status, @last_latency_ms, @last_error)
       ON CONFLICT (target, seq) DO UPDATE SET state = excluded.state, redelivery = excluded.redelivery, attempts = excluded.attempts,
         first_at = excluded.first_at, next_try_at = excluded.next_try_at, last_at = excluded.last_at, last_status = excluded.last_status,
         last_latency_ms = excluded.last_latency_ms, last_error = excluded.last_error`,
    );
    // A cursor only moves forward: a redelivery of an old webhook never moves it back.
    this.updateCursor = db.prepare<[number, string]>('UPDATE forward_targets SET cursor = max(cursor, ?) WHERE url = ?');
    this.updateSuccess = db.prepare<[number, string]>('UPDATE forward_targets SET last_success_at = ? WHERE url = ?');
    this.updateDelivered = db.prepare<[number, number, string]>('UPDATE forward_targets SET cursor = max(cursor, ?), last_success_at = ? WHERE url = ?');
    this.insertDetail = db.prepare<AttemptRow<number>>(
      `INSERT INTO forward_attempts (target, seq, state, redelivery, attempts, first_at, next_try_at, last_at, last_status, last_latency_ms, last_error)
       VALUES (@target, @seq, @state, @redelivery, @attempts, @first_at, @next_try_at, @last_at, @last_status, @last_latency_ms, @last_error)
       ON CONFLICT (target, seq) DO NOTHING`,
    );
    this.insertDetails = db.transaction((records: readonly AttemptRecord[]) => {
      for (const record of records) this.insertDetail.run(toAttemptRow(record));
    });
    this.insertRedelivery = db.prepare<[string, number, number]>(
      `INSERT INTO forward_attempts (target, seq, state, redelivery, attempts, first_at) VALUES (?, ?, 'pending', 1, 0, ?)
       ON CONFLICT (target, seq) DO UPDATE SET state = 'pending', redelivery = 1, attempts = 0, first_at = excluded.first_at, next_try_at = NULL`,
    );
    this.deleteAttemptsThrough = db.prepare<[number]>('DELETE FROM forward_attempts WHERE seq <= ?');
    this.recordInOneCommit = db.transaction((record: AttemptRecord, cursor: number | undefined) => {
      this.upsertAttempt.run(toAttemptRow(record));
      if (cursor !== undefined) this.updateCursor.run(cursor, record.target);
      if (record.state === 'delivered' && record.lastAt !== undefined) this.updateSuccess.run(record.lastAt, record.target);
    });
  }

  async openTarget(url: string, latestSeq: number): Promise<TargetRecord> {
    this.insertTarget.run(url, latestSeq, latestSeq);
    return (await this.target(url))!;
  }

  async target(url: string): Promise<TargetRecord | undefined> {
    const row = this.selectTarget.get(url);
    return row && toTarget(row);
  }

  async webhooksAfter(seq: number, { limit, maxBytes }: { limit: number; maxBytes: number }): Promise<ForwardEntry[]> {
    const entries: ForwardEntry[] = [];
    let bytes = 0;
    // Row by row: a page of large bodies never sits in memory beyond the budget.
    for (const row of this.selectWebhooksAfter.iterate(seq, limit)) {
      entries.push(toEntry(row));
      bytes += row.body.length;
      if (bytes >= maxBytes) break;
    }
    return entries;
  }

  async webhook(seq: number): Promise<ForwardEntry | undefined> {
    const row = this.selectWebhook.get(seq);
    return row && toEntry(row);
  }

  async attempt(target: string, seq: number): Promise<AttemptRecord | undefined> {
    const row = this.selectAttempt.get(target, seq);
    return row && toAttempt(row);
  }

  async attemptsAt(seq: number): Promise<AttemptRecord[]> {
    return this.selectAttemptsAt.all(seq).map(toAttempt);
  }

  async failingHead(target: string, cursor: number): Promise<AttemptRecord | undefined> {
    const row = this.selectFailingHead.get(target, cursor);
    return row && toAttempt(row);
  }

  async nextRedelivery(target: string): Promise<AttemptRecord | undefined> {
    const row = this.selectNextRedelivery.get(target);
    return row && toAttempt(row);
  }

  async recordAttempt(record: AttemptRecord, cursor?: number): Promise<void> {
    this.recordInOneCommit(record, cursor);
  }

  async recordDelivered(target: string, seq: number, at: number): Promise<void> {
    this.updateDelivered.run(seq, at, target);
  }

  async addDeliveredDetails(records: readonly AttemptRecord[]): Promise<void> {
    this.insertDetails(records);
  }

  async stopTarget(target: string, at: number, reason: string): Promise<void> {
    this.updateStopped.run(at, reason, target);
  }

  async resumeTarget(target: string): Promise<boolean> {
    return this.updateResumed.run(target).changes > 0;
  }

  async advanceCursor(target: string, cursor: number): Promise<void> {
    this.updateCursor.run(cursor, target);
  }

  async requestRedelivery(target: string, seq: number, now: number): Promise<void> {
    this.insertRedelivery.run(target, seq, now);
  }

  async countWanted(cursor: number, sources: readonly string[] | undefined, events: readonly string[] | undefined): Promise<number> {
    let sql = "SELECT count(*) AS n FROM events WHERE kind = 'webhook' AND seq > ?";
    if (sources) sql += ` AND source IN (${sources.map(() => '?').join(', ')})`;
    if (events) sql += ` AND type IN (${events.map(() => '?').join(', ')})`;
    let statement = this.counts.get(sql);
    if (!statement) {
      statement = this.db.prepare<(string | number)[], { n: number }>(sql);
      this.counts.set(sql, statement);
    }
    return statement.get(cursor, ...(sources ?? []), ...(events ?? []))!.n;
  }

  async forgetAttemptsThrough(seq: number): Promise<void> {
    this.deleteAttemptsThrough.run(seq);
  }
}

/** `redelivery` as this backend stores it. */
const REDELIVERY: FlagColumn<number> = { read: (flag) => flag === 1, write: (set) => (set ? 1 : 0) };
const toAttempt = (row: AttemptRow<number>) => attemptOf(row, REDELIVERY);
const toAttemptRow = (record: AttemptRecord) => attemptRowOf(record, REDELIVERY);
