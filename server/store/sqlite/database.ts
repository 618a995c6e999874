// Opens the SQLite file under DATA_DIR, checks it, and brings its schema up to date. Whatever stops that
// becomes one StartupError line that names DATA_DIR, the file, and what to do.
import Database from 'better-sqlite3';
import path from 'node:path';
import { StartupError } from '../../startup-error.js';
import { grantAccess, prepareDataDir, runningUser } from './data-dir.js';

export type Db = Database.Database;

/** Ordered schema steps; PRAGMA user_version records how many have run. Append, never edit. */
const MIGRATIONS: string[] = [
  `CREATE TABLE events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     kind TEXT NOT NULL,
     source TEXT NOT NULL,
     type TEXT NOT NULL,
     created_at INTEGER,
     received_at INTEGER NOT NULL,
     dedupe_key TEXT UNIQUE,
     room_id TEXT,
     headers TEXT NOT NULL,
     body BLOB NOT NULL,
     repeats INTEGER NOT NULL DEFAULT 0,
     last_repeat_at INTEGER
   );
   CREATE INDEX events_kind_seq ON events (kind, seq);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
   CREATE TABLE rooms (
     source TEXT NOT NULL,
     room_id TEXT NOT NULL,
     row TEXT NOT NULL,
     PRIMARY KEY (source, room_id)
   ) WITHOUT ROWID;
   CREATE TABLE recordings (
     source TEXT NOT NULL,
     recording_id TEXT NOT NULL,
     room_id TEXT NOT NULL,
     row TEXT NOT NULL,
     PRIMARY KEY (source, recording_id)
   ) WITHOUT ROWID;
   CREATE INDEX recordings_room ON recordings (source, room_id);`,
  // The event inspector: refused requests (no bodies, harmless headers only), and the listing's order
  // (receive time, newest first) for webhooks and for replays.
  `CREATE TABLE refusals (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     source TEXT NOT NULL,
     reason TEXT NOT NULL,
     detail TEXT,
     ip TEXT,
     headers TEXT NOT NULL
   );
   CREATE INDEX refusals_at ON refusals (at, id);
   CREATE INDEX events_webhooks_received ON events (received_at, seq) WHERE kind = 'webhook';
   CREATE INDEX events_replays_received ON events (received_at, seq) WHERE kind = 'change' AND type = 'replay';`,
  // A refusal's hint for the operator, and the platform's own send time it carried with the clock skew.
  `ALTER TABLE refusals ADD COLUMN hint TEXT;
   ALTER TABLE refusals ADD COLUMN platform_timestamp INTEGER;
   ALTER TABLE refusals ADD COLUMN skew_ms INTEGER;`,
  // Forwarding (server/forward/, SQL in ./forwarding.ts): the log is the outbox. Each target keeps the seq of the last webhook it
  // has taken care of; what follows it is pending. Attempt state per (target, seq) is for the inspector,
  // and marks a redelivery asked for from the dashboard.
  `CREATE TABLE forward_targets (
     url TEXT PRIMARY KEY,
     cursor INTEGER NOT NULL,
     added_after INTEGER NOT NULL,
     last_success_at INTEGER
   ) WITHOUT ROWID;
   CREATE TABLE forward_attempts (
     target TEXT NOT NULL,
     seq INTEGER NOT NULL,
     state TEXT NOT NULL,
     redelivery INTEGER NOT NULL DEFAULT 0,
     attempts INTEGER NOT NULL DEFAULT 0,
     first_at INTEGER NOT NULL,
     next_try_at INTEGER,
     last_at INTEGER,
     last_status INTEGER,
     last_latency_ms INTEGER,
     last_error TEXT,
     PRIMARY KEY (target, seq)
   ) WITHOUT ROWID;
   CREATE INDEX forward_attempts_seq ON forward_attempts (seq);
   CREATE INDEX forward_redeliveries ON forward_attempts (target, first_at) WHERE redelivery = 1 AND state = 'pending';`,
  // The inspector's listing: one index per filter, each ending in the listing's order (received_at, then
  // the rowid seq), so the first page of any filter reads only its own rows, newest first (see
  // sqlite/event-catalog.ts for which serves which). `kind` leads each one: SQLite then prefers them
  // to events_kind_seq, which it would otherwise pick for `kind = ?` and sort every webhook.
  `DROP INDEX events_webhooks_received;
   DROP INDEX events_replays_received;
   CREATE INDEX events_webhooks_by_time ON events (kind, received_at) WHERE kind = 'webhook';
   CREATE INDEX events_webhooks_by_source ON events (kind, source, received_at) WHERE kind = 'webhook';
   CREATE INDEX events_webhooks_by_type ON events (kind, type, received_at) WHERE kind = 'webhook';
   CREATE INDEX events_webhooks_by_room ON events (kind, room_id, received_at) WHERE kind = 'webhook';
   CREATE INDEX events_webhooks_repeated ON events (kind, received_at) WHERE kind = 'webhook' AND repeats > 0;
   CREATE INDEX events_replays_by_time ON events (kind, type, received_at) WHERE kind = 'change' AND type = 'replay';`,
  // The inspector's search: a full-text index of the stored webhooks' payloads (sqlite/search-index.ts
  // feeds it). It keeps no copy of the text (content = ''), only the words: about 7 MB for 100 000 small
  // webhooks. A pruned webhook leaves it in the commit that prunes it. And the filter by room name:
  // rooms by their name, compared without case.
  `CREATE VIRTUAL TABLE events_text USING fts5(body, content = '', contentless_delete = 1);
   CREATE TRIGGER events_text_pruned AFTER DELETE ON events WHEN old.kind = 'webhook' BEGIN
     DELETE FROM events_text WHERE rowid = old.seq;
   END;
   CREATE INDEX rooms_by_name ON rooms (lower(json_extract(row, '$.roomName')));`,
  // Forwarding: a target that answered 410 Gone stays stopped, across restarts and on every instance,
  // until an operator resumes it (when, and what it answered).
  `ALTER TABLE forward_targets ADD COLUMN stopped_at INTEGER;
   ALTER TABLE forward_targets ADD COLUMN stopped_reason TEXT;`,
  // The search index by -seq: FTS5 reads a word's matches in rowid order, and newest first (the order the
  // inspector lists) in reverse, which loads all of a word's matches before the first — the cost of a
  // search for a word in every webhook then grew with the log (0.9 ms at 10 000, 2.1 ms at 100 000).
  // Ascending by -seq, it stops at the page's end. Rebuilt empty: the next search indexes the log again.
  `DROP TRIGGER events_text_pruned;
   DROP TABLE events_text;
   CREATE VIRTUAL TABLE events_text USING fts5(body, content = '', contentless_delete = 1);
   CREATE TRIGGER events_text_pruned AFTER DELETE ON events WHEN old.kind = 'webhook' BEGIN
     DELETE FROM events_text WHERE rowid = -old.seq;
   END;
   DELETE FROM meta WHERE key = 'search_indexed_through';`,
];

