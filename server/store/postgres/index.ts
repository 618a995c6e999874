// The PostgreSQL store (DATABASE_URL): any number of instances on one database form one roomwatch. Each
// instance has a small pool for its commits and reads (writer.ts: serialized, grouped appends), one
// dedicated connection that tails the log (tailer.ts: the committed-entries feed), one that holds or tries
// the leader lock (leader.ts), and its rows in memory as a mirror of the log (row-mirror.ts).
//
// Client: postgres (porsager), for its pipelining (a two-round-trip commit's lock, head, catch-up and
// dedupe reads go in one round trip, its writes in another), its per-connection startup parameters
// (lock_timeout, idle_in_transaction_session_timeout and plan_cache_mode for every session), and NOTIFY
// delivery on a connection we own.
import { randomBytes } from 'node:crypto';
import type { NewEvent, StoredEvent } from '../../domain/events.js';
import type { ListingFilter } from '../../inspector/listing-query.js';
import type { EventPage, ExportPage, RefusalEntry } from '../../inspector/types.js';
import type { RecordingRow, RoomRow, RowChange } from '../../domain/rows.js';
import { StartupError } from '../../startup-error.js';
import type {
  AppendOutcome,
  CommitListener,
  Leadership,
  LogEntry,
  LoggedNote,
  NewRefusal,
  OpenPostgresStore,
  Readiness,
  RetentionLimits,
  RowCounts,
  RowsPruned,
  RowWork,
  Store,
  StoreFigures,
  StoreOptions,
  StoredWebhook,
} from '../store.js';
import { connect, DEFAULT_CONNECTION_SETTINGS, redacted, type ConnectionSettings, type Sql } from './connection.js';
import { LeaderLock } from './leader.js';
import { PostgresForwardingStore } from './forwarding.js';
import type { ForwardingStore } from '../forwarding-store.js';
import { listEvents, listEventsWithBodies, storedWebhook } from './listing.js';
import { APPEND_LOCK } from './locks.js';
import { RowMirror } from './row-mirror.js';
import { migrate } from './schema.js';
import { Tailer } from './tailer.js';
import { asStoreFailure } from './unavailable.js';
import { settleWithin } from './settle.js';
import { EVENT_COLUMNS, toStoredEvent, type PgEventRow } from './event-rows.js';
import { SerializedWriter } from './writer.js';
import { REFUSALS_KEPT, toRefusalEntry, type RefusalRow } from '../../inspector/refusal-log.js';

/** How an instance behaves on the shared database; the defaults suit production, tests shorten them. */
export interface PostgresTuning extends Partial<Omit<ConnectionSettings, 'instance'>> {
  /** Names this instance's connections (application_name); random by default. */
  instance?: string;
  /** The tailer reads the log at least this often, notification or not. */
  pollMs?: number;
  /** A tailer's read that gets no answer for this long means its connection is dead: it opens another. */
  tailerReadTimeoutMs?: number;
  /** A leader checks its session, and the others try the lock, this often. */
  leaderCheckMs?: number;
  /** Connections of the pool (commits and reads). */
  poolSize?: number;
  /** A commit that has not settled after this long fails its callers (writer.ts; default 20 s). */
  commitSettleMs?: number;
}

const PROBE_INTERVAL_MS = 1000;
/** /readyz answers within this, PostgreSQL or not (a load balancer's health check must not hang). */
const PROBE_TIMEOUT_MS = 3000;
/** How long an answer waits for this instance's feed to deliver a commit; a stuck tailer delivers it later. */
const FEED_WAIT_MS = 2000;

export const openPostgresStore = (async (databaseUrl: string, options: StoreOptions & PostgresTuning) => {
  const settings: ConnectionSettings = {
    ...DEFAULT_CONNECTION_SETTINGS,
    ...definedOf({ lockTimeoutMs: options.lockTimeoutMs, idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs, connectTimeoutSeconds: options.connectTimeoutSeconds }),
    instance: options.instance ?? randomBytes(4).toString('hex'),
  };
  const pool = connect(databaseUrl, 'pool', settings, { max: options.poolSize ?? 4 });
  try {
    await migrate(pool);
    const store = new PostgresStore(databaseUrl, pool, settings, options);
    await store.open();
    return store;
  } catch (error) {
    await pool.end({ timeout: 1 });
    if (error instanceof StartupError) throw error;
    throw new StartupError(`DATABASE_URL (${redacted(databaseUrl)}) cannot be used: ${(error as Error).message}; check that PostgreSQL runs there and accepts this user`);
  }
}) satisfies OpenPostgresStore;

