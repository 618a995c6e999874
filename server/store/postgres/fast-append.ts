// A commit of webhooks in one round trip (the roomwatch_append function, schema.ts), when it can be.
//
// The two-round-trip commit (writer.ts) reads the log's head under the append lock, projects, then writes:
// the lock is held across a round trip to this instance and back. Here the projection is done first,
// against the mirror as it stands, noting every row it reads; the function then takes the lock, checks
// that none of those rows changed since the mirror's position (and that no webhook is a repeat), numbers
// the entries after the head, writes them and the rows, and commits. So the lock is held only for the
// server's own work and the WAL flush, and a commit costs one statement instead of six.
//
// When a row it read did change — another instance wrote that room meanwhile — nothing is written and the
// function hands back the change entries the mirror lacks: it catches up, projects again, and tries once
// more. A repeat, pruning, or a second conflict sends the batch down the two-round-trip path, which handles
// every case.
import type { NewEvent, StoredEvent } from '../../domain/events.js';
import type { RowReader } from '../../domain/row-reader.js';
import type { RecordingRow, RoomRow, RowChange, SourceId } from '../../domain/rows.js';
import type { AppendOutcome, StoreOptions } from '../store.js';
import type { Sql } from './connection.js';
import { APPEND_LOCK, LOG_CHANNEL } from './locks.js';
import { RowOverlay, type RowMirror } from './row-mirror.js';
import { toStoredEvent, type PgEventRow } from './event-rows.js';

/** Batches bigger than this go the two-round-trip way, in chunks (one statement holds them all here). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

type Outcome = 'stored' | 'conflict' | 'repeat' | 'reload';

/** A projected batch, numbered from 1: the function numbers it after the log's head. */
export interface SpeculativeCommit {
  entries: StoredEvent[];
  outcomes: AppendOutcome[][];
  projectionErrors: [unknown, StoredEvent][];
  /** The statement's two arguments. */
  batch: object;
  bodies: Buffer;
}

export type FastAppendResult =
  | {
      outcome: 'stored';
      entries: StoredEvent[];
      outcomes: AppendOutcome[][];
      projectionErrors: [unknown, StoredEvent][];
      /** The entries after `after` that precede this commit's (contiguous with them). */
      caughtUp: { after: number; entries: StoredEvent[] };
    }
  | { outcome: 'fallback' };

/** Rows read and written by a projection, as "<source> <id>" keys (a source id has no space). */
class ReadSet implements RowReader {
  readonly rooms = new Set<string>();
  readonly roomLists = new Set<string>();
  readonly recordings = new Set<string>();

  constructor(private readonly rows: RowOverlay) {}

  room(source: SourceId, roomId: string): RoomRow | undefined {
    this.rooms.add(`${source} ${roomId}`);
    return this.rows.room(source, roomId);
  }

  recording(source: SourceId, recordingId: string): RecordingRow | undefined {
    this.recordings.add(`${source} ${recordingId}`);
    return this.rows.recording(source, recordingId);
  }

  recordingsOfRoom(source: SourceId, roomId: string): RecordingRow[] {
    this.roomLists.add(`${source} ${roomId}`);
    const rows = this.rows.recordingsOfRoom(source, roomId);
    // One of them moved to another room meanwhile: its change entry names the other room, and its id.
    for (const row of rows) this.recordings.add(`${row.source} ${row.recordingId}`);
    return rows;
  }

  wrote(changes: readonly RowChange[]): void {
    for (const change of changes) {
      if (change.kind === 'room') this.rooms.add(`${change.row.source} ${change.row.roomId}`);
      else this.recordings.add(`${change.row.source} ${change.row.recordingId}`);
    }
  }
}

/**
 * Projects `jobs` (each a list of webhooks) against the mirror, or says why this batch cannot go in one
 * statement (the same dedupe key twice, or too big).
 */
