// Every write to the log, from every instance, in one order: each commit takes the append lock
// (pg_advisory_xact_lock, held through commit) before it reads the log's head, so it numbers its entries
// last+1…last+n and no entry with a lower number can commit after it. A reader of `seq > cursor` never
// skips one (a sequence column would hand out numbers before commit, and commits can land out of order).
//
// Group commit: what this instance is asked to write while a commit is under way (or within one
// event-loop turn) goes into the next one together, so a PostgreSQL commit (milliseconds with fsync) is
// shared by many webhooks. A batch of webhooks goes in one statement when it can (fast-append.ts: projected
// first, then checked and written under the lock in one round trip). Otherwise, and for every other
// write, the two-round-trip commit below: inside the lock, catch the row mirror up with the change entries
// other instances committed, dedupe against the stored keys, project each new webhook against the mirror
// through an overlay (store.ts, rule 4), insert, upsert the rows, NOTIFY; the mirror takes the new entries
// only once the commit has succeeded.
import type { NewEvent, StoredEvent } from '../../domain/events.js';
import type { RecordingRow, RoomRow, RowChange } from '../../domain/rows.js';
import type { AppendOutcome, LoggedChange, LoggedNote, RowWork, StoreOptions } from '../store.js';
import type { Sql } from './connection.js';
import { APPEND_LOCK, LOG_CHANNEL } from './locks.js';
import { RowOverlay, type RowMirror } from './row-mirror.js';
import { asStoreFailure } from './unavailable.js';
import { settleWithin } from './settle.js';
import { fastAppend, type FastAppendResult } from './fast-append.js';

/**
 * A commit that has not settled after this long is reported failed to its callers (503: the platform
 * retries, and a retry of what did commit is a repeat). postgres.js 3.4.9 can leave a query on a connection
 * the server ended without ever settling it (porsager/postgres#1208); an answer must never wait for ever.
 * Longer than lock_timeout and idle_in_transaction_session_timeout together, so a commit that is only slow
 * is not cut short. If the abandoned commit lands after all, the mirror and the tailer take its entries
 * from the log like any other instance's.
 */
const COMMIT_SETTLE_MS = 20_000;

/** Rows per INSERT: postgres.js binds at most 65 534 parameters, and an entry takes 12. */
const INSERT_CHUNK = 2000;

/** The connection a commit runs on, in a transaction (postgres.js `begin`). */
type CommitSql = Parameters<Parameters<Sql['begin']>[1]>[0];

/** What a job may do inside the serialized commit. Synchronous: the lock is held meanwhile. */
export interface CommitContext {
  readonly now: number;
  /** The rows as of the log's head, plus this commit's changes so far. */
  readonly rows: RowOverlay;
  /** The seq of a stored webhook with this dedupe key (stored before, or earlier in this commit). */
  storedSeq(dedupeKey: string): number | undefined;
  /** Counts a repeated delivery on the stored webhook. */
  countRepeat(seq: number): void;
  storeWebhook(event: NewEvent): StoredEvent;
  /** Logs a note (a replay). */
  logNote(note: LoggedNote): StoredEvent;
  /** Writes rows (upserts, to the overlay too) and logs each one. */
  writeRows(changes: readonly RowChange[]): StoredEvent[];
  /**
   * Deletes rows from the tables (retention), logging only `announced` (their last state, `removed`),
   * so open pages drop them live. Every instance's mirror reloads the tables at its next commit.
   */
  dropRows(rows: { rooms: RoomRow[]; recordings: RecordingRow[] }, announced: readonly RowChange[]): void;
}

interface Job {
  /** The dedupe keys this job may ask about, fetched once for the whole commit. */
  dedupeKeys: readonly string[];
  /** Set on an append: its webhooks, which a commit may store in one statement (fast-append.ts). */
  events?: readonly NewEvent[];
  /** Runs inside the commit; throwing fails this job only (it must have written nothing yet). */
  run(context: CommitContext): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface ChangeRow {
  seq: number;
  kind: 'change';
  type: string;
  body: Buffer;
}

export interface WriterOptions extends Pick<StoreOptions, 'project' | 'onProjectionError'> {
  /** How long a commit may take to settle before its callers are told it failed (default 20 s). */
  commitSettleMs?: number;
  now: () => number;
  /**
   * After a successful commit, with its entries in order; the callers are answered once it resolves. A
   * one-statement commit also brings the entries after `caughtUp.after` that precede its own.
   */
  onCommitted: (entries: StoredEvent[], caughtUp?: { after: number; entries: StoredEvent[] }) => Promise<void>;
  /** Where this instance's feed is: a one-statement commit brings what it lacks. */
  feedPosition: () => number;
  /** Told of each commit's outcome: no argument when it succeeded, the error when it failed. */
  onOutcome: (error?: unknown) => void;
}

export class SerializedWriter {
  private queue: Job[] = [];
  private flushScheduled = false;
  private committing: Promise<void> | undefined;
  /** The rows_pruned mark the mirror reflects: row pruning deletes rows without a log entry per row. */
  private rowsPrunedMark: string | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly mirror: RowMirror,
    private readonly options: WriterOptions,
  ) {}

