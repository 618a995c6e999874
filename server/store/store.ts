// The store: the one owner of the event log, the rows, the refusals and the inspector's reads. Two
// backends implement it — SQLite under DATA_DIR (./sqlite/, the embedded default) and PostgreSQL when
// DATABASE_URL is set (./postgres/, several instances on one database) — and one contract suite
// (test/store-contract.test.ts) runs against both. Everything the app needs of storage is here; nothing
// else opens a database.
//
// The rules every backend follows:
//
// 1. Commit order is sequence order. Appends and row writes are serialized (SQLite: one process, one
//    connection; PostgreSQL: an advisory transaction lock held through commit, then `seq = last+1…`), so a
//    reader of `seq > cursor` can never skip an entry that commits late with a lower number. Sequence
//    numbers start at 1 and have no holes (a deduplicated retry uses no number).
// 2. One write path for rows. Webhook projection (inside `append`), REST reconciliation, dashboard
//    actions, replays and row pruning all write rows through the store, and every row written is also a
//    log entry (`kind: 'change'`, `type: 'room' | 'recording'`, body = the whole row as JSON) in the same
//    commit. So the log alone rebuilds every row, and a backend may keep rows as a mirror that follows it.
// 3. Rows are read synchronously (`rows`), as this instance knows them: SQLite reads its tables; a backend
//    shared by several instances keeps a mirror in memory that applies the log's change entries in
//    sequence order (from its own commits and from its tailer) — never its own guesses.
// 4. Work that decides row changes (`project`, a `RowWork`) runs synchronously inside the serialized
//    commit, against the rows as of the log's head: a backend with a mirror first applies the change
//    entries it has not seen yet (read under the lock), then runs the work against an overlay (the mirror
//    plus the changes already made in this commit), writes the overlay's rows and their log entries, and
//    applies the overlay to its mirror only once the commit has succeeded. A failed commit leaves the
//    mirror as it was. The work may be run again if the backend retries the commit: it must depend only on
//    the rows it is given and its own inputs.
// 5. The answer goes out after the commit: `append` and `writeRows` resolve once their entries are
//    durable, and reject (nothing stored) when they are not.
// 6. `onCommitted` listeners receive every entry of the log exactly once, in sequence order, with no gap —
//    entries committed by other instances too (PostgreSQL: read by the tailer after a NOTIFY wake-up or
//    its periodic poll). The live hub publishes only what this feed gives it, on every backend.
import type { NewChange, NewEvent, SourceId, StoredEvent } from '../domain/events.js';
import type { RowReader } from '../domain/row-reader.js';
import type { RecordingRow, RoomRow, RowChange } from '../domain/rows.js';
import type { ListingFilter } from '../inspector/listing-query.js';
import type { EventPage, ExportPage, RefusalEntry } from '../inspector/types.js';
import type { ForwardingStore } from './forwarding-store.js';

// ── What goes in and comes out ──────────────────────────────────────────────────────────────────────

export type AppendOutcome =
  | { status: 'stored'; seq: number }
  /** The same delivery was stored before (a retry): counted on the original, not stored again. */
  | { status: 'repeat'; seq: number };

/** What a reader of the log in order (the live stream's catch-up) gets of each entry: no headers. */
export type LogEntry = Pick<StoredEvent, 'seq' | 'kind' | 'source' | 'type' | 'roomId' | 'body'>;

/**
 * A log entry that is not a webhook: a row change (`room`, `recording`), or a note about one, such as a
 * `replay` of a stored webhook. Streamed as a frame named by its type.
 */
export type LoggedChange = Omit<NewChange, 'type'> & { type: NewChange['type'] | 'replay' };

/** A note logged before the row changes of the same write (today: the inspector's `replay` entry). */
export type LoggedNote = LoggedChange & { type: 'replay' };

/** A stored webhook as the inspector shows it, with how often its delivery was repeated. */
export interface StoredWebhook extends StoredEvent {
  kind: 'webhook';
  repeats: number;
  lastRepeatAt: number | null;
}

/** A refused request as kept: its headers already reduced to harmless values (inspector/refusal-log.ts). */
export interface NewRefusal {
  at: number;
  source: SourceId;
  reason: string;
  detail: string | null;
  ip: string | null;
  headers: Record<string, string>;
  hint: string | null;
  /** The platform's own send time carried by the request, ms. */
  timestamp: number | null;
  skewMs: number | null;
}

