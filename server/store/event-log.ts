// The durable, append-only event log. Appends that arrive in one event-loop turn are committed
// together (group commit) and each caller is answered after that commit: persist, then ack.
import type { Db } from './database.js';
import type { NewEvent, SourceId, StoredEvent } from '../domain/events.js';

export type AppendOutcome =
  | { status: 'stored'; seq: number }
  /** The same delivery was stored before (a retry): counted on the original, not stored again. */
  | { status: 'repeat'; seq: number };

export type CommitListener = (events: StoredEvent[]) => void;

interface PendingAppend {
  events: NewEvent[];
  receivedAt: number;
  resolve: (outcomes: AppendOutcome[]) => void;
  reject: (error: unknown) => void;
}

interface EventRow {
  seq: number;
  source: SourceId;
  type: string;
  created_at: number | null;
  received_at: number;
  dedupe_key: string;
  room_id: string | null;
  headers: string;
  body: Buffer;
}

const PRUNED_THROUGH = 'pruned_through';

export class EventLog {
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly listeners: CommitListener[] = [];
  private prunedThroughSeq: number;

  private readonly insert;
  private readonly findByDedupeKey;
  private readonly countRepeat;
  private readonly selectAfter;
  private readonly selectLatest;
  private readonly commitBatch;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    // Look up before inserting: a conflicting INSERT would still use up an AUTOINCREMENT number,
    // and sequence numbers are meant to have no holes that look like missed events.
    this.findByDedupeKey = db.prepare<[string], { seq: number }>('SELECT seq FROM events WHERE dedupe_key = ?');
    this.countRepeat = db.prepare<[number, number]>(
      'UPDATE events SET repeats = repeats + 1, last_repeat_at = ? WHERE seq = ?',
    );
    this.insert = db.prepare<[string, string, number | null, number, string, string | null, string, Buffer]>(
      `INSERT INTO events (source, type, created_at, received_at, dedupe_key, room_id, headers, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectAfter = db.prepare<[number, number], EventRow>(
      `SELECT seq, source, type, created_at, received_at, dedupe_key, room_id, headers, body
       FROM events WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    this.selectLatest = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events');
    this.commitBatch = db.transaction((batch: PendingAppend[]) => this.insertBatch(batch));
    const pruned = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?').get(PRUNED_THROUGH);
    this.prunedThroughSeq = pruned?.value ?? 0;
  }

  /** Called with the newly stored events, in sequence order, right after each commit. */
  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** Stores the events of one delivery; resolves after they are committed. */
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
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(result.stored);
      } catch (error) {
        // A failing consumer must not turn committed events into failed deliveries.
        process.emitWarning(`event log listener failed: ${String(error)}`);
      }
    }
    batch.forEach((pending, i) => pending.resolve(result.outcomes[i]!));
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
        const seq = Number(
          this.insert.run(
            event.source,
            event.type,
            event.createdAt,
            receivedAt,
            event.dedupeKey,
            event.roomId,
            JSON.stringify(event.headers),
            event.body,
          ).lastInsertRowid,
        );
        stored.push({ ...event, seq, receivedAt });
        return { status: 'stored', seq };
      }),
    );
    return { outcomes, stored };
  }

  /** Up to `limit` stored events with a sequence number greater than `seq`, oldest first. */
  readAfter(seq: number, limit: number): StoredEvent[] {
    return this.selectAfter.all(seq, limit).map(toStoredEvent);
  }

  /** Sequence number of the newest stored event, 0 when there is none. */
  latestSeq(): number {
    return this.selectLatest.get()?.seq ?? this.prunedThroughSeq;
  }

  /** Every event up to this sequence number has been pruned; a cursor below it cannot be resumed. */
  prunedThrough(): number {
    return this.prunedThroughSeq;
  }

  /**
   * Deletes the oldest events beyond the newest `keep`, at most `chunk` of them in one transaction.
   * Returns how many were deleted; call again while it returns `chunk`.
   */
  pruneOldest(keep: number, chunk = 5000): number {
    return this.db.transaction(() => {
      const boundary = this.db
        .prepare<[number], { seq: number }>('SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?')
        .get(keep);
      if (!boundary) return 0;
      const last = this.db
        .prepare<[number, number], { seq: number }>(
          'SELECT max(seq) AS seq FROM (SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)',
        )
        .get(boundary.seq, chunk)!.seq;
      const deleted = this.db.prepare('DELETE FROM events WHERE seq <= ?').run(last).changes;
      this.db
        .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(PRUNED_THROUGH, last);
      this.prunedThroughSeq = last;
      return deleted;
    })();
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
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
