// The one webhook sender of every simulator (Meet's and the other platforms'): it queues, posts, judges
// each answer and retries the way the platform's delivery policy says (./policies.ts, from
// ../shared/protocols/providers.md §0 and each platform's section), logs every attempt, and stops
// without leaving a timer or a socket behind.
import { AttemptLog, type Attempt } from './attempt-log.js';
import { postWebhook, type PostResult } from './post.js';
import { TimerSet } from './timers.js';

/** What a platform makes of one attempt's answer. */
export interface AttemptVerdict {
  /** Whether it counts the payload as delivered. */
  delivered: boolean;
  /**
   * Try again after this many ms, when attempts remain; undefined: this answer is final. A delivered
   * payload is only tried again when a duplicate was asked for (then after this wait too).
   */
  retryInMs?: number;
  /** What it would log about this attempt. */
  error?: string;
}

export interface DeliveryPolicy {
  /**
   * `serial`: one at a time, in the order sent (OpenVidu 2's single sender thread); `per-resource`: one
   * such queue per resource (LiveKit: per room, per egress); `concurrent`: each on its own (Meet).
   */
  order: 'serial' | 'per-resource' | 'concurrent';
  /** Attempts in all, the first included. */
  maxAttempts: number;
  attemptTimeoutMs: number;
  judge(result: PostResult, context: { attempt: number; url: string }): AttemptVerdict;
  /** What it logs when a payload it would retry has no attempt left. */
  gaveUp?(attempts: number): string;
  /** Queued longer than this, a payload is dropped before its first attempt (LiveKit: 30 s). */
  maxQueueAgeMs?: number;
  /** A payload arriving at a queue this deep is dropped (LiveKit: 200). */
  maxQueueDepth?: number;
}

export interface Outgoing<Extra> {
  events: string[];
  body: string;
  /** The headers, or how to make them when the payload leaves its queue (LiveKit signs then, once for all its retries). */
  headers: Record<string, string> | (() => Promise<Record<string, string>>);
  /** The queue a `per-resource` policy puts it in. */
  resource?: string;
  /** Where to; default the sender's URL. */
  url?: string;
  /** Fewer attempts than the policy's (Meet's URL test and re-sends: one). */
  maxAttempts?: number;
  /** Waits this long before the first attempt, keeping its bytes (Meet's late delivery). */
  delayMs?: number;
  /** This many 2xx answers are treated as lost, so the same bytes arrive again (Meet's duplicates). */
  duplicates?: number;
  /** Called once the first attempt is answered (Meet delivers held events one after another). */
  onFirstAttempt?: () => void;
  /** Fields a platform adds to each attempt of the log. */
  extra: Extra;
}

export interface Settled<Extra> {
  /** The last attempt logged, or undefined when the payload was never sent (stopped). */
  attempt: (Attempt & Extra) | undefined;
  result: PostResult | undefined;
}

interface Queued<Extra> {
  outgoing: Outgoing<Extra>;
  url: string;
  delivery: number;
  queuedAt: number;
  settle: (settled: Settled<Extra>) => void;
}