/** The rows a reconciliation or an action reads: every room and recording, tombstones included. */
export interface RowLister {
  allRooms(): RoomRow[];
  allRecordings(): RecordingRow[];
}

/** The rows as this instance knows them, read synchronously (rule 3). */
export interface RowView extends RowReader, RowLister {
  /**
   * The log position these rows reflect: every change entry up to it is applied, none after it. Read in
   * the same synchronous step as the rows, it is the cursor a page resumes the stream from.
   */
  readonly seq: number;
}

/**
 * Decides row changes inside a commit (rule 4), from the rows as of the log's head and the store's clock.
 * Synchronous; throwing aborts the write (nothing is stored) and `writeRows` rejects with that error.
 */
export type RowWork = (rows: RowReader & RowLister, now: number) => RowChange[];

/** What the log may keep; an entry that any limit refuses is pruned. */
export interface RetentionLimits {
  /** The newest webhooks kept, at most. */
  keep: number;
  /** Entries received before this time (ms, the store's clock) are pruned. */
  receivedBefore?: number;
  /** The oldest entries are pruned while the store uses more bytes than this. */
  maxBytes?: number;
  /**
   * Never pruned, whatever the other limits say: entries after `afterSeq` received at or after
   * `receivedSince` (webhooks a forwarding target has still to get, younger than FORWARD_MAX_AGE).
   */
  hold?: { afterSeq: number; receivedSince: number };
}

/** Rows dropped by one `pruneRooms` step. */
export interface RowsPruned {
  rooms: number;
  recordings: number;
}

/** Counts by platform and status (`removed` for tombstones), for /metrics. */
export type RowCounts = { source: string; status: string; n: number }[];

/** The store's state for GET /metrics. */
export interface StoreFigures {
  /** Bytes the store takes (SQLite: file and WAL; PostgreSQL: the database's size). */
  bytes: number;
  latestSeq: number;
  /** Entries of the log by kind (`webhook`, `change`). */
  eventsByKind: Record<string, number>;
  rooms: RowCounts;
  recordings: RowCounts;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Called with new entries, in sequence order, once each (rule 6). */
export type CommitListener = (entries: StoredEvent[]) => void;

/**
 * Whether this instance runs what must run once (reconciliation, pruning, forwarding). SQLite: always
 * the leader. PostgreSQL: holds a session advisory lock on a dedicated connection; released when the
 * instance dies, taken over by another within seconds.
 */
export interface Leadership {
  isLeader(): boolean;
  /** Called on every change, true on gaining leadership, false on losing it. Not called for the state at the time of subscribing. */
  onChange(listener: (leader: boolean) => void): void;
}

// ── The store ───────────────────────────────────────────────────────────────────────────────────────

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * A random id made when the store was created and kept with it: a sequence number means something
   * only together with it (a wiped and refilled store starts again at 1 with a new epoch).
   */
  readonly epoch: string;

  // Writes

  /**
   * Stores the webhooks of one delivery with group commit (deliveries that arrive together share one
   * commit): dedupe by `dedupeKey` (a retry is counted on the original, in one batch or across batches),
   * then each new webhook is logged and projected (rule 4; a projection that throws is reported to
   * `onProjectionError`, its webhook stays stored), all in one commit. Resolves after that commit.
   */
  append(events: NewEvent[]): Promise<AppendOutcome[]>;

  /**
   * The one write path for rows outside a webhook's projection (rule 2): runs `work` inside the serialized
   * commit, writes the rows it returns and logs each one, after `note` if given. Resolves with the logged
   * entries (the note first), after the commit.
   */
  writeRows(work: RowWork, options?: { note?: LoggedNote }): Promise<StoredEvent[]>;

  /** Keeps a refused request (the newest 1 000 are kept); resolves with it as the listing shows it. */
  recordRefusal(refusal: NewRefusal): Promise<RefusalEntry>;

  // Rows

  /** The rows as this instance knows them now (rule 3). */
  readonly rows: RowView;

  // The log

  /** Up to `limit` entries with a sequence number greater than `seq`, oldest first, whole. */
  readAfter(seq: number, limit: number): Promise<StoredEvent[]>;

