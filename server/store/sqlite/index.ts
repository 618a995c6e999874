// The embedded store: one SQLite file under DATA_DIR, one process. Every commit is synchronous on one
// connection, so commits are serialized by construction, rows are read from their tables, and the feed of
// new entries is the commit itself (no tailer). This instance is always the leader.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { NewEvent, StoredEvent } from '../../domain/events.js';
import type { RecordingRow, RoomRow } from '../../domain/rows.js';
import type { ListingFilter } from '../../inspector/listing-query.js';
import type { EventPage, ExportPage, RefusalEntry } from '../../inspector/types.js';
import type {
  AppendOutcome,
  CommitListener,
  Leadership,
  LogEntry,
  LoggedChange,
  LoggedNote,
  NewRefusal,
  Readiness,
  RetentionLimits,
  RowCounts,
  RowView,
  RowWork,
  RowsPruned,
  Store,
  StoreFigures,
  StoreOptions,
  StoredWebhook,
} from '../store.js';
import { openDatabase, type Db } from './database.js';
import { EventCatalog } from './event-catalog.js';
import { EventLog } from './event-log.js';
import { SqliteForwardingStore } from './forwarding.js';
import type { ForwardingStore } from '../forwarding-store.js';
import { StoreReadiness } from './readiness.js';
import { RefusalTable } from './refusal-table.js';
import { RowStore } from './row-store.js';

/**
 * The store's epoch lives in `meta`, whose values are numbers elsewhere: a UUID has dashes, so SQLite keeps
 * it as text. (A table of its own would need a migration, and the listing's indexes are migrating now.)
 */
const EPOCH_KEY = 'epoch';

const ALWAYS_LEADER: Leadership = { isLeader: () => true, onChange: () => {} };

export async function openSqliteStore(dataDir: string, options: StoreOptions): Promise<Store> {
  return new SqliteStore(openDatabase(dataDir), options);
}

class SqliteStore implements Store {
  readonly backend = 'sqlite';
  readonly epoch: string;
  readonly rows: RowView;
  readonly leadership = ALWAYS_LEADER;
  readonly forwarding: ForwardingStore;
  private readonly events: EventLog;
  private readonly rowStore: RowStore;
  private readonly catalog: EventCatalog;
  private readonly refusals: RefusalTable;
  private readonly health: StoreReadiness;
  private readonly now: () => number;
  private readonly countEvents;
  private readonly countRooms;
  private readonly countRecordings;
  private closed = false;

  constructor(
    private readonly db: Db,
    { project, now = Date.now, onProjectionError }: StoreOptions,
  ) {
    this.now = now;
    this.epoch = readOrMakeEpoch(db);
    this.rowStore = new RowStore(db);
    this.health = new StoreReadiness(db);
    this.events = new EventLog(db, {
      now,
      onCommitOutcome: (error) => (error === undefined ? this.health.commitSucceeded() : this.health.commitFailed(error)),
      onDeriveError: onProjectionError,
    });
    // Rooms and recordings follow each webhook inside its own commit.
    this.events.deriveWith((webhook) => this.rowStore.write(project(webhook, this.rowStore)));
    this.catalog = new EventCatalog(db);
    this.refusals = new RefusalTable(db);
    this.forwarding = new SqliteForwardingStore(db);
    const rows = this.rowStore;
    const events = this.events;
    this.rows = {
      room: (source, roomId) => rows.room(source, roomId),
      recording: (source, recordingId) => rows.recording(source, recordingId),
      recordingsOfRoom: (source, roomId) => rows.recordingsOfRoom(source, roomId),
      allRooms: () => rows.allRooms(),
      allRecordings: () => rows.allRecordings(),
      // The tables are written in the commits that log their changes: they always reflect the head.
      get seq() {
        return events.latestSeq();
      },
    };
    this.countEvents = db.prepare<[], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM events GROUP BY kind');
    // Tombstones (rows gone from their platform, kept so a late event cannot revive them) count as `removed`.
    const rowsByStatus = (table: 'rooms' | 'recordings') =>
      db.prepare<[], { source: string; status: string; n: number }>(
        `SELECT source, CASE WHEN json_extract(row, '$.removed') THEN 'removed' ELSE json_extract(row, '$.status') END AS status,
                count(*) AS n
         FROM ${table} GROUP BY 1, 2`,
      );
    this.countRooms = rowsByStatus('rooms');
    this.countRecordings = rowsByStatus('recordings');
  }