export function speculate(
  jobs: readonly (readonly NewEvent[])[],
  mirror: RowMirror,
  rowsPrunedMark: string,
  now: number,
  project: StoreOptions['project'],
): SpeculativeCommit | undefined {
  const keys = jobs.flatMap((events) => events.map((event) => event.dedupeKey));
  if (new Set(keys).size !== keys.length) return undefined;
  if (jobs.reduce((total, events) => total + events.reduce((sum, event) => sum + event.body.length, 0), 0) > MAX_BODY_BYTES) return undefined;

  const overlay = new RowOverlay(mirror);
  const reads = new ReadSet(overlay);
  const entries: StoredEvent[] = [];
  const rooms = new Map<string, RoomRow>();
  const recordings = new Map<string, RecordingRow>();
  const projectionErrors: [unknown, StoredEvent][] = [];
  const log = (entry: Omit<StoredEvent, 'seq' | 'receivedAt'>): StoredEvent => {
    const stored: StoredEvent = { ...entry, seq: entries.length + 1, receivedAt: now };
    entries.push(stored);
    return stored;
  };
  const outcomes = jobs.map((events) =>
    events.map((event): AppendOutcome => {
      const webhook = log({ ...event, kind: 'webhook' });
      let changes: RowChange[] = [];
      try {
        changes = project(webhook, reads);
      } catch (error) {
        projectionErrors.push([error, webhook]);
      }
      overlay.write(changes);
      reads.wrote(changes);
      for (const change of changes) {
        const { row } = change;
        if (change.kind === 'room') rooms.set(`${row.source} ${row.roomId}`, change.row);
        else recordings.set(`${row.source} ${change.row.recordingId}`, change.row);
        log({ kind: 'change', source: row.source, type: change.kind, roomId: row.roomId, createdAt: null, dedupeKey: null, headers: {}, body: Buffer.from(JSON.stringify(row)) });
      }
      return { status: 'stored', seq: webhook.seq };
    }),
  );

  let offset = 0;
  const batch = {
    mirrorSeq: mirror.seq,
    rowsPruned: rowsPrunedMark,
    keys,
    readRooms: [...reads.rooms],
    readRoomLists: [...reads.roomLists],
    readRecordings: [...reads.recordings],
    entries: entries.map((entry) => {
      const described = {
        kind: entry.kind,
        source: entry.source,
        type: entry.type,
        createdAt: entry.createdAt,
        receivedAt: entry.receivedAt,
        dedupeKey: entry.dedupeKey,
        roomId: entry.roomId,
        headers: JSON.stringify(entry.headers),
        offset,
        length: entry.body.length,
      };
      offset += entry.body.length;
      return described;
    }),
    rooms: [...rooms.values()],
    recordings: [...recordings.values()],
  };
  return { entries, outcomes, projectionErrors, batch, bodies: Buffer.concat(entries.map((entry) => entry.body)) };
}

interface FunctionRow {
  outcome: Outcome | null;
  head: number | null;
  e_seq: number;
  e_kind: PgEventRow['kind'];
  e_source: PgEventRow['source'];
  e_type: string;
  e_created_at: number | null;
  e_received_at: number;
  e_dedupe_key: string | null;
  e_room_id: string | null;
  e_headers: string;
  e_body: Buffer;
}

/**
 * Commits `jobs` in one statement if it can (catching the mirror up and projecting again once, after a
 * conflict). On success the mirror has taken every entry up to and including this commit's, and
 * `caughtUp` holds the entries after `fromSeq` that came before them — with this commit's entries, all a
 * feed at `fromSeq` lacks. Throws what the statement throws (the caller answers 503).
 */
export async function fastAppend(
  sql: Sql,
  jobs: readonly (readonly NewEvent[])[],
  mirror: RowMirror,
  rowsPrunedMark: string,
  options: { now: () => number; project: StoreOptions['project']; feedPosition: () => number },
): Promise<FastAppendResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const commit = speculate(jobs, mirror, rowsPrunedMark, options.now(), options.project);
    if (!commit) return { outcome: 'fallback' };
    const fromSeq = Math.min(mirror.seq, options.feedPosition());
    const rows = await sql<FunctionRow[]>`
      SELECT * FROM roomwatch_append(${APPEND_LOCK}::bigint, ${LOG_CHANNEL}, ${sql.json({ ...commit.batch, fromSeq } as never)}, ${commit.bodies})`;
    const status = rows.find((row) => row.outcome !== null)!;
    if (status.outcome === 'repeat' || status.outcome === 'reload') return { outcome: 'fallback' };
    const head = status.head!;
    // Committed before this statement took the lock, by other instances (or by this one, answered failed).
    const caughtUp = rows
      .filter((row) => row.outcome === null)
      .map((row) =>
        toStoredEvent({
          seq: row.e_seq,
          kind: row.e_kind,
          source: row.e_source,
          type: row.e_type,
          created_at: row.e_created_at,
          received_at: row.e_received_at,
          dedupe_key: row.e_dedupe_key,
          room_id: row.e_room_id,
          headers: row.e_headers,
          body: row.e_body,
        }),
      )
      .sort((a, b) => a.seq - b.seq);
    mirror.apply(caughtUp);
    mirror.advanceTo(head);
    if (status.outcome === 'conflict') continue;

    for (const entry of commit.entries) entry.seq += head;
    mirror.apply(commit.entries);
    const outcomes = commit.outcomes.map((list) => list.map((outcome) => ({ ...outcome, seq: outcome.seq + head })));
    return { outcome: 'stored', entries: commit.entries, outcomes, projectionErrors: commit.projectionErrors, caughtUp: { after: fromSeq, entries: caughtUp } };
  }
  return { outcome: 'fallback' };
}
