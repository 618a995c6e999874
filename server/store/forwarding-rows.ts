// The forwarding tables' rows as both backends read and write them (sqlite/forwarding.ts,
// postgres/forwarding.ts), and the records of forwarding-store.ts they stand for. The two differ in one
// column: `redelivery` is a boolean in PostgreSQL and 0 or 1 in SQLite, so an attempt row is generic in it
// and its mappers are told how to read and write the flag.
import type { SourceId } from '../platforms/catalog.js';
import type { AttemptRecord, DeliveryState, ForwardEntry, TargetRecord } from './forwarding-store.js';

export interface TargetRow {
  url: string;
  cursor: number;
  added_after: number;
  last_success_at: number | null;
  stopped_at: number | null;
  stopped_reason: string | null;
}

export interface AttemptRow<Flag> {
  target: string;
  seq: number;
  state: DeliveryState;
  redelivery: Flag;
  attempts: number;
  first_at: number;
  next_try_at: number | null;
  last_at: number | null;
  last_status: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
}

export interface EntryRow {
  seq: number;
  source: SourceId;
  type: string;
  received_at: number;
  body: Buffer;
}

/** How a backend stores a yes/no column. */
export interface FlagColumn<Flag> {
  read(flag: Flag): boolean;
  write(set: boolean): Flag;
}

export function toTarget(row: TargetRow): TargetRecord {
  return {
    url: row.url,
    cursor: row.cursor,
    addedAfter: row.added_after,
    lastSuccessAt: row.last_success_at ?? undefined,
    stopped: row.stopped_at === null ? undefined : { at: row.stopped_at, reason: row.stopped_reason ?? '' },
  };
}

export function toEntry(row: EntryRow): ForwardEntry {
  return { seq: row.seq, source: row.source, type: row.type, receivedAt: row.received_at, body: row.body };
}

export function toAttempt<Flag>(row: AttemptRow<Flag>, flag: FlagColumn<Flag>): AttemptRecord {
  return {
    target: row.target,
    seq: row.seq,
    state: row.state,
    redelivery: flag.read(row.redelivery),
    attempts: row.attempts,
    firstAt: row.first_at,
    nextTryAt: row.next_try_at ?? undefined,
    lastAt: row.last_at ?? undefined,
    lastStatus: row.last_status ?? undefined,
    lastLatencyMs: row.last_latency_ms ?? undefined,
    lastError: row.last_error ?? undefined,
  };
}

export function toAttemptRow<Flag>(record: AttemptRecord, flag: FlagColumn<Flag>): AttemptRow<Flag> {
  return {
    target: record.target,
    seq: record.seq,
    state: record.state,
    redelivery: flag.write(record.redelivery),
    attempts: record.attempts,
    first_at: record.firstAt,
    next_try_at: record.nextTryAt ?? null,
    last_at: record.lastAt ?? null,
    last_status: record.lastStatus ?? null,
    last_latency_ms: record.lastLatencyMs ?? null,
    last_error: record.lastError ?? null,
  };
}
