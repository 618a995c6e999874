// The durable, append-only log. Webhooks that arrive in one event-loop turn are committed together
// (group commit) and each caller is answered after that commit: persist, then ack. The row changes a
// webhook causes are derived inside the same transaction and logged right after it.
import type { Db } from './database.js';
import type { NewChange, NewEvent, SourceId, StoredEvent } from '../../domain/events.js';
import type { AppendOutcome, CommitListener, LogEntry, LoggedChange, RetentionLimits } from '../store.js';

/** Runs inside the commit for each newly stored webhook; returns the row changes it caused. */
export type Deriver = (event: StoredEvent) => NewChange[];

interface PendingAppend {
  events: NewEvent[];
  receivedAt: number;
  resolve: (outcomes: AppendOutcome[]) => void;
  reject: (error: unknown) => void;
}

export interface EventRow {
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

const PRUNED_THROUGH = 'pruned_through';
const NO_HEADERS = '{}';

export class EventLog {
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly listeners: CommitListener[] = [];
  private readonly derivers: Deriver[] = [];
  private prunedThroughSeq: number;

  private readonly insert;
  private readonly findByDedupeKey;
  private readonly countRepeat;
  private readonly selectAfter;
  private readonly selectEntriesAfter;
  private readonly selectLatest;
  private readonly commitBatch;

