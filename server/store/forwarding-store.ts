// What forwarding (server/forward/) needs from the store, and nothing more: each backend implements it
// beside its own tables (./sqlite/forwarding.ts, ./postgres/forwarding.ts) and gives it as `store.forwarding`.
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
  /** It answered 410 Gone: nothing is sent to it until an operator resumes it (kept across restarts). */
  stopped: { at: number; reason: string } | undefined;
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

/**
 * Each method reads or commits at once and keeps no state of its own: on a shared store (PostgreSQL) any
 * instance may read, and the leader alone records attempts and moves cursors.
 */
export interface ForwardingStore {
  /** The target's record, created at the log's head (`latestSeq`) when it is new (by whichever instance comes first). */
  openTarget(url: string, latestSeq: number): Promise<TargetRecord>;
  target(url: string): Promise<TargetRecord | undefined>;
  /**
   * Stored webhooks (no row changes) after `seq`, oldest first: at most `limit`, and none past the one whose
   * body takes the bytes read to `maxBytes` (at least one when there is one).
   */
  webhooksAfter(seq: number, budget: { limit: number; maxBytes: number }): Promise<ForwardEntry[]>;
  webhook(seq: number): Promise<ForwardEntry | undefined>;
  attempt(target: string, seq: number): Promise<AttemptRecord | undefined>;
  /** Every target's attempts at one webhook. */
  attemptsAt(seq: number): Promise<AttemptRecord[]>;
  /**
   * The target's head as the deliverer last recorded it: the pending attempt at the first webhook after
   * `cursor`, when a try at it has failed. How an instance that does not deliver tells that a target fails.
   */
  failingHead(target: string, cursor: number): Promise<AttemptRecord | undefined>;
  /** The oldest redelivery still pending for this target. */
  nextRedelivery(target: string): Promise<AttemptRecord | undefined>;
  /**
   * Records an attempt's outcome; with `cursor`, moves the target's cursor there in the same commit (and,
   * when the delivery succeeded, its last success). A cursor only moves forward.
   */
  recordAttempt(record: AttemptRecord, cursor?: number): Promise<void>;
  /**
   * A first try that succeeded, in order: moves the cursor to `seq` (forward only) and the last success to
   * `at`, in one write and with no attempt row — the cheapest commit that keeps "only the delivery in
   * flight is repeated" after a kill. Its attempt's details follow later, batched, in `addDeliveredDetails`.
   */
  recordDelivered(target: string, seq: number, at: number): Promise<void>;
  /**
   * The inspector's rows for deliveries already recorded by `recordDelivered`, in one commit. A row
   * already there (a redelivery asked for since) is kept as it is.
   */
  addDeliveredDetails(records: readonly AttemptRecord[]): Promise<void>;
  /** Stops the target for good (it answered 410 Gone), until `resumeTarget`. */
  stopTarget(target: string, at: number, reason: string): Promise<void>;
  /** Lets a stopped target be delivered to again; false when it was not stopped. */
  resumeTarget(target: string): Promise<boolean>;
  /** Moves the cursor past webhooks the target does not want. */
  advanceCursor(target: string, cursor: number): Promise<void>;
  /** Asks for `seq` to be delivered to `target` again: a pending redelivery with no attempt yet. */
  requestRedelivery(target: string, seq: number, now: number): Promise<void>;
  /** Webhooks after `cursor` this target wants: its backlog. */
  countWanted(cursor: number, sources: readonly string[] | undefined, events: readonly string[] | undefined): Promise<number>;
  /** Forgets attempts at webhooks the log no longer has. */
  forgetAttemptsThrough(seq: number): Promise<void>;
}