  /**
   * Entries after `seq`, oldest first: at most `limit`, and none past the one whose body takes the bytes
   * read to `maxBytes` or more (at least one when there is one). The live stream's catch-up.
   */
  readEntriesAfter(seq: number, budget: { limit: number; maxBytes: number }): Promise<LogEntry[]>;

  /** Sequence number of the newest committed entry (the prune mark when none is left; 0 when empty). */
  latestSeq(): Promise<number>;

  /** Every entry up to this sequence number has been pruned; a cursor below it cannot be resumed. */
  prunedThrough(): Promise<number>;

  /** Subscribes to the feed of new entries (rule 6). */
  onCommitted(listener: CommitListener): void;

  // Retention (run by the leader, a chunk at a time so that ingest never waits long)

  /**
   * Deletes the oldest entries that some limit no longer allows, at most `chunk` in one commit, always a
   * run from the oldest end (so it stops before the first entry `limits.hold` keeps), and moves the prune
   * mark past them. Returns how many were deleted; call
   * again while it returns more than 0.
   */
  prune(limits: RetentionLimits, chunk: number): Promise<number>;

  /**
   * Drops up to `limit` rooms that have had their time, last changed before `before` (closed rooms of
   * session platforms — every platform but Meet — and tombstones), with their recordings, in one commit.
   * Each row that was not a tombstone yet is logged as a change with `removed: true`, so open pages drop
   * it live. Returns what was dropped; call again while it drops rooms.
   */
  pruneRooms(before: number, limit: number): Promise<RowsPruned>;

  /** Drops up to `limit` recording tombstones last changed before `before`; returns how many. */
  pruneRecordingTombstones(before: number, limit: number): Promise<number>;

  // The inspector

  /**
   * One page of the inspector's listing (webhooks, replays, refusals), newest first. Every filter is
   * served by an index and the cursor is a bound on it (keyset), so a page costs about the same at 10 000
   * and at 100 000 stored webhooks. A search (`filter.search`) sees every webhook stored before the call;
   * a room name (`filter.roomName`) stands for the rooms known by that name, any case, and is refused
   * (InvalidQuery) when more than MAX_ROOMS_PER_NAME rooms have it.
   */
  listEvents(filter: ListingFilter): Promise<EventPage>;

  /**
   * The same page, each entry with its payload as text (null for a refusal, or for an entry pruned
   * between the page and its payloads): one page of GET /api/events/export.
   */
  listEventsWithBodies(filter: ListingFilter): Promise<ExportPage>;

  /** A stored webhook (not a change entry) by its sequence number, or undefined. */
  webhook(seq: number): Promise<StoredWebhook | undefined>;

  // Health

  /** Figures for /metrics. */
  figures(): Promise<StoreFigures>;

  /**
   * Whether the store can commit now, for /readyz: a failed commit makes it not ready at once, a later
   * success ready again; a tiny real commit probes at most once a second, so readiness also returns by
   * itself when nothing else writes.
   */
  readiness(): Promise<Readiness>;

  readonly leadership: Leadership;

  /**
   * Forwarding's state beside the log (targets' cursors, attempts) and its reads of the log
   * (./forwarding-store.ts). The log is the outbox: nothing is written for forwarding at append time.
   */
  readonly forwarding: ForwardingStore;

  /** Commits what is queued, stops the tailer and leadership, and closes the connections. */
  close(): Promise<void>;
}

// ── Opening one ─────────────────────────────────────────────────────────────────────────────────────

/** Where the store is: DATABASE_URL when set (PostgreSQL), else the SQLite file under DATA_DIR. */
export interface StoreSettings {
  dataDir: string;
  databaseUrl?: string;
}

export interface StoreOptions {
  /** A webhook → the rows it changes (domain/projection.ts `projectWebhook`); synchronous, pure. */
  project: (webhook: StoredEvent, rows: RowReader) => RowChange[];
  /** The clock entries are stamped with; tests set it. */
  now?: () => number;
  /** A stored webhook whose projection threw (the webhook stays stored, its rows unchanged). */
  onProjectionError?: (error: unknown, webhook: StoredEvent) => void;
}

/**
 * What `./postgres/index.ts` exports for `openStore` (./open-store.ts) to load when DATABASE_URL is set:
 * `export const openPostgresStore: OpenPostgresStore`. Rejects with a StartupError when the database
 * cannot be used.
 */
export type OpenPostgresStore = (databaseUrl: string, options: StoreOptions) => Promise<Store>;
