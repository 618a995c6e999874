// Moves a single instance's SQLite store (under DATA_DIR) into an empty PostgreSQL database, so that
// several instances can share it (docs/several-instances.md). Everything is copied as it is — the log
// with its sequence numbers and the store's epoch (open dashboards resume without a reload), the prune
// mark, the rows and the refusals — in one transaction: the target holds all of it or none of it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openSqliteStore } from './sqlite/index.js';
import { openDatabase, type Db } from './sqlite/database.js';
import type { EventRow } from './sqlite/event-log.js';
import { connect, DEFAULT_CONNECTION_SETTINGS, type Sql } from './postgres/connection.js';
import { migrate } from './postgres/schema.js';
import { APPEND_LOCK } from './postgres/locks.js';
import { projectWebhook } from '../domain/projection.js';
import { StartupError } from '../startup-error.js';

export interface MigrationProgress {
  table: 'events' | 'rooms' | 'recordings' | 'refusals';
  done: number;
  total: number;
}

export interface MigrationReport {
  epoch: string;
  events: number;
  rooms: number;
  recordings: number;
  refusals: number;
  latestSeq: number;
}

/** Rows copied per INSERT: bounded so that a log of large bodies never builds one huge statement. */
const CHUNK_ROWS = 500;
const CHUNK_BYTES = 8 * 1024 * 1024;

export async function migrateStore({
  dataDir,
  databaseUrl,
  onProgress = () => {},
}: {
  dataDir: string;
  databaseUrl: string;
  onProgress?: (progress: MigrationProgress) => void;
}): Promise<MigrationReport> {
  const file = path.join(dataDir, 'roomwatch.db');
  if (!existsSync(file)) throw new StartupError(`there is no roomwatch store at ${file}: set DATA_DIR (or --data-dir) to the directory the instance used`);
  // Opening it as roomwatch does brings its schema up to date and gives it an epoch if it had none.
  const epoch = await epochOf(dataDir);
  const db = openDatabase(dataDir);
  const sql = connect(databaseUrl, 'pool', { ...DEFAULT_CONNECTION_SETTINGS, lockTimeoutMs: 0, idleInTransactionTimeoutMs: 0, instance: `migrate-${randomBytes(3).toString('hex')}` }, { max: 1 });
  try {
    await migrate(sql);
    return await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${APPEND_LOCK}::bigint)`;
      const [used] = await tx<{ events: number; rooms: number }[]>`SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM rooms)::int AS rooms`;
      if (used!.events > 0 || used!.rooms > 0) {
        throw new StartupError(`the database already holds a roomwatch store (${used!.events} log entries, ${used!.rooms} rooms): migrate into an empty database`);
      }
      const events = await copyEvents(db, tx, onProgress);
      const rooms = await copyRows(db, tx, 'rooms', onProgress);
      const recordings = await copyRows(db, tx, 'recordings', onProgress);
      const refusals = await copyRefusals(db, tx, onProgress);
      const prunedThrough = Number(db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'pruned_through'").get()?.value ?? 0);
      await tx`UPDATE meta SET value = ${epoch} WHERE key = 'epoch'`;
      await tx`UPDATE meta SET value = ${String(prunedThrough)} WHERE key = 'pruned_through'`;
      const latestSeq = Math.max(prunedThrough, Number(db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events').get()?.seq ?? 0));
      return { epoch, events, rooms, recordings, refusals, latestSeq };
    });
  } finally {
    db.close();
    await sql.end({ timeout: 5 });
  }
}

async function epochOf(dataDir: string): Promise<string> {
  const store = await openSqliteStore(dataDir, { project: projectWebhook });
  try {
    return store.epoch;
  } finally {
    await store.close();
  }
}

type Tx = Parameters<Parameters<Sql['begin']>[1]>[0];

/** A log entry as the SQLite file holds it, with its repeat count (copied as it is). */
interface CopiedEvent extends EventRow {
  repeats: number;
  last_repeat_at: number | null;
}

async function copyEvents(db: Db, tx: Tx, onProgress: (progress: MigrationProgress) => void): Promise<number> {
  const total = (db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()?.n ?? 0);
  const select = db.prepare<[number], CopiedEvent>(
    `SELECT seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body, repeats, last_repeat_at
     FROM events WHERE seq > ? ORDER BY seq LIMIT ${CHUNK_ROWS}`,
  );
  let done = 0;
  let cursor = 0;
  onProgress({ table: 'events', done, total });
  for (;;) {
    const page = select.all(cursor);
    if (page.length === 0) break;
    // Several INSERTs per page when the bodies are large.
    for (let start = 0; start < page.length; ) {
      let end = start;
      let bytes = 0;
      while (end < page.length && (end === start || bytes + page[end]!.body.length <= CHUNK_BYTES)) bytes += page[end++]!.body.length;
      await tx`INSERT INTO events ${tx(page.slice(start, end).map((row) => ({ ...row, body: Buffer.from(row.body) })))}`;
      start = end;
    }
    cursor = page.at(-1)!.seq;
    done += page.length;
    onProgress({ table: 'events', done, total });
  }
  return done;
}

async function copyRows(db: Db, tx: Tx, table: 'rooms' | 'recordings', onProgress: (progress: MigrationProgress) => void): Promise<number> {
  const rows = db.prepare<[], { source: string; room_id: string; recording_id?: string; row: string }>(`SELECT * FROM ${table}`).all();
  onProgress({ table, done: 0, total: rows.length });
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const chunk = rows.slice(start, start + CHUNK_ROWS).map((row) => ({ ...row, row: tx.json(JSON.parse(row.row) as never) }));
    if (table === 'rooms') await tx`INSERT INTO rooms ${tx(chunk.map(({ source, room_id, row }) => ({ source, room_id, row })))}`;
    else await tx`INSERT INTO recordings ${tx(chunk.map(({ source, recording_id, room_id, row }) => ({ source, recording_id: recording_id!, room_id, row })))}`;
    onProgress({ table, done: Math.min(start + CHUNK_ROWS, rows.length), total: rows.length });
  }
  return rows.length;
}

async function copyRefusals(db: Db, tx: Tx, onProgress: (progress: MigrationProgress) => void): Promise<number> {
  const rows = db.prepare<[], Record<string, unknown>>('SELECT id, at, source, reason, detail, ip, headers, hint, platform_timestamp, skew_ms FROM refusals ORDER BY id').all();
  onProgress({ table: 'refusals', done: 0, total: rows.length });
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    await tx`INSERT INTO refusals ${tx(rows.slice(start, start + CHUNK_ROWS) as never)}`;
    onProgress({ table: 'refusals', done: Math.min(start + CHUNK_ROWS, rows.length), total: rows.length });
  }
  // New refusals continue after the copied ids.
  if (rows.length > 0) await tx`SELECT setval(pg_get_serial_sequence('refusals', 'id'), (SELECT max(id) FROM refusals))`;
  return rows.length;
}
