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
  // The inspector's search (listing.ts): PostgreSQL's own full text, a GIN index over the words of each
  // stored webhook's payload, kept by the commit that stores it (so every instance searches the same
  // log at once, with nothing to feed later). A JSON payload's words are those of its text values only,
  // decoded — not its keys, nor its numbers, which are times, counts and sizes — as on SQLite; any other
  // payload, its text. Accents are dropped (café is found as cafe, as SQLite's tokenizer does: its
  // remove_diacritics). Words are runs of letters and digits: everything else separates them, as SQLite's
  // tokenizer does (PostgreSQL's own parser would keep "-1" of "standup-1" as a negative number). The
  // 'simple' configuration: lower case, no stemming, no stop words (ids and names are not English). At
  // most 64 KiB of text per payload, so the work per webhook stays bounded. The function never fails (a
  // failure would refuse the webhook): a body that is not UTF-8 has no words. The EXCEPTION blocks only
  // read, so they take no subtransaction id. pg_trgm was the other choice: it finds any substring, but
  // its index is several times larger and a word query reads every trigram's list; words are what people
  // search for here (names, ids).
  // And the filter by room name: rooms by their name, compared without case.
  `CREATE FUNCTION roomwatch_payload_words(body BYTEA) RETURNS tsvector
   LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
   DECLARE
     payload TEXT;
     words TEXT;
   BEGIN
     BEGIN
       payload := convert_from(body, 'UTF8');
     EXCEPTION WHEN others THEN
       RETURN ''::tsvector;
     END;
     BEGIN
       SELECT string_agg(value, ' ') INTO words
       FROM jsonb_array_elements_text(jsonb_path_query_array(payload::jsonb, 'strict $.** ? (@.type() == "string")'));
     EXCEPTION WHEN others THEN
       words := payload;
     END;
     BEGIN
       words := regexp_replace(normalize(words, NFD), U&'[\\0300-\\036F]+', '', 'g');
     EXCEPTION WHEN others THEN
       NULL; -- a database not in UTF-8 cannot normalize: its words keep their accents
     END;
     RETURN to_tsvector('simple', regexp_replace(left(coalesce(words, ''), 65536), '[^[:alnum:]]+', ' ', 'g'));
   END
   $fn$;
   CREATE INDEX events_webhooks_words ON events USING gin (roomwatch_payload_words(body)) WHERE kind = 'webhook';
   CREATE INDEX rooms_by_name ON rooms (lower(row ->> 'roomName'));`,
  // A commit of webhooks in one statement (fast-append.ts): the append lock, the checks that the caller's
  // projection still holds, the inserts, the row upserts and the NOTIFY, then the statement's own commit —
  // one round trip, and the lock is held for the server's work and the WAL flush only. The caller
  // projected against its mirror as of `mirrorSeq`; the commit goes ahead only if nothing it read changed
  // since (no change entry after mirrorSeq touches a room it read, a room whose recordings it listed, or a
  // recording it read), none of its dedupe keys is stored, and no pruning moved the mirror's ground.
  // Otherwise nothing is written and it answers why: `conflict` (the caller catches up and projects
  // again), `repeat` or `reload` (the caller takes the two-round-trip path). With `stored` or `conflict`
  // come the entries after `fromSeq` up to the head before this commit — what the caller's mirror and feed
  // lack — so it need not read them. Row keys are "<source> <id>": a source id has no space.
  `CREATE OR REPLACE FUNCTION roomwatch_append(lock_key BIGINT, channel TEXT, batch JSONB, bodies BYTEA)
   RETURNS TABLE (outcome TEXT, head BIGINT, e_seq BIGINT, e_kind TEXT, e_source TEXT, e_type TEXT, e_created_at BIGINT,
                  e_received_at BIGINT, e_dedupe_key TEXT, e_room_id TEXT, e_headers TEXT, e_body BYTEA)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     mirror_seq BIGINT := (batch ->> 'mirrorSeq')::bigint;
     from_seq BIGINT := (batch ->> 'fromSeq')::bigint;
     pruned BIGINT;
     mark TEXT;
     last BIGINT;
     verdict TEXT := 'stored';
     added INTEGER := jsonb_array_length(batch -> 'entries');
   BEGIN
     PERFORM pg_advisory_xact_lock(lock_key);
     SELECT m.value::bigint INTO pruned FROM meta m WHERE m.key = 'pruned_through';
     SELECT m.value INTO mark FROM meta m WHERE m.key = 'rows_pruned';
     IF mark IS DISTINCT FROM batch ->> 'rowsPruned' OR pruned > least(mirror_seq, from_seq) THEN
       RETURN QUERY SELECT 'reload'::text, NULL::bigint, NULL::bigint, NULL, NULL, NULL, NULL::bigint, NULL::bigint, NULL, NULL, NULL, NULL::bytea;
       RETURN;
     END IF;
     IF EXISTS (SELECT 1 FROM events e WHERE e.dedupe_key = ANY (ARRAY(SELECT jsonb_array_elements_text(batch -> 'keys')))) THEN
       RETURN QUERY SELECT 'repeat'::text, NULL::bigint, NULL::bigint, NULL, NULL, NULL, NULL::bigint, NULL::bigint, NULL, NULL, NULL, NULL::bytea;
       RETURN;
     END IF;
     SELECT greatest(max(e.seq), pruned) INTO last FROM events e;
     IF EXISTS (
       SELECT 1 FROM events e
       WHERE e.seq > mirror_seq AND e.kind = 'change' AND e.type IN ('room', 'recording')
         AND ((e.type = 'room' AND e.source || ' ' || e.room_id = ANY (ARRAY(SELECT jsonb_array_elements_text(batch -> 'readRooms'))))
           OR (e.type = 'recording' AND (e.source || ' ' || e.room_id = ANY (ARRAY(SELECT jsonb_array_elements_text(batch -> 'readRoomLists')))
             OR e.source || ' ' || (convert_from(e.body, 'UTF8')::jsonb ->> 'recordingId') = ANY (ARRAY(SELECT jsonb_array_elements_text(batch -> 'readRecordings'))))))
     ) THEN
       verdict := 'conflict';
     ELSE
       INSERT INTO events (seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body)
       SELECT last + entry.n, entry.v ->> 'kind', entry.v ->> 'source', entry.v ->> 'type', (entry.v ->> 'createdAt')::bigint,
              (entry.v ->> 'receivedAt')::bigint, entry.v ->> 'dedupeKey', entry.v ->> 'roomId', entry.v ->> 'headers',
              substring(bodies FROM (entry.v ->> 'offset')::integer + 1 FOR (entry.v ->> 'length')::integer)
       FROM jsonb_array_elements(batch -> 'entries') WITH ORDINALITY AS entry (v, n);
       INSERT INTO rooms AS r (source, room_id, row)
       SELECT x ->> 'source', x ->> 'roomId', x FROM jsonb_array_elements(batch -> 'rooms') AS x
       ON CONFLICT ON CONSTRAINT rooms_pkey DO UPDATE SET row = excluded.row;
       INSERT INTO recordings AS r (source, recording_id, room_id, row)
       SELECT x ->> 'source', x ->> 'recordingId', x ->> 'roomId', x FROM jsonb_array_elements(batch -> 'recordings') AS x
       ON CONFLICT ON CONSTRAINT recordings_pkey DO UPDATE SET row = excluded.row, room_id = excluded.room_id;
       PERFORM pg_notify(channel, (last + added)::text);
     END IF;
     RETURN QUERY
       SELECT verdict, last, NULL::bigint, NULL, NULL, NULL, NULL::bigint, NULL::bigint, NULL, NULL, NULL, NULL::bytea
       UNION ALL
       SELECT NULL, NULL, e.seq, e.kind, e.source, e.type, e.created_at, e.received_at, e.dedupe_key, e.room_id, e.headers, e.body
       FROM events e WHERE e.seq > least(mirror_seq, from_seq) AND e.seq <= last;
   END
   $fn$;`,
  // Forwarding: a target that answered 410 Gone stays stopped, across restarts and on every instance,
  // until an operator resumes it (when, and what it answered).
  `ALTER TABLE forward_targets ADD COLUMN IF NOT EXISTS stopped_at BIGINT;
   ALTER TABLE forward_targets ADD COLUMN IF NOT EXISTS stopped_reason TEXT;`,
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
