// Signed webhook delivery as OpenViduWebhookService does it (../../../shared/protocols/openvidu-meet.md §1):
// envelope `{event, creationDate, data}` stringified once, signed by roomwatch's own Meet signing
// (X-Timestamp = creationDate, X-Signature = hex HMAC-SHA256(apiKey, ts + "." + body)), fire-and-forget,
// 1 + 5 attempts with 300…4800 ms backoff, then dropped, through the one sender of ../delivery. On top,
// delivery tricks for tests: duplicates, late, held-and-reversed, backdated, re-sent.
import { meet as platform } from '../../server/platforms/meet/index.js';
import type { Attempt } from '../delivery/attempt-log.js';
import type { PostResult } from '../delivery/post.js';
import { WebhookSender, type DeliveryPolicy, type Outgoing } from '../delivery/sender.js';
import type { TimerSet } from '../delivery/timers.js';
import type { JsonObject } from './model.js';

export const MEET_RETRY_DELAYS_MS: readonly number[] = [300, 600, 1200, 2400, 4800];
export const MEET_ATTEMPT_TIMEOUT_MS = 5000;

export type DeliveryKind = 'event' | 'test' | 'resend';

/** What Meet's log adds to each attempt. */
export interface MeetDeliveryDetails {
  kind: DeliveryKind;
  event: string;
  /** X-Timestamp, i.e. the body's creationDate. */
  timestamp: number;
  signature: string;
  roomId?: string;
  recordingId?: string;
}

/** One HTTP attempt, as the log (`deliveries()`) keeps it. */
export type DeliveryAttempt = Attempt & MeetDeliveryDetails;

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

const KEPT_FOR_RESEND = 500;

/** §1.5 `fetchWithRetry`: any 2xx ends it; otherwise retry after 300, 600, 1200, 2400, 4800 ms, then drop. */
export function meetDeliveryPolicy(retryDelaysMs: readonly number[] = MEET_RETRY_DELAYS_MS, attemptTimeoutMs = MEET_ATTEMPT_TIMEOUT_MS): DeliveryPolicy {
  return {
    order: 'concurrent',
    maxAttempts: 1 + retryDelaysMs.length,
    attemptTimeoutMs,
    judge: (result, { attempt }) => {
      const delivered = 'status' in result && result.status >= 200 && result.status < 300;
      return { delivered, retryInMs: retryDelaysMs[attempt - 1] ?? 0, ...('failure' in result && { error: meetFailure(result, attemptTimeoutMs) }) };
    },
  };
}