  append(events: NewEvent[]): Promise<AppendOutcome[]> {
    return this.enqueue(
      events.map((event) => event.dedupeKey),
      events,
      (context) =>
        events.map((event): AppendOutcome => {
          const existing = context.storedSeq(event.dedupeKey);
          if (existing !== undefined) {
            context.countRepeat(existing);
            return { status: 'repeat', seq: existing };
          }
          const webhook = context.storeWebhook(event);
          let changes: RowChange[] = [];
          try {
            changes = this.options.project(webhook, context.rows);
          } catch (error) {
            this.options.onProjectionError?.(error, webhook);
          }
          context.writeRows(changes);
          return { status: 'stored', seq: webhook.seq };
        }),
    );
  }

  writeRows(work: RowWork, note?: LoggedNote): Promise<StoredEvent[]> {
    return this.enqueue([], undefined, (context) => {
      // The work first: when it throws, this job has logged nothing.
      const changes = work(context.rows, context.now);
      const entries = note ? [context.logNote(note)] : [];
      return entries.concat(context.writeRows(changes));
    });
  }

  /** Runs `work` inside the next serialized commit (retention uses it); it must only use the context. */
  run<T>(work: (context: CommitContext) => T): Promise<T> {
    return this.enqueue([], undefined, work);
  }

