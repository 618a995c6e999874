// The PostgreSQL schema, versioned like the SQLite one (../database.ts): ordered steps, a recorded
// version, append never edit. Several instances may start at once on an empty database: the steps run
// under a transaction-scoped advisory lock, so exactly one of them creates the schema and the epoch.
import type postgres from 'postgres';
import { StartupError } from '../../startup-error.js';
import { MIGRATION_LOCK } from './locks.js';

const MIGRATIONS: string[] = [
  // seq is assigned by the writer under the append lock (never by a sequence, whose numbers are handed
  // out before commit and so can commit out of order). The epoch names this store for its whole life.
  `CREATE TABLE events (
     seq BIGINT PRIMARY KEY,
     kind TEXT NOT NULL,
     source TEXT NOT NULL,
     type TEXT NOT NULL,
     created_at BIGINT,
     received_at BIGINT NOT NULL,
     dedupe_key TEXT UNIQUE,
     room_id TEXT,
     headers TEXT NOT NULL,
     body BYTEA NOT NULL,
     repeats INTEGER NOT NULL DEFAULT 0,
     last_repeat_at BIGINT
   );
   CREATE INDEX events_kind_seq ON events (kind, seq);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   INSERT INTO meta (key, value) VALUES ('epoch', gen_random_uuid()::text), ('pruned_through', '0'), ('rows_pruned', '0');
   CREATE TABLE rooms (
     source TEXT NOT NULL,
     room_id TEXT NOT NULL,
     row JSONB NOT NULL,
     PRIMARY KEY (source, room_id)
   );
   CREATE TABLE recordings (
     source TEXT NOT NULL,
     recording_id TEXT NOT NULL,
     room_id TEXT NOT NULL,
     row JSONB NOT NULL,
     PRIMARY KEY (source, recording_id)
   );
   CREATE INDEX recordings_room ON recordings (source, room_id);
   CREATE TABLE refusals (
     id BIGSERIAL PRIMARY KEY,
     at BIGINT NOT NULL,
     source TEXT NOT NULL,
     reason TEXT NOT NULL,
     detail TEXT,
     ip TEXT,
     headers TEXT NOT NULL,
     hint TEXT,
     platform_timestamp BIGINT,
     skew_ms BIGINT
   );
   CREATE INDEX refusals_at ON refusals (at, id);
   -- What the inspector's listing reads, newest first (listing.ts): each filter by its own index.
   CREATE INDEX events_webhooks_received ON events (received_at, seq) WHERE kind = 'webhook';
   CREATE INDEX events_replays_received ON events (received_at, seq) WHERE kind = 'change' AND type = 'replay';
   CREATE INDEX events_webhooks_source ON events (source, received_at, seq) WHERE kind = 'webhook';
   CREATE INDEX events_webhooks_type ON events (type, received_at, seq) WHERE kind = 'webhook';
   CREATE INDEX events_webhooks_room ON events (room_id, received_at, seq) WHERE kind = 'webhook';
   CREATE INDEX events_webhooks_repeated ON events (received_at, seq) WHERE kind = 'webhook' AND repeats > 0;
   CREATE INDEX refusals_source ON refusals (source, at, id);`,
  // Forwarding (server/forward/, SQL in ./forwarding.ts): the log is the outbox. Each target keeps the seq
  // of the last webhook it has taken care of; what follows it is pending. Attempt state per (target, seq)
  // is for the inspector, and marks a redelivery asked for from the dashboard.
  `CREATE TABLE forward_targets (
     url TEXT PRIMARY KEY,
     cursor BIGINT NOT NULL,
     added_after BIGINT NOT NULL,
     last_success_at BIGINT
   );
   CREATE TABLE forward_attempts (
     target TEXT NOT NULL,
     seq BIGINT NOT NULL,
     state TEXT NOT NULL,
     redelivery BOOLEAN NOT NULL DEFAULT false,
     attempts INTEGER NOT NULL DEFAULT 0,
     first_at BIGINT NOT NULL,
     next_try_at BIGINT,
     last_at BIGINT,
     last_status INTEGER,
     last_latency_ms INTEGER,
     last_error TEXT,
     PRIMARY KEY (target, seq)
   );
   CREATE INDEX forward_attempts_seq ON forward_attempts (seq);
   CREATE INDEX forward_redeliveries ON forward_attempts (target, first_at) WHERE redelivery AND state = 'pending';`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema up to date; refuses a database made by a newer roomwatch. */
export async function migrate(sql: postgres.Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}::bigint)`;
    await tx`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`;
    const [row] = await tx<{ version: number }[]>`SELECT version FROM schema_version`;
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new StartupError(
        `the database schema (version ${current}) is newer than this roomwatch (version ${MIGRATIONS.length}); upgrade roomwatch, or point DATABASE_URL at another database`,
      );
    }
    for (let version = current; version < MIGRATIONS.length; version++) await tx.unsafe(MIGRATIONS[version]!);
    if (row === undefined) await tx`INSERT INTO schema_version (version) VALUES (${MIGRATIONS.length})`;
    else await tx`UPDATE schema_version SET version = ${MIGRATIONS.length}`;
  });
}
