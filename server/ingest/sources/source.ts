// What every platform adapter is: headers and raw bytes in, a verdict out. Pure, no I/O.
import type { NewEvent, SourceId } from '../../domain/events.js';
import type { RejectReason } from '../rejection.js';
import type { HintTable } from '../hints.js';

export interface WebhookRequest {
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The request body exactly as received. */
  body: Buffer;
  /** Receive time, ms since epoch (injected so that tests control the clock). */
  receivedAt: number;
}

export type Verdict =
  | { accepted: true; events: NewEvent[] }
  | { accepted: false; reason: RejectReason; detail?: string };

export interface SourceAdapter {
  readonly id: SourceId;
  /**
   * Headers every genuine request carries, as the platform spells them. A request without one of them is
   * refused before a byte of its body is read, so that unauthenticated bodies cost no memory.
   */
  readonly requiredHeaders: readonly string[];
  /** What the operator should check, per refusal reason, on this platform and here (../hints.ts fills the rest). */
  readonly hints: HintTable;
  /** The platform's own send time carried by the request, ms since epoch, when it has one (kept with a refusal). */
  sentAt?(headers: WebhookRequest['headers']): number | undefined;
  /** Pure: may be async only because a JWT library is (LiveKit). */
  verify(request: WebhookRequest): Verdict | Promise<Verdict>;
}

/** An adapter whose check needs no I/O answers at once. */
export interface SyncSourceAdapter extends SourceAdapter {
  verify(request: WebhookRequest): Verdict;
}

export const refuse = (reason: RejectReason, detail?: string): Verdict => ({ accepted: false, reason, detail });