  private enqueue<T>(dedupeKeys: readonly string[], events: readonly NewEvent[] | undefined, run: (context: CommitContext) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ dedupeKeys, events, run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Commits what is queued; the commit under way, if any, first. Resolves when the queue is empty. */
  async flush(): Promise<void> {
    this.flushScheduled = false;
    while (this.committing) await this.committing;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.committing = this.commit(batch).finally(() => (this.committing = undefined));
    await this.committing;
    if (this.queue.length > 0 && !this.flushScheduled) await this.flush();
  }

  private async commit(batch: Job[]): Promise<void> {
    // Webhooks only, with the mirror loaded: one statement, unless it says this batch needs the long way.
    if (this.rowsPrunedMark !== undefined && batch.every((job) => job.events)) {
      let fast: FastAppendResult;
      try {
        fast = await settleWithin(
          fastAppend(this.sql, batch.map((job) => job.events!), this.mirror, this.rowsPrunedMark, this.options),
          this.options.commitSettleMs ?? COMMIT_SETTLE_MS,
        );
      } catch (cause) {
        this.fail(batch, cause);
        return;
      }
      if (fast.outcome === 'stored') {
        this.options.onOutcome();
        for (const [error, webhook] of fast.projectionErrors) this.options.onProjectionError?.(error, webhook);
        this.answer(batch, fast.entries, fast.outcomes.map((value) => ({ value })), fast.caughtUp);
        return;
      }
    }
    let outcome: Awaited<ReturnType<SerializedWriter['inLock']>>;
    try {
      // (A reserved connection would save the BEGIN round trip, but postgres.js 3.4 never settles
      // `reserve()` while the server refuses connections, and a webhook must get its 503.)
      outcome = await settleWithin(
        this.sql.begin((tx) => this.inLock(tx, batch)),
        this.options.commitSettleMs ?? COMMIT_SETTLE_MS,
      );
    } catch (cause) {
      this.fail(batch, cause);
      return;
    }
    this.options.onOutcome();
    this.mirror.apply(outcome.entries);
    if (outcome.rowsPrunedMark !== undefined) {
      // This instance deleted them: its mirror forgets them now, and need not reload for its own mark.
      this.mirror.forget(outcome.dropped.rooms, outcome.dropped.recordings);
      this.rowsPrunedMark = outcome.rowsPrunedMark;
    }
    this.answer(batch, outcome.entries, outcome.results);
  }

  private fail(batch: Job[], cause: unknown): void {
    const error = asStoreFailure(cause);
    this.options.onOutcome(error);
    for (const job of batch) job.reject(error);
  }

  /** Answers each job once this instance's feed has the entries. */
  private answer(
    batch: Job[],
    entries: StoredEvent[],
    results: ({ value: unknown } | { error: unknown })[],
    caughtUp?: { after: number; entries: StoredEvent[] },
  ): void {
    // Not awaited: the next commit need not wait for this one's callers to be answered.
    void this.options.onCommitted(entries, caughtUp).then(() =>
      batch.forEach((job, i) => {
        const result = results[i]!;
        if ('error' in result) job.reject(result.error);
        else job.resolve(result.value);
      }),
    );
  }

  /**
   * Two round trips, each a pipeline on the transaction's connection: the lock and the reads it guards;
   * then the writes and COMMIT. So the lock is held for one round trip and the work between; the COMMIT
   * postgres.js sends after this returns finds no transaction left (a warning, ignored).
   */
  private async inLock(tx: CommitSql, batch: Job[]) {
    const keys = [...new Set(batch.flatMap((job) => job.dedupeKeys))];
    const since = this.mirror.seq;
    const [, [head], changes, stored] = await Promise.all([
      tx`SELECT pg_advisory_xact_lock(${APPEND_LOCK}::bigint)`,
      tx<{ last: number; pruned: number; rows_pruned: string }[]>`
        SELECT greatest((SELECT max(seq) FROM events), (SELECT value::bigint FROM meta WHERE key = 'pruned_through')) AS last,
               (SELECT value::bigint FROM meta WHERE key = 'pruned_through') AS pruned,
               (SELECT value FROM meta WHERE key = 'rows_pruned') AS rows_pruned`,
      tx<ChangeRow[]>`
        SELECT seq, kind, type, body FROM events
        WHERE seq > ${since} AND kind = 'change' AND type IN ('room', 'recording') ORDER BY seq`,
      keys.length > 0 ? tx<{ seq: number; dedupe_key: string }[]>`SELECT seq, dedupe_key FROM events WHERE dedupe_key IN ${tx(keys)}` : [],
    ]);
    let last = head!.last;
    await this.catchUpMirror(tx, changes, since, head!);

    const now = this.options.now();
    const overlay = new RowOverlay(this.mirror);
    const seqByKey = new Map(stored.map((row) => [row.dedupe_key, row.seq]));
    const repeats = new Map<number, number>();
    const entries: StoredEvent[] = [];
    const rooms = new Map<string, RoomRow>();
    const recordings = new Map<string, RecordingRow>();
    const dropped: { rooms: RoomRow[]; recordings: RecordingRow[] } = { rooms: [], recordings: [] };

    const log = (entry: Omit<StoredEvent, 'seq' | 'receivedAt'>): StoredEvent => {
      const stored: StoredEvent = { ...entry, seq: ++last, receivedAt: now };
      entries.push(stored);
      return stored;
    };
    const change = (logged: LoggedChange) =>
      log({ ...logged, kind: 'change', createdAt: null, dedupeKey: null, headers: {} });
    const context: CommitContext = {
      now,
      rows: overlay,
      storedSeq: (key) => seqByKey.get(key),
      countRepeat: (seq) => repeats.set(seq, (repeats.get(seq) ?? 0) + 1),
      storeWebhook: (event) => {
        const webhook = log({ ...event, kind: 'webhook' });
        seqByKey.set(event.dedupeKey, webhook.seq);
        return webhook;
      },
      logNote: (note) => change(note),
      writeRows: (rowChanges) => {
        for (const rowChange of rowChanges) {
          const { row } = rowChange;
          if (rowChange.kind === 'room') rooms.set(`${row.source}\u0000${row.roomId}`, rowChange.row);
          else recordings.set(`${row.source}\u0000${rowChange.row.recordingId}`, rowChange.row);
        }
        return logRows(rowChanges);
      },
      dropRows: (rows, announced) => {
        logRows(announced);
        dropped.rooms.push(...rows.rooms);
        dropped.recordings.push(...rows.recordings);
      },
    };
    function logRows(rowChanges: readonly RowChange[]): StoredEvent[] {
      overlay.write(rowChanges);
      return rowChanges.map(({ kind, row }) => change({ source: row.source, type: kind, roomId: row.roomId, body: Buffer.from(JSON.stringify(row)) }));
    }
    const results = batch.map((job): { value: unknown } | { error: unknown } => {
      const logged = entries.length;
      try {
        return { value: job.run(context) };
      } catch (error) {
        // A job that throws must have logged nothing (store.ts: the work runs before anything is logged).
        if (entries.length !== logged) throw error;
        return { error };
      }
    });

    const hasDropped = dropped.rooms.length + dropped.recordings.length > 0;
    const [, , , , , deleted] = await Promise.all([
      Promise.all(
        chunks(entries, INSERT_CHUNK).map(
          (chunk) =>
            // Under the lock every stored key was found above, so no row conflicts. One that does was written
            // by something that did not take the lock: the statement fails, and so does the commit, rather
            // than leave a hole in the sequence.
            tx`
              WITH inserted AS (
                INSERT INTO events ${tx(chunk.map(toRow), 'seq', 'kind', 'source', 'type', 'created_at', 'received_at', 'dedupe_key', 'room_id', 'headers', 'body')}
                ON CONFLICT (dedupe_key) DO NOTHING RETURNING seq)
              SELECT CASE WHEN count(*) = ${chunk.length} THEN 0
                     ELSE ('a webhook was stored without the append lock: ' || count(*) || ' of ' || ${chunk.length} || ' inserted')::int END
              FROM inserted`,
        ),
      ),
      repeats.size > 0 &&
        tx`
          UPDATE events SET repeats = repeats + counted.n, last_repeat_at = ${now}
          FROM jsonb_to_recordset(${tx.json([...repeats].map(([seq, n]) => ({ seq, n })))}) AS counted (seq bigint, n int)
          WHERE events.seq = counted.seq`,
      rooms.size > 0 &&
        tx`
          INSERT INTO rooms ${tx([...rooms.values()].map((row) => ({ source: row.source, room_id: row.roomId, row: tx.json(row as never) })))}
          ON CONFLICT (source, room_id) DO UPDATE SET row = excluded.row`,
      recordings.size > 0 &&
        tx`
          INSERT INTO recordings ${tx([...recordings.values()].map((row) => ({ source: row.source, recording_id: row.recordingId, room_id: row.roomId, row: tx.json(row as never) })))}
          ON CONFLICT (source, recording_id) DO UPDATE SET row = excluded.row, room_id = excluded.room_id`,
      // Delivered at commit, in commit order; the payload is only a hint for the tailers.
      entries.length > 0 && tx`SELECT pg_notify(${LOG_CHANNEL}, ${String(last)})`,
      hasDropped && this.deleteRows(tx, dropped),
      tx`COMMIT`,
    ]);
    return { entries, results, dropped, rowsPrunedMark: deleted || undefined };
  }

  /**
   * Brings the mirror to the log's head, inside the lock: the change entries it has not applied yet; or,
   * when the entries it would need were pruned or rows were pruned since it loaded, the tables themselves.
   */
  private async catchUpMirror(
    tx: CommitSql,
    changes: ChangeRow[],
    since: number,
    head: { last: number; pruned: number; rows_pruned: string },
  ): Promise<void> {
    if (since < head.pruned || head.rows_pruned !== this.rowsPrunedMark) {
      const [rooms, recordings] = await Promise.all([
        tx<{ row: RoomRow }[]>`SELECT row FROM rooms`,
        tx<{ row: RecordingRow }[]>`SELECT row FROM recordings`,
      ]);
      this.mirror.load(
        rooms.map((r) => r.row),
        recordings.map((r) => r.row),
        head.last,
      );
      this.rowsPrunedMark = head.rows_pruned;
      return;
    }
    this.mirror.apply(changes);
    this.mirror.advanceTo(head.last);
  }

  /** Deletes pruned rows after this commit's upserts, and moves the mark that makes every mirror reload. */
  private async deleteRows(tx: CommitSql, dropped: { rooms: RoomRow[]; recordings: RecordingRow[] }): Promise<string> {
    const [, , [mark]] = await Promise.all([
      tx`
        DELETE FROM rooms USING jsonb_to_recordset(${tx.json(dropped.rooms.map(({ source, roomId }) => ({ source, roomId })))}) AS gone (source text, "roomId" text)
        WHERE rooms.source = gone.source AND rooms.room_id = gone."roomId"`,
      tx`
        DELETE FROM recordings USING jsonb_to_recordset(${tx.json(dropped.recordings.map(({ source, recordingId }) => ({ source, recordingId })))}) AS gone (source text, "recordingId" text)
        WHERE recordings.source = gone.source AND recordings.recording_id = gone."recordingId"`,
      tx<{ value: string }[]>`UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'rows_pruned' RETURNING value`,
    ]);
    return mark!.value;
  }

  /** Marks the mirror as loaded at this rows_pruned mark (at open). */
  loadedAt(rowsPrunedMark: string): void {
    this.rowsPrunedMark = rowsPrunedMark;
  }
}

function toRow(entry: StoredEvent) {
  return {
    seq: entry.seq,
    kind: entry.kind,
    source: entry.source,
    type: entry.type,
    created_at: entry.createdAt,
    received_at: entry.receivedAt,
    dedupe_key: entry.dedupeKey,
    room_id: entry.roomId,
    headers: JSON.stringify(entry.headers),
    body: entry.body,
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
