// What forwarding needs from the store, and nothing more, so that each backend (SQLite here, PostgreSQL
// later) implements it beside its own tables.
//
// The log is the outbox: a target's pending deliveries are the stored webhooks after its cursor that it
// wants. A webhook is therefore pending for every target the moment its own commit succeeds, with no write
// of its own; a platform's retry is a repeat (no new entry), so it is never forwarded again; and store order
// is delivery order. A delivery's attempts are kept per (target, seq) for the inspector.
import type { SourceId } from '../platforms/catalog.js';

/** A stored webhook as a delivery needs it. */
export interface ForwardEntry {
  seq: number;
  source: SourceId;
  type: string;
  receivedAt: number;
  body: Buffer;
}

export interface TargetRecord {
  url: string;
  /** The seq of the last webhook this target has taken care of (delivered, given up or not wanted). */
  cursor: number;
  /** The log's head when the target was first configured: older webhooks were never meant for it. */
  addedAfter: number;
  lastSuccessAt: number | undefined;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface AttemptRecord {
  target: string;
  seq: number;
  state: DeliveryState;
  /** Asked for from the dashboard: delivered out of the cursor's order, once more. */
  redelivery: boolean;
  attempts: number;
  /** When this delivery started (a redelivery: when it was asked for); ms. */
  firstAt: number;
  /** When the next attempt is due, while pending. */
  nextTryAt: number | undefined;
  lastAt: number | undefined;
  lastStatus: number | undefined;
  lastLatencyMs: number | undefined;
  lastError: string | undefined;
}

export interface ForwardingStore {
  /** The target's record, created at the log's head (`latestSeq`) when it is new. */
  openTarget(url: string, latestSeq: number): TargetRecord;
  target(url: string): TargetRecord | undefined;
  /**
   * Stored webhooks (no row changes) after `seq`, oldest first: at most `limit`, and none past the one whose
   * body takes the bytes read to `maxBytes` (at least one when there is one).
   */
  webhooksAfter(seq: number, budget: { limit: number; maxBytes: number }): ForwardEntry[];
  webhook(seq: number): ForwardEntry | undefined;
  attempt(target: string, seq: number): AttemptRecord | undefined;
  /** Every target's attempts at one webhook. */
  attemptsAt(seq: number): AttemptRecord[];
  /** The oldest redelivery still pending for this target. */
  nextRedelivery(target: string): AttemptRecord | undefined;
  /**
   * Records an attempt's outcome; with `cursor`, moves the target's cursor there in the same commit (and,
   * when the delivery succeeded, its last success).
   */
  recordAttempt(record: AttemptRecord, cursor?: number): void;
  /** Moves the cursor past webhooks the target does not want. */
  advanceCursor(target: string, cursor: number): void;
  /** Asks for `seq` to be delivered to `target` again: a pending redelivery with no attempt yet. */
  requestRedelivery(target: string, seq: number, now: number): void;
  /** Webhooks after `cursor` this target wants: its backlog. */
  countWanted(cursor: number, sources: readonly string[] | undefined, events: readonly string[] | undefined): number;
  /** Forgets attempts at webhooks the log no longer has. */
  forgetAttemptsThrough(seq: number): void;
}
