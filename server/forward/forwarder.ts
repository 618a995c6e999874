// Relays every newly stored webhook to the apps in FORWARD_TO (server/forward/target-queue.ts delivers
// each target). It only reads the log after each commit: a webhook's answer never waits for a target.
// Runs where the store says this instance leads; the cursors live in the store, so a new leader (or a
// restart) continues where the last one stopped.
import type { Logger } from '../logger.js';
import type { EnabledPlatform } from '../platforms/index.js';
import type { SourceId } from '../platforms/catalog.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { AttemptRecord, ForwardingStore } from '../store/forwarding-store.js';
import type { Leadership, RetentionLimits } from '../store/store.js';
import { TargetQueue, type DeliveryOutcome } from './target-queue.js';
import type { DeliveryView, ForwardingStatus } from './api-types.js';
import { targetWants, type ForwardTarget } from './targets.js';
import { IntakePressure } from './intake-pressure.js';
import type { StoredEvent } from '../domain/events.js';

export interface ForwarderOptions {
  targets: readonly ForwardTarget[];
  store: ForwardingStore;
  platforms: readonly EnabledPlatform[];
  /** The log's head: a new target starts there. */
  log: { latestSeq(): Promise<number> };
  logger: Logger;
  now: () => number;
  maxAgeMs: number;
  timeoutMs: number;
  backoff?: BackoffPolicy;
  leadership: Leadership;
  /** Several instances share the store: idle queues look again this often (a redelivery asked elsewhere). */
  recheckMs?: number;
  onOutcome?(label: string, outcome: DeliveryOutcome): void;
  /** A target started or stopped failing (the page's header warning). */
  onStatusChange?(status: ForwardingStatus): void;
}

export type ResumeResult = 'resumed' | 'not_stopped' | 'no_target';

export type RedeliveryResult = { status: 'queued'; targets: number[] } | { status: 'not_found' } | { status: 'no_target' } | { status: 'pending'; targets: number[] };

export class Forwarder {
  private readonly queues: TargetQueue[];
  /** Stopped: a change of leadership no longer starts the queues. */
  private stopped = false;
  /** Not leading on a shared store: whether a target was failing, as last read from the store. */
  private recordedFailing = false;
  private watch: NodeJS.Timeout | undefined;
  private readonly pressure = new IntakePressure();

  constructor(private readonly options: ForwarderOptions) {
    const platforms = new Map<SourceId, EnabledPlatform>(options.platforms.map((platform) => [platform.id, platform]));
    this.queues = options.targets.map(
      (target, i) =>
        new TargetQueue(target, i + 1, {
          store: options.store,
          platforms,
          log: options.logger,
          now: options.now,
          maxAgeMs: options.maxAgeMs,
          timeoutMs: options.timeoutMs,
          backoff: options.backoff ?? DEFAULT_BACKOFF,
          recheckMs: options.recheckMs,
          onOutcome: (label, outcome) => options.onOutcome?.(label, outcome),
          onStatusChange: () => this.statusChanged(),
          pressure: this.pressure,
        }),
    );
  }

  get enabled(): boolean {
    return this.queues.length > 0;
  }

