// Signed webhook delivery as OpenViduWebhookService does it (../../../shared/protocols/openvidu-meet.md §1):
// envelope `{event, creationDate, data}` stringified once, X-Timestamp = creationDate, X-Signature =
// hex HMAC-SHA256(apiKey, ts + "." + body), fire-and-forget, 1 + 5 attempts with 300…4800 ms backoff,
// then dropped. On top, delivery tricks for tests: duplicates, late, held-and-reversed, backdated, re-sent.
import { signMeetWebhook } from '../../server/ingest/sources/meet.js';
import type { JsonObject } from './model.js';
import type { TimerSet } from './timers.js';
import type { AttemptResult } from './webhook-http.js';
import { postWebhook, rejectionReason } from './webhook-http.js';

export const MEET_RETRY_DELAYS_MS: readonly number[] = [300, 600, 1200, 2400, 4800];
export const MEET_ATTEMPT_TIMEOUT_MS = 5000;

export type DeliveryKind = 'event' | 'test' | 'resend';

/** One HTTP attempt, as the log (`deliveries()`) keeps it. */
export interface DeliveryAttempt {
  /** Sequence number of the delivery (one per event; a re-send is a new delivery). */
  delivery: number;
  kind: DeliveryKind;
  event: string;
  /** X-Timestamp, i.e. the body's creationDate. */
  timestamp: number;
  signature: string;
  body: string;
  url: string;
  roomId?: string;
  recordingId?: string;
  /** 1 for the first try, up to 6. */
  attempt: number;
  ok: boolean;
  status?: number;
  error?: string;
  /** A 2xx that the simulator treated as lost, to deliver a duplicate (`duplicateNext`). */
  retriedAnyway?: boolean;
  sentAt: number;
  durationMs: number;
}

export interface WebhookTarget {
  url?: string;
  enabled: boolean;
}

export interface DispatcherOptions {
  apiKey: string;
  now: () => number;
  timers: TimerSet;
  target: WebhookTarget;
  retryDelaysMs?: readonly number[];
  attemptTimeoutMs?: number;
}

interface Outgoing {
  delivery: number;
  kind: DeliveryKind;
  event: string;
  url: string;
  timestamp: number;
  body: string;
  signature: string;
  roomId?: string;
  recordingId?: string;
  maxAttempts: number;
  /** How many successful attempts to treat as failures (duplicates). */
  duplicates: number;
  delayMs: number;
}

const KEPT_FOR_RESEND = 500;
/** The attempt log keeps this many entries (a long demo run must not grow without bound). */
const LOG_LIMIT = 10_000;