export class WebhookSender<Extra extends object = object> {
  readonly log = new AttemptLog<Attempt & Extra>();
  private url: string | undefined;
  private readonly queues = new Map<string, Queued<Extra>[]>();
  private readonly draining = new Set<string>();
  private readonly inFlight = new Set<AbortController>();
  private pending = 0;
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly platform: string,
    private readonly policy: DeliveryPolicy,
    { url, timers = new TimerSet() }: { url?: string; timers?: TimerSet } = {},
  ) {
    this.url = url;
    this.timers = timers;
  }

  private readonly timers: TimerSet;

  get webhookUrl(): string | undefined {
    return this.url;
  }

  setUrl(url: string | undefined): void {
    this.url = url;
  }

  get isStopped(): boolean {
    return this.timers.isStopped;
  }

  /**
   * Hands a payload over to be delivered in the background. Returns its delivery number and a promise
   * of its last attempt, or undefined when there is nowhere to send it (no URL, stopped).
   */
  send(outgoing: Outgoing<Extra>): { delivery: number; settled: Promise<Settled<Extra>> } | undefined {
    const url = outgoing.url ?? this.url;
    if (!url || this.timers.isStopped) return undefined;
    const delivery = this.log.nextDelivery();
    let settle!: (settled: Settled<Extra>) => void;
    const settled = new Promise<Settled<Extra>>((resolve) => (settle = resolve));
    const item: Queued<Extra> = { outgoing, url, delivery, queuedAt: Date.now(), settle };
    this.pending++;
    void settled.then(() => this.done());
    if (this.policy.order === 'concurrent') {
      void this.deliver(item);
      return { delivery, settled };
    }
    const key = this.policy.order === 'per-resource' ? (outgoing.resource ?? 'default') : 'all';
    const queue = this.queues.get(key) ?? [];
    if (this.policy.maxQueueDepth !== undefined && queue.length >= this.policy.maxQueueDepth) {
      this.dropped(item, 'queue full');
      return { delivery, settled };
    }
    queue.push(item);
    this.queues.set(key, queue);
    if (!this.draining.has(key)) void this.drain(key);
    return { delivery, settled };
  }

  /** Resolves when every payload handed over so far has been delivered, given up or dropped. */
  idle(): Promise<void> {
    if (this.pending === 0 || this.timers.isStopped) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  /** Nothing more is sent; attempts in flight are aborted, waits abandoned. */
  stop(): void {
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    for (const queue of this.queues.values()) for (const item of queue) item.settle({ attempt: undefined, result: undefined });
    this.queues.clear();
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }

  private done(): void {
    if (--this.pending > 0) return;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }

  private async drain(key: string): Promise<void> {
    this.draining.add(key);
    const queue = this.queues.get(key)!;
    while (queue.length > 0 && !this.timers.isStopped) {
      const item = queue.shift()!;
      if (this.policy.maxQueueAgeMs !== undefined && Date.now() - item.queuedAt > this.policy.maxQueueAgeMs) {
        this.dropped(item, 'age');
        continue;
      }
      await this.deliver(item);
    }
    this.draining.delete(key);
    if (queue.length === 0 && this.queues.get(key) === queue) this.queues.delete(key);
  }

  /** Logged as attempt 0: it never left the queue. */
  private dropped(item: Queued<Extra>, reason: string): void {
    const attempt = {
      platform: this.platform,
      delivery: item.delivery,
      events: item.outgoing.events,
      url: item.url,
      attempt: 0,
      ok: false,
      next: 'lost',
      error: `dropped webhook: ${reason}`,
      body: item.outgoing.body,
      headers: {},
      sentAt: Date.now(),
      durationMs: 0,
      ...item.outgoing.extra,
    } as Attempt & Extra;
    this.log.record(attempt);
    item.settle({ attempt, result: undefined });
  }

  private async deliver(item: Queued<Extra>): Promise<void> {
    const { outgoing, url } = item;
    const { policy, timers } = this;
    let last: Settled<Extra> = { attempt: undefined, result: undefined };
    try {
      if (outgoing.delayMs) await timers.sleep(outgoing.delayMs);
      const headers = typeof outgoing.headers === 'function' ? await outgoing.headers() : outgoing.headers;
      const maxAttempts = outgoing.maxAttempts ?? policy.maxAttempts;
      let duplicatesLeft = outgoing.duplicates ?? 0;
      for (let attempt = 1; attempt <= maxAttempts && !timers.isStopped; attempt++) {
        const sentAt = Date.now();
        const result = await postWebhook(url, { body: outgoing.body, headers }, { timeoutMs: policy.attemptTimeoutMs, timers, inFlight: this.inFlight });
        if (attempt === 1) outgoing.onFirstAttempt?.();
        const verdict = policy.judge(result, { attempt, url });
        const duplicate = verdict.delivered && duplicatesLeft > 0;
        if (duplicate) duplicatesLeft--;
        const wantsRetry = duplicate || (!verdict.delivered && verdict.retryInMs !== undefined);
        const retry = wantsRetry && attempt < maxAttempts;
        const gaveUp = !verdict.delivered && wantsRetry && !retry ? policy.gaveUp?.(attempt) : undefined;
        const error = gaveUp ?? verdict.error;
        const entry = {
          platform: this.platform,
          delivery: item.delivery,
          events: outgoing.events,
          url,
          attempt,
          ok: verdict.delivered,
          next: retry ? 'retry' : verdict.delivered ? 'done' : 'lost',
          ...('status' in result && { status: result.status }),
          ...(error !== undefined && { error }),
          ...(duplicate && { retriedAnyway: true }),
          body: outgoing.body,
          headers,
          sentAt,
          durationMs: Date.now() - sentAt,
          ...outgoing.extra,
        } as Attempt & Extra;
        this.log.record(entry);
        last = { attempt: entry, result };
        if (!retry) return;
        await timers.sleep(verdict.retryInMs ?? 0);
      }
    } finally {
      item.settle(last);
    }
  }
}
