// Opens the SQLite file under DATA_DIR and brings its schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

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
];

export function openDatabase(dataDir: string, fileName = 'roomwatch.db'): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a crash or kill -9 of the process (the WAL is in the OS
  // before commit returns); only a power cut can lose the last commits. FULL would fsync each one.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
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