export class WebhookDispatcher {
  private target: WebhookTarget;
  private readonly sender: WebhookSender<MeetDeliveryDetails>;
  private readonly recent = new Map<number, Outgoing<MeetDeliveryDetails>>();
  private pendingTricks = { duplicates: 0, delayMs: 0, backdateMs: 0 };
  private hold?: { remaining: number; held: Outgoing<MeetDeliveryDetails>[] };
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: DispatcherOptions) {
    this.target = { ...options.target };
    this.retryDelaysMs = options.retryDelaysMs ?? MEET_RETRY_DELAYS_MS;
    this.sender = new WebhookSender('meet', meetDeliveryPolicy(this.retryDelaysMs, options.attemptTimeoutMs), { timers: options.timers });
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
    if (this.sender.isStopped || !enabled || !url) return undefined;
    const tricks = this.pendingTricks;
    this.pendingTricks = { duplicates: 0, delayMs: 0, backdateMs: 0 };
    const outgoing = this.envelope('event', event, data, url, this.options.now() - tricks.backdateMs);
    outgoing.duplicates = tricks.duplicates;
    outgoing.delayMs = tricks.delayMs;
    if (this.hold) {
      // Held events get their delivery numbers when they are released.
      this.hold.held.push(outgoing);
      if (--this.hold.remaining <= 0) this.releaseHeld();
      return undefined;
    }
    return this.dispatch(outgoing);
  }

  /** POST /internal-api/v1/config/webhooks/test (§1.8): one signed testEvent, one attempt, even when disabled. */
  async sendTestEvent(url: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const outgoing = this.envelope('test', 'testEvent', { message: 'This is a test webhook event' }, url, this.options.now());
    outgoing.maxAttempts = 1;
    const sent = this.sender.send(outgoing);
    const { result } = sent ? await sent.settled : { result: undefined };
    if (result && 'status' in result && result.status >= 200 && result.status < 300) return { ok: true };
    return { ok: false, reason: result ? rejectionReason(result, this.options.attemptTimeoutMs ?? MEET_ATTEMPT_TIMEOUT_MS) : 'Connection failed: stopped' };
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
        await new Promise<void>((firstAttemptDone) => {
          const sent = this.dispatch({ ...outgoing, onFirstAttempt: firstAttemptDone });
          if (sent === undefined) firstAttemptDone();
        });
      }
    })();
  }

  /** Re-sends the exact bytes and headers of an earlier delivery to the current URL, one attempt. */
  resend(delivery: number): number {
    const original = this.recent.get(delivery);
    if (!original) throw new RangeError(`No delivery #${delivery} to re-send`);
    const copy: Outgoing<MeetDeliveryDetails> = {
      ...original,
      url: this.target.url ?? original.url,
      maxAttempts: 1,
      duplicates: 0,
      delayMs: 0,
      extra: { ...original.extra, kind: 'resend' },
    };
    const sent = this.dispatch(copy);
    if (sent === undefined) throw new RangeError('the simulator is stopped');
    return sent;
  }

  // ── Log ──────────────────────────────────────────────────────────────────────────────────────

  deliveries(): DeliveryAttempt[] {
    return this.sender.log.all();
  }

  clearLog(): void {
    this.sender.log.clear();
  }

  onAttempt(listener: (attempt: DeliveryAttempt) => void): () => void {
    return this.sender.log.onAttempt(listener);
  }

  stop(): void {
    this.hold = undefined;
    this.sender.stop();
    this.sender.log.unsubscribeAll();
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────

  /** §1.2/§1.3: serialised once; the same string is signed and sent, and reused by every retry. */
  private envelope(kind: DeliveryKind, event: string, data: JsonObject, url: string, timestamp: number): Outgoing<MeetDeliveryDetails> {
    const { headers, body } = platform.sign({ apiKeys: [this.options.apiKey] }, JSON.stringify({ event, creationDate: timestamp, data }), timestamp);
    return {
      events: [event],
      body,
      headers,
      url,
      extra: {
        kind,
        event,
        timestamp,
        signature: headers['X-Signature']!,
        ...(typeof data.roomId === 'string' && { roomId: data.roomId }),
        ...(typeof data.recordingId === 'string' && { recordingId: data.recordingId }),
      },
    };
  }

  private dispatch(outgoing: Outgoing<MeetDeliveryDetails>): number | undefined {
    const sent = this.sender.send(outgoing);
    if (!sent) return undefined;
    this.recent.set(sent.delivery, outgoing);
    if (this.recent.size > KEPT_FOR_RESEND) this.recent.delete(this.recent.keys().next().value as number);
    return sent.delivery;
  }
}

/** The `<reason>` of Meet's "Webhook URL '<url>' is invalid: <reason>" (§1.8, `errorInvalidWebhookUrl`). */
export function rejectionReason(result: PostResult, timeoutMs: number): string {
  if ('failure' in result) return meetFailure(result, timeoutMs);
  const status = `${result.status} ${result.statusText}`.trim();
  if (result.status >= 500) return `Server error (${status})`;
  if (result.status >= 400) return `Client error (${status})`;
  return `Unexpected response (${status})`;
}

/** How Meet words a request that got no answer (§1.8). */
function meetFailure(result: Extract<PostResult, { failure: unknown }>, timeoutMs: number): string {
  const { code = '', message, causeMessage, timedOut, aborted } = result.failure;
  if (timedOut) return `Request timed out after ${timeoutMs / 1000} seconds`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Domain name could not be resolved';
  if (code === 'ECONNREFUSED') return 'Connection refused by server';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'Connection reset by server';
  if (/CERT|SSL|TLS/.test(code)) return 'SSL/TLS certificate error';
  if (aborted) return 'Connection failed: aborted';
  return causeMessage ? `Network error: ${message}` : `Connection failed: ${message}`;
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