class PostgresStore implements Store {
  readonly backend = 'postgres';
  epoch = '';
  readonly rows = new RowMirror();
  readonly leadership: Leadership;
  readonly forwarding: ForwardingStore;

  private readonly writer: SerializedWriter;
  private tailer: Tailer | undefined;
  private readonly leader: LeaderLock;
  private readonly listeners: CommitListener[] = [];
  private readonly now: () => number;
  private failure: string | undefined;
  private probedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly url: string,
    private readonly sql: Sql,
    private readonly settings: ConnectionSettings,
    private readonly options: StoreOptions & PostgresTuning,
  ) {
    this.now = options.now ?? Date.now;
    this.writer = new SerializedWriter(sql, this.rows, {
      now: this.now,
      project: options.project,
      onProjectionError: options.onProjectionError,
      commitSettleMs: options.commitSettleMs,
      // The feed comes from the tailer on every instance (one path). The callers are answered once it has
      // delivered their entries, as on SQLite: a client told "stored" finds them on this instance's stream.
      // A one-statement commit hands the tailer what it read, so that it need not read it again.
      onCommitted: async (entries, caughtUp) => {
        if (caughtUp) this.tailer?.offer(caughtUp.after, caughtUp.entries.concat(entries));
        return this.tailer?.delivered(entries.at(-1)?.seq ?? 0, FEED_WAIT_MS);
      },
      feedPosition: () => this.tailer?.position ?? 0,
      onOutcome: (error) => (error === undefined ? (this.failure = undefined) : this.commitFailed(error)),
    });
    this.leader = new LeaderLock(url, settings, { checkIntervalMs: options.leaderCheckMs ?? 1000 });
    this.forwarding = new PostgresForwardingStore(sql);
    this.leadership = { isLeader: () => this.leader.isLeader(), onChange: (listener) => this.leader.onChange(listener) };
  }

  /** Reads the epoch and the rows at one log position, then starts tailing from there and trying to lead. */
  async open(): Promise<void> {
    const snapshot = await this.sql.begin('isolation level repeatable read read only', async (tx) => {
      const [[meta], rooms, recordings] = await Promise.all([
        tx<{ epoch: string; rows_pruned: string; last: number }[]>`
          SELECT (SELECT value FROM meta WHERE key = 'epoch') AS epoch,
                 (SELECT value FROM meta WHERE key = 'rows_pruned') AS rows_pruned,
                 greatest((SELECT max(seq) FROM events), (SELECT value::bigint FROM meta WHERE key = 'pruned_through')) AS last`,
        tx<{ row: RoomRow }[]>`SELECT row FROM rooms`,
        tx<{ row: RecordingRow }[]>`SELECT row FROM recordings`,
      ]);
      return { meta: meta!, rooms, recordings };
    });
    this.epoch = snapshot.meta.epoch;
    this.rows.load(
      snapshot.rooms.map((r) => r.row),
      snapshot.recordings.map((r) => r.row),
      snapshot.meta.last,
    );
    this.writer.loadedAt(snapshot.meta.rows_pruned);
    this.tailer = new Tailer(this.url, this.settings, snapshot.meta.last, {
      pollMs: this.options.pollMs ?? 1000,
      readTimeoutMs: this.options.tailerReadTimeoutMs ?? 5000,
      deliver: (entries) => this.deliver(entries),
    });
    this.tailer.start();
    await this.leader.start();
  }

  private deliver(entries: StoredEvent[]): void {
    // Rows first: a listener that reads rows sees them as of the entries it is given.
    this.rows.apply(entries);
    for (const listener of this.listeners) {
      try {
        listener(entries);
      } catch (error) {
        // A failing consumer must not stop the feed for the others.
        process.emitWarning(`store listener failed: ${String(error)}`);
      }
    }
  }

  private commitFailed(error: unknown): void {
    this.failure = `the store cannot commit: ${(error as Error).message}`;
    this.probedAt = Number.NEGATIVE_INFINITY;
  }

  // Writes

  append(events: NewEvent[]): Promise<AppendOutcome[]> {
    return this.writer.append(events);
  }

  writeRows(work: RowWork, options: { note?: LoggedNote } = {}): Promise<StoredEvent[]> {
    return this.writer.writeRows(work, options.note);
  }

  async recordRefusal(refusal: NewRefusal): Promise<RefusalEntry> {
    const [row] = await this.sql<RefusalRow[]>`
      INSERT INTO refusals (at, source, reason, detail, ip, headers, hint, platform_timestamp, skew_ms)
      VALUES (${refusal.at}, ${refusal.source}, ${refusal.reason}, ${refusal.detail}, ${refusal.ip}, ${JSON.stringify(refusal.headers)},
              ${refusal.hint}, ${refusal.timestamp}, ${refusal.skewMs})
      RETURNING id, at, source, reason, detail, ip, headers, hint, platform_timestamp, skew_ms`;
    await this.sql`DELETE FROM refusals WHERE id <= ${row!.id - REFUSALS_KEPT}`;
    return toRefusalEntry(row!);
  }

  // The log

  async readAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.sql<PgEventRow[]>`
      SELECT ${this.sql.unsafe(EVENT_COLUMNS)} FROM events WHERE seq > ${seq} ORDER BY seq LIMIT ${limit}`;
    return rows.map(toStoredEvent);
  }

  async readEntriesAfter(seq: number, { limit, maxBytes }: { limit: number; maxBytes: number }): Promise<LogEntry[]> {
    // The server adds up the body sizes, so bodies past the budget are never sent here.
    const rows = await this.sql<{ seq: number; kind: LogEntry['kind']; source: LogEntry['source']; type: string; room_id: string | null; body: Buffer }[]>`
      SELECT seq, kind, source, type, room_id, body FROM (
        SELECT seq, kind, source, type, room_id, body, sum(octet_length(body)) OVER (ORDER BY seq) - octet_length(body) AS before
        FROM (SELECT * FROM events WHERE seq > ${seq} ORDER BY seq LIMIT ${limit}) AS page
      ) AS sized
      WHERE before < ${maxBytes} ORDER BY seq`;
    return rows.map((row) => ({ seq: row.seq, kind: row.kind, source: row.source, type: row.type, roomId: row.room_id, body: row.body }));
  }

  async latestSeq(): Promise<number> {
    const [row] = await this.sql<{ last: number }[]>`
      SELECT greatest((SELECT max(seq) FROM events), (SELECT value::bigint FROM meta WHERE key = 'pruned_through')) AS last`;
    return row!.last;
  }

  async prunedThrough(): Promise<number> {
    const [row] = await this.sql<{ value: number }[]>`SELECT value::bigint AS value FROM meta WHERE key = 'pruned_through'`;
    return row!.value;
  }

  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  // Retention

  async prune(limits: RetentionLimits, chunk: number): Promise<number> {
    // Under the append lock: the prune mark and the head move together with respect to every writer.
    return this.sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${APPEND_LOCK}::bigint)`;
      const oldest = await tx<{ seq: number; received_at: number }[]>`SELECT seq, received_at FROM events ORDER BY seq LIMIT ${chunk}`;
      if (oldest.length === 0) return 0;
      let through = 0;
      // Count: everything before the oldest of the newest `keep` webhooks.
      const [oldestKept] = await tx<{ seq: number }[]>`
        SELECT seq FROM events WHERE kind = 'webhook' ORDER BY seq DESC LIMIT 1 OFFSET ${limits.keep - 1}`;
      if (oldestKept) through = Math.max(through, lastBefore(oldest, (entry) => entry.seq < oldestKept.seq));
      const { receivedBefore, maxBytes } = limits;
      if (receivedBefore !== undefined) through = Math.max(through, lastBefore(oldest, (entry) => entry.received_at < receivedBefore));
      // Size: the database's size; as many of the oldest entries as the excess takes, at their mean size.
      if (maxBytes !== undefined) {
        const [size] = await tx<{ used: number; entries: number }[]>`
          SELECT pg_database_size(current_database()) AS used, (SELECT max(seq) - min(seq) + 1 FROM events) AS entries`;
        if (size!.used > maxBytes) {
          const count = Math.min(oldest.length, Math.max(1, Math.ceil(((size!.used - maxBytes) * size!.entries) / size!.used)));
          through = Math.max(through, oldest[count - 1]!.seq);
        }
      }
      // Entries a forwarding target still has to deliver stay, while younger than FORWARD_MAX_AGE.
      const { hold } = limits;
      const firstHeld = hold && oldest.find((entry) => entry.seq > hold.afterSeq && entry.received_at >= hold.receivedSince);
      if (firstHeld) through = Math.min(through, firstHeld.seq - 1);
      if (through <= oldest[0]!.seq - 1) return 0;
      const deleted = await tx`DELETE FROM events WHERE seq <= ${through}`;
      await tx`UPDATE meta SET value = ${String(through)} WHERE key = 'pruned_through'`;
      return deleted.count;
    });
  }

  pruneRooms(before: number, limit: number): Promise<RowsPruned> {
    // Chosen from the rows as of the log's head, inside the serialized commit (they are the tables' rows).
    return this.writer.run((context) => {
      const report: RowsPruned = { rooms: 0, recordings: 0 };
      const rooms = context.rows.allRooms().filter((room) => room.updatedAt < before && (room.removed || (room.source !== 'meet' && room.status === 'closed'))).slice(0, limit);
      const recordings: RecordingRow[] = [];
      const announced: RowChange[] = [];
      const updatedAt = context.now;
      for (const room of rooms) {
        const ofRoom = context.rows.recordingsOfRoom(room.source, room.roomId);
        recordings.push(...ofRoom);
        // Tombstones were announced as removed already; a closed room and its recordings are news.
        if (!room.removed) announced.push({ kind: 'room', row: { ...room, removed: true, updatedAt } });
        for (const recording of ofRoom) if (!recording.removed) announced.push({ kind: 'recording', row: { ...recording, removed: true, updatedAt } });
      }
      report.rooms = rooms.length;
      report.recordings = recordings.length;
      context.dropRows({ rooms, recordings }, announced);
      return report;
    });
  }

  pruneRecordingTombstones(before: number, limit: number): Promise<number> {
    return this.writer.run((context) => {
      const recordings = context.rows.allRecordings().filter((recording) => recording.removed && recording.updatedAt < before).slice(0, limit);
      context.dropRows({ rooms: [], recordings }, []);
      return recordings.length;
    });
  }

  // The inspector

  listEvents(filter: ListingFilter): Promise<EventPage> {
    return listEvents(this.sql, filter);
  }

  listEventsWithBodies(filter: ListingFilter): Promise<ExportPage> {
    return listEventsWithBodies(this.sql, filter);
  }

  webhook(seq: number): Promise<StoredWebhook | undefined> {
    return storedWebhook(this.sql, seq);
  }

  // Health

  async figures(): Promise<StoreFigures> {
    const rowsByStatus = (table: 'rooms' | 'recordings') => this.sql<RowCounts>`
      SELECT source, CASE WHEN (row ->> 'removed')::boolean THEN 'removed' ELSE row ->> 'status' END AS status, count(*)::int AS n
      FROM ${this.sql(table)} GROUP BY 1, 2`;
    const [[size], kinds, rooms, recordings, latestSeq] = await Promise.all([
      this.sql<{ bytes: number }[]>`SELECT pg_database_size(current_database()) AS bytes`,
      this.sql<{ kind: string; n: number }[]>`SELECT kind, count(*)::int AS n FROM events GROUP BY kind`,
      rowsByStatus('rooms'),
      rowsByStatus('recordings'),
      this.latestSeq(),
    ]);
    return {
      bytes: size!.bytes,
      latestSeq,
      eventsByKind: Object.fromEntries(kinds.map(({ kind, n }) => [kind, n])),
      rooms: [...rooms],
      recordings: [...recordings],
    };
  }

  async readiness(): Promise<Readiness> {
    // A rate limit, not a time of day: the monotonic clock.
    const now = performance.now();
    if (now - this.probedAt >= PROBE_INTERVAL_MS) {
      this.probedAt = now;
      try {
        // A real commit: a read-only standby after a failover answers reads but is not ready.
        await settleWithin(
          this.sql`
            INSERT INTO meta (key, value) VALUES ('readiness_probe', ${String(Date.now())})
            ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(),
          PROBE_TIMEOUT_MS,
          'the readiness probe',
        );
        this.failure = undefined;
      } catch (error) {
        this.failure = `the store cannot commit: ${(asStoreFailure(error) as Error).message}`;
      }
    }
    return this.failure === undefined ? { ready: true } : { ready: false, reason: this.failure };
  }

  async close(): Promise<void> {
    await this.writer.flush();
    await Promise.all([this.tailer?.close(), this.leader.close()]);
    await this.sql.end({ timeout: 1 });
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


function definedOf<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