  /**
   * Registers new targets at the log's head, then delivers while this instance leads: a new leader starts
   * its queues from the cursors in the store, a former leader stops its own (the attempt under way is
   * aborted and stays pending, for the new leader to make again with the same delivery id).
   */
  async start(): Promise<void> {
    if (!this.enabled) return;
    const head = await this.options.log.latestSeq();
    for (const queue of this.queues) await this.options.store.openTarget(queue.url, head);
    const { leadership } = this.options;
    leadership.onChange((leading) => {
      if (this.stopped) return;
      if (leading) this.startQueues();
      else void this.stopQueues().then(() => this.statusChanged());
    });
    if (leadership.isLeader()) this.startQueues();
    this.watchRecordedFailures();
    this.pressure.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.watch);
    this.pressure.stop();
    await this.stopQueues();
  }

  /** Called after each commit: queues look for what is new. */
  notify(entries: readonly StoredEvent[] = []): void {
    let webhooks = 0;
    for (const entry of entries) if (entry.kind === 'webhook') webhooks++;
    this.pressure.stored(webhooks);
    for (const queue of this.queues) queue.notify();
  }

  async status(): Promise<ForwardingStatus> {
    const targets = await Promise.all(this.queues.map((queue) => queue.status()));
    return { leader: this.options.leadership.isLeader(), targets, failing: targets.some((target) => target.state === 'failing' || target.state === 'stopped') };
  }

  /** Each target's delivery of one stored webhook; undefined when the log has no such webhook. */
  async deliveriesOf(seq: number): Promise<DeliveryView[] | undefined> {
    const { store } = this.options;
    const entry = await store.webhook(seq);
    if (!entry) return undefined;
    const attempts = new Map<string, AttemptRecord>((await store.attemptsAt(seq)).map((attempt) => [attempt.target, attempt]));
    const targets = new Map(await Promise.all(this.queues.map(async (queue) => [queue.url, await store.target(queue.url)] as const)));
    return this.queues.map((queue): DeliveryView => {
      const attempt = attempts.get(queue.url) ?? queue.unrecordedAttempt(seq);
      const view = { index: queue.index, label: queue.label, redelivery: false, attempts: 0, nextTryAt: null, lastAt: null, lastStatus: null, lastLatencyMs: null, lastError: null };
      if (attempt) {
        return {
          ...view,
          state: attempt.state,
          redelivery: attempt.redelivery,
          attempts: attempt.attempts,
          nextTryAt: attempt.state === 'pending' ? (attempt.nextTryAt ?? null) : null,
          lastAt: attempt.lastAt ?? null,
          lastStatus: attempt.lastStatus ?? null,
          lastLatencyMs: attempt.lastLatencyMs ?? null,
          lastError: attempt.lastError ?? null,
        };
      }
      if (!targetWants(queue.target, entry)) return { ...view, state: 'not-wanted' };
      const target = targets.get(queue.url);
      if (!target || seq <= target.addedAfter) return { ...view, state: 'before-target' };
      // No attempt yet: waiting its turn. (Attempts of delivered webhooks are forgotten only with the webhook.)
      return { ...view, state: seq > target.cursor ? 'pending' : 'delivered' };
    });
  }

  /**
   * Sends one stored webhook again, to the target at `index` (from 1) or to every target that wants it.
   * A webhook still pending for a target is not queued twice there.
   */
  async redeliver(seq: number, index?: number): Promise<RedeliveryResult> {
    const { store, now } = this.options;
    const entry = await store.webhook(seq);
    if (!entry) return { status: 'not_found' };
    const chosen = index === undefined ? this.queues.filter((queue) => targetWants(queue.target, entry)) : this.queues.filter((queue) => queue.index === index);
    if (chosen.length === 0) return { status: 'no_target' };
    const pending: number[] = [];
    const queued: number[] = [];
    for (const queue of chosen) {
      const cursor = (await store.target(queue.url))?.cursor ?? 0;
      const attempt = await store.attempt(queue.url, seq);
      if ((seq > cursor && targetWants(queue.target, entry)) || attempt?.state === 'pending') {
        pending.push(queue.index);
        continue;
      }
      // Kept in the store: the leader delivers it, whichever instance was asked.
      await store.requestRedelivery(queue.url, seq, now());
      queue.notify();
      queued.push(queue.index);
    }
    return queued.length > 0 ? { status: 'queued', targets: queued } : { status: 'pending', targets: pending };
  }

  /**
   * Lets a target stopped by a 410 Gone (target `index`, from 1) be delivered to again, from where it
   * stopped: the webhook it refused first. Kept in the store, so the instance that delivers resumes it
   * whichever instance was asked (at once here; within `recheckMs` on another).
   */
  async resume(index: number): Promise<ResumeResult> {
    const queue = this.queues.find((candidate) => candidate.index === index);
    if (!queue) return 'no_target';
    if (!(await this.options.store.resumeTarget(queue.url))) return 'not_stopped';
    this.options.logger.info({ target: queue.label }, `forwarding to ${queue.label} was resumed by an operator`);
    queue.notify();
    this.statusChanged();
    return 'resumed';
  }

  /**
   * What pruning must keep: entries after the lowest cursor of a running target, unless received before
   * FORWARD_MAX_AGE ago (those are given up anyway). Undefined when no target holds anything.
   */
  async retentionHold(): Promise<RetentionLimits['hold']> {
    if (!this.enabled) return undefined;
    const afterSeq = Math.min(...(await Promise.all(this.queues.map((queue) => queue.neededAfter()))));
    if (afterSeq === Number.MAX_SAFE_INTEGER) return undefined;
    return { afterSeq, receivedSince: this.options.now() - this.options.maxAgeMs };
  }

  /** Forgets attempt state of webhooks the log no longer has. */
  async forgetThrough(seq: number): Promise<void> {
    if (this.enabled) await this.options.store.forgetAttemptsThrough(seq);
  }

  private startQueues(): void {
    for (const queue of this.queues) queue.start();
    this.statusChanged();
  }

  /**
   * On a shared store, an instance that does not deliver hears of no attempt: it reads what the leader
   * recorded every `recheckMs`, and tells its own pages when a target starts or stops failing, so that
   * the header warns on every instance.
   */
  private watchRecordedFailures(): void {
    const { recheckMs, leadership } = this.options;
    if (recheckMs === undefined) return;
    const look = async () => {
      if (leadership.isLeader()) {
        this.recordedFailing = false;
        return;
      }
      const failing = (await Promise.all(this.queues.map((queue) => queue.recordedFailing()))).some(Boolean);
      if (failing !== this.recordedFailing && !leadership.isLeader()) {
        this.recordedFailing = failing;
        this.statusChanged();
      }
    };
    const tick = () => {
      // A store that cannot be read now is read again at the next tick.
      void look()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.watch = setTimeout(tick, recheckMs).unref();
        });
    };
    tick();
  }

  /** Tells the page (a `forwarding` frame); a store that cannot be read now leaves it to the next change. */
  private statusChanged(): void {
    const { onStatusChange } = this.options;
    if (!onStatusChange) return;
    this.status().then(onStatusChange, () => undefined);
  }

  private async stopQueues(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.stop()));
  }
}