export class WebhookDispatcher {
  private target: WebhookTarget;
  private sequence = 0;
  private readonly log: DeliveryAttempt[] = [];
  private readonly listeners = new Set<(attempt: DeliveryAttempt) => void>();
  private readonly inFlight = new Set<AbortController>();
  private readonly recent = new Map<number, Outgoing>();
  private pendingTricks = { duplicates: 0, delayMs: 0, backdateMs: 0 };
  private hold?: { remaining: number; held: Outgoing[] };
  private stopped = false;
  private readonly retryDelaysMs: readonly number[];
  private readonly attemptTimeoutMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.target = { ...options.target };
    this.retryDelaysMs = options.retryDelaysMs ?? MEET_RETRY_DELAYS_MS;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? MEET_ATTEMPT_TIMEOUT_MS;
  }

  get webhookTarget(): WebhookTarget {
    return { ...this.target };
  }

  setTarget(target: Partial<WebhookTarget>): void {
    this.target = { ...this.target, ...target };
  }

  /**
   * Sends an event in the background (§1.1: fire-and-forget). `enabled` is read per event, and nothing is
   * sent without a URL (§1.5). Returns the delivery number, or undefined when skipped.
   */
  publish(event: string, data: JsonObject): number | undefined {
    const { url, enabled } = this.target;
    if (this.stopped || !enabled || !url) return undefined;
    const tricks = this.pendingTricks;
    this.pendingTricks = { duplicates: 0, delayMs: 0, backdateMs: 0 };
    const outgoing = this.envelope('event', event, data, url, {
      maxAttempts: 1 + this.retryDelaysMs.length,
      duplicates: tricks.duplicates,
      delayMs: tricks.delayMs,
      timestamp: this.options.now() - tricks.backdateMs,
    });
    if (this.hold) {
      this.hold.held.push(outgoing);
      if (--this.hold.remaining <= 0) this.releaseHeld();
    } else {
      void this.run(outgoing);
    }
    return outgoing.delivery;
  }

  /** POST /internal-api/v1/config/webhooks/test (§1.8): one signed testEvent, one attempt, even when disabled. */
  async sendTestEvent(url: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const outgoing = this.envelope('test', 'testEvent', { message: 'This is a test webhook event' }, url, {
      maxAttempts: 1,
      duplicates: 0,
      delayMs: 0,
      timestamp: this.options.now(),
    });
    const result = await this.attempt(outgoing, 1, false);
    return result.ok ? { ok: true } : { ok: false, reason: rejectionReason(result) };
  }

  // ── Delivery tricks ──────────────────────────────────────────────────────────────────────────

  /** The next event is delivered `extra` more times (max 5), as retries after "lost" 2xx answers. */
  duplicateNext(extra: number): void {
    this.pendingTricks.duplicates = clampInt(extra, 0, this.retryDelaysMs.length);
  }

  /** The next event's first attempt waits `ms` (it keeps its creation timestamp: a late delivery). */
  delayNext(ms: number): void {
    this.pendingTricks.delayMs = Math.max(0, ms);
  }

  /** The next event is stamped `ms` in the past (validly signed, but stale). */
  backdateNext(ms: number): void {
    this.pendingTricks.backdateMs = Math.max(0, ms);
  }

  /** Holds the next `count` events, then delivers them newest first (each after the previous one's first try). */
  holdNext(count: number): void {
    if (count < 1) return;
    this.hold = { remaining: Math.floor(count), held: this.hold?.held ?? [] };
  }

  /** Delivers whatever is held now, newest first. */
  releaseHeld(): void {
    const held = this.hold?.held ?? [];
    this.hold = undefined;
    void (async () => {
      for (const outgoing of held.reverse()) {
        await new Promise<void>((firstAttemptDone) => void this.run(outgoing, firstAttemptDone));
      }
    })();
  }

  /** Re-sends the exact bytes and headers of an earlier delivery to the current URL, one attempt. */
  resend(delivery: number): number {
    const original = this.recent.get(delivery);
    if (!original) throw new RangeError(`No delivery #${delivery} to re-send`);
    const url = this.target.url ?? original.url;
    const copy: Outgoing = { ...original, delivery: ++this.sequence, kind: 'resend', url, maxAttempts: 1, duplicates: 0, delayMs: 0 };
    this.remember(copy);
    void this.run(copy);
    return copy.delivery;
  }

  // ── Log ──────────────────────────────────────────────────────────────────────────────────────

  deliveries(): DeliveryAttempt[] {
    return this.log.map((attempt) => ({ ...attempt }));
  }

  clearLog(): void {
    this.log.length = 0;
  }

  onAttempt(listener: (attempt: DeliveryAttempt) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.hold = undefined;
    for (const controller of this.inFlight) controller.abort();
    this.listeners.clear();
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────

  private envelope(
    kind: DeliveryKind,
    event: string,
    data: JsonObject,
    url: string,
    plan: Pick<Outgoing, 'maxAttempts' | 'duplicates' | 'delayMs' | 'timestamp'>,
  ): Outgoing {
    // §1.2/§1.3: serialised once; the same string is signed and sent, and reused by every retry.
    const body = JSON.stringify({ event, creationDate: plan.timestamp, data });
    const outgoing: Outgoing = {
      delivery: ++this.sequence,
      kind,
      event,
      url,
      body,
      signature: signMeetWebhook(this.options.apiKey, plan.timestamp, body),
      roomId: typeof data.roomId === 'string' ? data.roomId : undefined,
      recordingId: typeof data.recordingId === 'string' ? data.recordingId : undefined,
      ...plan,
    };
    this.remember(outgoing);
    return outgoing;
  }

  private remember(outgoing: Outgoing): void {
    this.recent.set(outgoing.delivery, outgoing);
    if (this.recent.size > KEPT_FOR_RESEND) this.recent.delete(this.recent.keys().next().value as number);
  }

  /** §1.5 `fetchWithRetry`: any 2xx ends it; otherwise retry after 300, 600, 1200, 2400, 4800 ms, then drop. */
  private async run(outgoing: Outgoing, firstAttemptDone?: () => void): Promise<void> {
    const { timers } = this.options;
    if (outgoing.delayMs > 0) await timers.sleep(outgoing.delayMs);
    let duplicatesLeft = outgoing.duplicates;
    for (let attempt = 1; attempt <= outgoing.maxAttempts && !this.stopped; attempt++) {
      const result = await this.attempt(outgoing, attempt, duplicatesLeft > 0);
      if (attempt === 1) firstAttemptDone?.();
      if (result.ok && duplicatesLeft === 0) return;
      if (result.ok) duplicatesLeft--;
      if (attempt === outgoing.maxAttempts) return;
      await timers.sleep(this.retryDelaysMs[attempt - 1] ?? 0);
    }
  }

  private async attempt(outgoing: Outgoing, attempt: number, treatOkAsLost: boolean): Promise<AttemptResult> {
    const sentAt = Date.now();
    const result = await postWebhook(outgoing, this.attemptTimeoutMs, this.options.timers, this.inFlight);
    const entry: DeliveryAttempt = {
      delivery: outgoing.delivery,
      kind: outgoing.kind,
      event: outgoing.event,
      timestamp: outgoing.timestamp,
      signature: outgoing.signature,
      body: outgoing.body,
      url: outgoing.url,
      roomId: outgoing.roomId,
      recordingId: outgoing.recordingId,
      attempt,
      ok: result.ok,
      status: result.status,
      error: result.failure,
      retriedAnyway: result.ok && treatOkAsLost ? true : undefined,
      sentAt,
      durationMs: Date.now() - sentAt,
    };
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    for (const listener of this.listeners) listener({ ...entry });
    return result;
  }
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