export function openDatabase(dataDir: string, fileName = 'roomwatch.db'): Db {
  const file = path.join(prepareDataDir(dataDir), fileName);
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash or kill -9 of the process (the WAL is in the OS
    // before commit returns); only a power cut can lose the last commits. FULL would fsync each one.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    checkPages(db, file);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StartupError) throw error;
    throw new StartupError(openFailure(error, file));
  }
}

/**
 * A damaged file must stop start-up: otherwise webhooks are acknowledged while reads of the damaged pages
 * fail. quick_check reads every page but skips matching indexes to rows: about 35 ms for 100 000 events
 * (56 MB) here, where integrity_check takes 90 ms.
 */
function checkPages(db: Db, file: string): void {
  const problems = db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[];
  const found = problems.map((row) => row.quick_check).filter((text) => text !== 'ok');
  // One line: SQLite's report spans several, under a "*** in database main ***" heading.
  const detail = found.join('\n').replace(/\*\*\* in database \w+ \*\*\*/g, '').trim().split(/\s*\n\s*/).join('; ');
  if (found.length > 0) throw new StartupError(damaged(file, detail));
}

function damaged(file: string, detail: string): string {
  return `the database file ${file} (under DATA_DIR) is damaged (${detail}); restore it from a backup, or move it aside with its -wal and -shm files to start with an empty store`;
}

/** A failed open, check or migration in words, by SQLite's error code. */
function openFailure(error: unknown, file: string): string {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = (error as Error).message;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damaged(file, message);
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return `the database file ${file} cannot be opened (${message}); set DATA_DIR to a writable directory on a disk (not /proc or /sys), or give ${runningUser()} write access to it`;
  }
  if (code.startsWith('SQLITE_READONLY')) return `the database file ${file} is read-only (${message}); ${grantAccess()}`;
  if (code === 'SQLITE_FULL') return `the disk under DATA_DIR is full (${file}); free some space, or set DATA_DIR to another disk`;
  if (code.startsWith('SQLITE_BUSY')) return `the database file ${file} is locked by another process; stop the other roomwatch using it, or set another DATA_DIR`;
  return `the database file ${file} (under DATA_DIR) cannot be used: ${message}`;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StartupError(
      `the database schema (version ${current}) is newer than this roomwatch (version ${MIGRATIONS.length}); upgrade roomwatch or use another DATA_DIR`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