  append(events: NewEvent[]): Promise<AppendOutcome[]> {
    return this.events.append(events);
  }

  async writeRows(work: RowWork, { note }: { note?: LoggedNote } = {}): Promise<StoredEvent[]> {
    // The note is built before the work runs, but logged first: its sequence number is the lower one.
    return this.events.commitChanges(() => {
      const changes: LoggedChange[] = this.rowStore.write(work(this.rowStore, this.now()));
      return note ? [note, ...changes] : changes;
    });
  }

  async recordRefusal(refusal: NewRefusal): Promise<RefusalEntry> {
    return this.refusals.record(refusal);
  }

  async readAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    return this.events.readAfter(seq, limit);
  }

  async readEntriesAfter(seq: number, budget: { limit: number; maxBytes: number }): Promise<LogEntry[]> {
    return this.events.readEntriesAfter(seq, budget);
  }

  async latestSeq(): Promise<number> {
    return this.events.latestSeq();
  }

  async prunedThrough(): Promise<number> {
    return this.events.prunedThrough();
  }

  onCommitted(listener: CommitListener): void {
    this.events.onCommitted(listener);
  }

  async prune(limits: RetentionLimits, chunk: number): Promise<number> {
    return this.events.prune(limits, chunk);
  }

  async pruneRooms(before: number, limit: number): Promise<RowsPruned> {
    const pruned: RowsPruned = { rooms: 0, recordings: 0 };
    this.events.commitChanges(() => {
      const changes: LoggedChange[] = [];
      const updatedAt = this.now();
      for (const room of this.rowStore.expiredRooms(before, limit)) {
        pruned.rooms++;
        const recordings = this.rowStore.deleteRoom(room.source, room.roomId);
        pruned.recordings += recordings.length;
        // Tombstones were announced as removed already; a closed room and its recordings are news.
        if (!room.removed) changes.push(removal('room', { ...room, removed: true, updatedAt }));
        for (const recording of recordings) {
          if (!recording.removed) changes.push(removal('recording', { ...recording, removed: true, updatedAt }));
        }
      }
      return changes;
    });
    return pruned;
  }

  async pruneRecordingTombstones(before: number, limit: number): Promise<number> {
    let dropped = 0;
    this.events.commitChanges(() => {
      for (const recording of this.rowStore.expiredRecordings(before, limit)) {
        this.rowStore.deleteRecording(recording.source, recording.recordingId);
        dropped++;
      }
      return [];
    });
    return dropped;
  }

  async listEvents(filter: ListingFilter): Promise<EventPage> {
    return this.catalog.list(filter);
  }

  async listEventsWithBodies(filter: ListingFilter): Promise<ExportPage> {
    return this.catalog.listWithBodies(filter);
  }

  async webhook(seq: number): Promise<StoredWebhook | undefined> {
    return this.catalog.webhook(seq);
  }

  async figures(): Promise<StoreFigures> {
    const eventsByKind: Record<string, number> = {};
    for (const { kind, n } of this.countEvents.all()) eventsByKind[kind] = n;
    return {
      bytes: fileSize(this.db.name) + fileSize(`${this.db.name}-wal`),
      latestSeq: this.events.latestSeq(),
      eventsByKind,
      rooms: counts(this.countRooms.all()),
      recordings: counts(this.countRecordings.all()),
    };
  }

  async readiness(): Promise<Readiness> {
    return this.health.check();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // What requests queued until now is committed before the file closes.
    this.events.flush();
    this.db.close();
  }
}

function readOrMakeEpoch(db: Db): string {
  return db.transaction(() => {
    const row = db.prepare<[string], { value: unknown }>('SELECT value FROM meta WHERE key = ?').get(EPOCH_KEY);
    if (typeof row?.value === 'string') return row.value;
    const epoch = randomUUID();
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(EPOCH_KEY, epoch);
    return epoch;
  })();
}

function removal(type: 'room' | 'recording', row: RoomRow | RecordingRow): LoggedChange {
  return { source: row.source, type, roomId: row.roomId, body: Buffer.from(JSON.stringify(row)) };
}

function counts(rows: { source: string; status: string; n: number }[]): RowCounts {
  return rows.map(({ source, status, n }) => ({ source, status: String(status), n }));
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // no WAL file (yet)
  }
}