  constructor(
    private readonly db: Db,
    private readonly options: {
      now?: () => number;
      onDeriveError?: (error: unknown, event: StoredEvent) => void;
      /** Told of each commit's outcome: no argument when it succeeded, the error when it failed. */
      onCommitOutcome?: (error?: unknown) => void;
    } = {},
  ) {
    // Look up before inserting: a conflicting INSERT would still use up an AUTOINCREMENT number,
    // and sequence numbers are meant to have no holes that look like missed events.
    this.findByDedupeKey = db.prepare<[string], { seq: number }>('SELECT seq FROM events WHERE dedupe_key = ?');
    this.countRepeat = db.prepare<[number, number]>('UPDATE events SET repeats = repeats + 1, last_repeat_at = ? WHERE seq = ?');
    this.insert = db.prepare<[string, string, string, number | null, number, string | null, string | null, string, Buffer]>(
      `INSERT INTO events (kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectAfter = db.prepare<[number, number], EventRow>(
      `SELECT seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body
       FROM events WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    // Casts: a row written by another tool or an older version still reads as text and bytes.
    this.selectEntriesAfter = db.prepare<[number, number], Pick<EventRow, 'seq' | 'kind' | 'source' | 'type' | 'room_id' | 'body'>>(
      `SELECT seq, CAST(kind AS TEXT) AS kind, CAST(source AS TEXT) AS source, CAST(type AS TEXT) AS type,
              CAST(room_id AS TEXT) AS room_id, CAST(body AS BLOB) AS body
       FROM events WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    this.selectLatest = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events');
    this.commitBatch = db.transaction((batch: PendingAppend[]) => this.insertBatch(batch));
    const pruned = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?').get(PRUNED_THROUGH);
    this.prunedThroughSeq = pruned?.value ?? 0;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Called with the new entries, in sequence order, right after each commit. */
  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** Adds a step that turns each stored webhook into row changes, in the webhook's own transaction. */
  deriveWith(deriver: Deriver): void {
    this.derivers.push(deriver);
  }

  /** Stores the webhooks of one delivery; resolves after they are committed. */
  append(events: NewEvent[]): Promise<AppendOutcome[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, receivedAt: this.now(), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now. Runs by itself after each event-loop turn; also used at shutdown. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let result: { outcomes: AppendOutcome[][]; stored: StoredEvent[] };
    try {
      result = this.commitBatch(batch);
    } catch (error) {
      this.options.onCommitOutcome?.(error);
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.options.onCommitOutcome?.();
    this.announce(result.stored);
    batch.forEach((pending, i) => pending.resolve(result.outcomes[i]!));
  }

  /**
   * Runs `work` in one transaction (it may write rows) and logs the changes it returns; for changes that
   * come from elsewhere than a webhook: a REST read, a dashboard action. Returns the logged entries.
   */
  commitChanges(work: () => LoggedChange[]): StoredEvent[] {
    let stored: StoredEvent[];
    try {
      stored = this.db.transaction(() => {
        const receivedAt = this.now();
        return work().map((change) => this.insertChange(change, receivedAt));
      })();
    } catch (error) {
      this.options.onCommitOutcome?.(error);
      throw error;
    }
    this.options.onCommitOutcome?.();
    this.announce(stored);
    return stored;
  }

  private announce(entries: StoredEvent[]): void {
    if (entries.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(entries);
      } catch (error) {
        // A failing consumer must not turn committed events into failed deliveries.
        process.emitWarning(`event log listener failed: ${String(error)}`);
      }
    }
  }

  private insertBatch(batch: PendingAppend[]): { outcomes: AppendOutcome[][]; stored: StoredEvent[] } {
    const stored: StoredEvent[] = [];
    const outcomes = batch.map(({ events, receivedAt }) =>
      events.map((event): AppendOutcome => {
        const existing = this.findByDedupeKey.get(event.dedupeKey);
        if (existing) {
          this.countRepeat.run(receivedAt, existing.seq);
          return { status: 'repeat', seq: existing.seq };
        }
        const headers = JSON.stringify(event.headers);
        const seq = this.insertRow('webhook', event, receivedAt, event.dedupeKey, headers);
        const webhook: StoredEvent = { ...event, seq, kind: 'webhook', receivedAt };
        stored.push(webhook);
        for (const change of this.derive(webhook)) stored.push(this.insertChange(change, receivedAt));
        return { status: 'stored', seq };
      }),
    );
    return { outcomes, stored };
  }

  private derive(webhook: StoredEvent): NewChange[] {
    const changes: NewChange[] = [];
    for (const deriver of this.derivers) {
      try {
        // A nested transaction is a savepoint: a deriver that throws leaves no half-written rows,
        // and the webhook itself stays stored.
        changes.push(...this.db.transaction(() => deriver(webhook))());
      } catch (error) {
        this.options.onDeriveError?.(error, webhook);
      }
    }
    return changes;
  }

  private insertChange(change: LoggedChange, receivedAt: number): StoredEvent {
    const seq = this.insertRow('change', { ...change, createdAt: null }, receivedAt, null, NO_HEADERS);
    return { ...change, seq, kind: 'change', createdAt: null, receivedAt, dedupeKey: null, headers: {} };
  }

  private insertRow(
    kind: StoredEvent['kind'],
    entry: { source: SourceId; type: string; createdAt: number | null; roomId: string | null; body: Buffer },
    receivedAt: number,
    dedupeKey: string | null,
    headers: string,
  ): number {
    const { lastInsertRowid } = this.insert.run(
      kind,
      entry.source,
      entry.type,
      entry.createdAt,
      receivedAt,
      dedupeKey,
      entry.roomId,
      headers,
      entry.body,
    );
    return Number(lastInsertRowid);
  }

  /** Up to `limit` entries with a sequence number greater than `seq`, oldest first. */
  readAfter(seq: number, limit: number): StoredEvent[] {
    return this.selectAfter.all(seq, limit).map(toStoredEvent);
  }

  /**
   * Entries after `seq`, oldest first: at most `limit`, and none past the one whose body takes the bytes
   * read to `maxBytes` or more (at least one when there is one). Rows are read one at a time, so a page of
   * large bodies never sits in memory beyond the budget.
   */
  readEntriesAfter(seq: number, { limit, maxBytes }: { limit: number; maxBytes: number }): LogEntry[] {
    const entries: LogEntry[] = [];
    let bytes = 0;
    for (const row of this.selectEntriesAfter.iterate(seq, limit)) {
      entries.push({ seq: row.seq, kind: row.kind, source: row.source, type: row.type, roomId: row.room_id, body: row.body });
      bytes += row.body.length;
      if (bytes >= maxBytes) break;
    }
    return entries;
  }

  /** Sequence number of the newest entry, 0 when there is none. */
  latestSeq(): number {
    return this.selectLatest.get()?.seq ?? this.prunedThroughSeq;
  }

  /** Every entry up to this sequence number has been pruned; a cursor below it cannot be resumed. */
  prunedThrough(): number {
    return this.prunedThroughSeq;
  }

  /**
   * Deletes the entries older than the newest `keep` webhooks (with the changes they caused), at most
   * `chunk` entries in one transaction. Returns how many were deleted; call again while it returns more than 0.
   */
  pruneOldest(keep: number, chunk = 5000): number {
    return this.prune({ keep }, chunk);
  }

  /**
   * Deletes the oldest entries that some limit no longer allows, at most `chunk` in one transaction, and
   * moves the prune mark past them. Always a run from the oldest end (never a hole in the middle), so one
   * mark tells a resuming client whether it missed anything. Returns how many entries were deleted; call
   * again while it returns more than 0.
   */
  prune(limits: RetentionLimits, chunk = 5000): number {
    return this.db.transaction(() => {
      const oldest = this.db
        .prepare<[number], { seq: number; received_at: number }>('SELECT seq, received_at FROM events ORDER BY seq LIMIT ?')
        .all(chunk);
      if (oldest.length === 0) return 0;
      let through = 0;
      // Count: everything before the oldest of the newest `keep` webhooks.
      const oldestKept = this.db
        .prepare<[number], { seq: number }>("SELECT seq FROM events WHERE kind = 'webhook' ORDER BY seq DESC LIMIT 1 OFFSET ?")
        .get(limits.keep - 1);
      if (oldestKept) through = Math.max(through, lastBefore(oldest, (entry) => entry.seq < oldestKept.seq));
      // Age: the oldest entries received before the cutoff, up to the first one received after it.
      const { receivedBefore, maxBytes } = limits;
      if (receivedBefore !== undefined) through = Math.max(through, lastBefore(oldest, (entry) => entry.received_at < receivedBefore));
      // Size: the database's used pages; as many of the oldest entries as the excess takes, at their mean size.
      if (maxBytes !== undefined) {
        const used = this.usedBytes();
        if (used > maxBytes) {
          const { entries } = this.db.prepare<[], { entries: number }>('SELECT max(seq) - min(seq) + 1 AS entries FROM events').get()!;
          const count = Math.min(oldest.length, Math.max(1, Math.ceil(((used - maxBytes) * entries) / used)));
          through = Math.max(through, oldest[count - 1]!.seq);
        }
      }
      // Entries a forwarding target still has to deliver stay, while younger than FORWARD_MAX_AGE.
      const { hold } = limits;
      const firstHeld = hold && oldest.find((entry) => entry.seq > hold.afterSeq && entry.received_at >= hold.receivedSince);
      if (firstHeld) through = Math.min(through, firstHeld.seq - 1);
      if (through <= this.prunedThroughSeq) return 0;
      const deleted = this.db.prepare('DELETE FROM events WHERE seq <= ?').run(through).changes;
      this.db
        .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(PRUNED_THROUGH, through);
      this.prunedThroughSeq = through;
      return deleted;
    })();
  }

  /** Bytes of the database file in use (its free pages, left by deletions, are reused before it grows). */
  usedBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * (this.db.pragma('page_size', { simple: true }) as number);
  }
}

/** Sequence number of the last entry of the leading run that `old` accepts; 0 when the first is not old. */
function lastBefore(entries: { seq: number; received_at: number }[], old: (entry: { seq: number; received_at: number }) => boolean): number {
  let through = 0;
  for (const entry of entries) {
    if (!old(entry)) break;
    through = entry.seq;
  }
  return through;
}

/** A row of the events table as the entry it stores. */
export function toStoredEvent(row: EventRow): StoredEvent {
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
