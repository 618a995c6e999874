// One target's deliveries, one at a time, in store order: the next webhook after its cursor that it wants
// (or a redelivery asked for from the dashboard, first), tried until a 2xx, a 410 or FORWARD_MAX_AGE. The
// cursor moves in the commit that records the success, so a kill between the target's answer and that
// commit repeats that one delivery, with the same delivery id, and nothing else. A target that is down
// holds back only its own queue.
import type { Logger } from '../logger.js';
import type { EnabledPlatform } from '../platforms/index.js';
import type { SourceId } from '../platforms/catalog.js';
import { retryDelayMs, type BackoffPolicy } from './backoff.js';
import { attemptDelivery, type AttemptOutcome } from './delivery-attempt.js';
import type { AttemptRecord, ForwardEntry, ForwardingStore } from '../store/forwarding-store.js';
import { targetLabel, targetWants, type ForwardTarget } from './targets.js';
import { Wakeup } from './wakeup.js';
import type { IntakePressure } from './intake-pressure.js';
import type { TargetStatus } from './api-types.js';

/** Webhooks read ahead at once, at most, and their bodies' bytes at most (one large body still goes alone). */
const READ_AHEAD = { limit: 500, maxBytes: 1024 * 1024 };
/** The pause after the store failed under a queue, before it looks again. */
const STORE_ERROR_PAUSE_MS = 5000;
/** Inspector rows of first-try successes written together, at most this many at once (and whenever the queue is idle). */
const DETAILS_BATCH = 200;

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'gone';

export interface QueueDeps {
  store: ForwardingStore;
  platforms: ReadonlyMap<SourceId, EnabledPlatform>;
  log: Logger;
  now: () => number;
  maxAgeMs: number;
  timeoutMs: number;
  backoff: BackoffPolicy;
  /**
   * On a store shared by several instances, how often an idle queue looks again: a redelivery asked of
   * another instance is written to the store, and nothing else wakes this one. Undefined: only wake-ups.
   */
  recheckMs: number | undefined;
  /** Each attempt's outcome (metrics). */
  onOutcome(label: string, outcome: DeliveryOutcome): void;
  /** The target started or stopped failing, or stopped for good. */
  onStatusChange(): void;
  /** Shared by all targets: during a burst of intake, deliveries wait their turn. */
  pressure: IntakePressure;
}

interface Work {
  entry: ForwardEntry;
  /** The attempts already made at it (before a restart, or a redelivery's request). */
  previous: AttemptRecord | undefined;
  redelivery: boolean;
}

export class TargetQueue {
  readonly label: string;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly wakeup = new Wakeup();
  private abort = new AbortController();
  private cursor = 0;
  /**
   * The wanted webhooks after the cursor, read ahead in store order (the log never changes them), and the
   * last seq read: one read of the log serves many deliveries.
   */
  private ahead: ForwardEntry[] = [];
  private readThrough = 0;
  /**
   * 410 Gone: nothing more is sent to it until an operator resumes it. Kept in the store (so a restart, or
   * another instance taking over, keeps it stopped); this is the delivering queue's copy.
   */
  private stopped: { at: number; reason: string } | undefined;
  /**
   * First tries that succeeded, recorded (the cursor moved) but whose inspector rows are not written yet:
   * written in batches, because a commit per delivery costs intake time. A kill loses only these rows'
   * details (the inspector then shows those webhooks delivered, without status and latency).
   */
  private unrecorded: AttemptRecord[] = [];
  private head: { seq: number; attempts: number; nextTryAt: number | undefined; lastError: string | undefined; delivering: boolean } | undefined;

  constructor(
    readonly target: ForwardTarget,
    readonly index: number,
    private readonly deps: QueueDeps,
  ) {
    this.label = targetLabel(target.url);
  }

  get url(): string {
    return this.target.url;
  }

  /** Begins delivering from the cursor in the store (where the previous leader, or the previous run, stopped). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    // Leadership lost and won again at once: the previous run ends (its attempt aborted) before this one.
    const previous = this.loop;
    this.loop = (async () => {
      await previous;
      this.ahead = [];
      await this.run();
    })();
  }

  /** Stops after the attempt under way is aborted; what it was delivering stays pending. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.wakeup.ring();
    await this.loop;
    this.head = undefined;
  }

  /** New webhooks were stored, or a redelivery was asked for. */
  notify(): void {
    this.wakeup.ring();
  }

  /** A first try's success at `seq` whose row is not in the store yet. */
  unrecordedAttempt(seq: number): AttemptRecord | undefined {
    return this.unrecorded.find((record) => record.seq === seq);
  }

  get failing(): boolean {
    return this.stopped !== undefined || (this.head !== undefined && this.head.attempts > 0 && this.head.lastError !== undefined);
  }

  /**
   * The lowest seq this target may still need, for pruning: entries after this are kept. Read from the
   * store, where the leader moves it (the only instance that prunes is the leader too).
   */
  async neededAfter(): Promise<number> {
    // A stopped target holds nothing back: it may never come back (FORWARD_MAX_AGE bounds the hold anyway).
    const record = await this.deps.store.target(this.url);
    return record?.stopped ? Number.MAX_SAFE_INTEGER : (record?.cursor ?? 0);
  }

  /** Whether the instance that delivers has recorded a failed try at this target's head (read by the others). */
  async recordedFailing(): Promise<boolean> {
    const record = await this.deps.store.target(this.url);
    if (record?.stopped) return true;
    return (await this.deps.store.failingHead(this.url, record?.cursor ?? 0)) !== undefined;
  }

  async status(): Promise<TargetStatus> {
    const record = await this.deps.store.target(this.url);
    const cursor = record?.cursor ?? this.cursor;
    let head = this.head;
    let failing = this.failing;
    let state: TargetStatus['state'] = 'idle';
    // Stopped is read from the store: every instance shows it, and a resume shows at once.
    const stopped = record ? record.stopped : this.stopped;
    if (stopped) state = 'stopped';
    else if (!this.running) {
      // Another instance delivers: whether the target fails is what it last recorded at the head.
      const recorded = await this.deps.store.failingHead(this.url, cursor);
      head = recorded && { seq: recorded.seq, attempts: recorded.attempts, nextTryAt: recorded.nextTryAt, lastError: recorded.lastError, delivering: false };
      failing = recorded !== undefined;
      state = failing ? 'failing' : 'standby';
    } else if (failing) state = 'failing';
    else if (head?.delivering) state = 'delivering';
    return {
      index: this.index,
      label: this.label,
      sources: this.target.sources ?? null,
      events: this.target.events ?? null,
      state,
      backlog: await this.deps.store.countWanted(cursor, this.target.sources, this.target.events),
      lastSuccessAt: record?.lastSuccessAt ?? null,
      lastError: stopped?.reason ?? (failing ? (head?.lastError ?? null) : null),
      headSeq: head?.seq ?? null,
      attempts: head?.attempts ?? 0,
      nextTryAt: state === 'failing' ? (head?.nextTryAt ?? null) : null,
    };
  }

  private async run(): Promise<void> {
    let cursorRead = false;
    while (this.running) {
      try {
        if (!cursorRead) {
          const record = await this.deps.store.target(this.url);
          this.cursor = record?.cursor ?? 0;
          this.readThrough = this.cursor;
          this.stopped = record?.stopped;
          cursorRead = true;
          continue;
        }
        if (this.stopped) await this.waitForResume();
        else await this.step();
      } catch (error) {
        // The store could not be read or written (disk full, locked): nothing was recorded, so the same
        // delivery is looked at again in a moment.
        this.deps.log.error({ err: error, target: this.label }, 'forwarding to this target hit a store error; trying again in 5 s');
        await this.wakeup.wait(STORE_ERROR_PAUSE_MS);
      }
    }
    await this.writeUnrecorded().catch((error: unknown) => this.deps.log.warn({ err: error, target: this.label }, 'the details of some deliveries could not be recorded'));
  }

  /** Stopped (410): waits to be woken (a resume here, or a commit), or for the recheck, and reads whether it was resumed. */
  private async waitForResume(): Promise<void> {
    await this.writeUnrecorded();
    await this.wakeup.wait(this.deps.recheckMs);
    if (!this.running) return;
    const record = await this.deps.store.target(this.url);
    if (record?.stopped) return;
    // Resumed: from its cursor, where it stopped (the webhook it refused comes first, tried again).
    this.stopped = undefined;
    this.cursor = record?.cursor ?? this.cursor;
    this.readThrough = this.cursor;
    this.ahead = [];
    this.deps.onStatusChange();
  }

  private async writeUnrecorded(): Promise<void> {
    if (this.unrecorded.length === 0) return;
    const batch = this.unrecorded.slice();
    await this.deps.store.addDeliveredDetails(batch);
    this.unrecorded.splice(0, batch.length);
  }

  /** One turn: wait for work, wait for its next try, or make one attempt and record it. */
  private async step(): Promise<void> {
    const work = await this.nextWork();
    if (!this.running) return;
    if (!work) {
      await this.writeUnrecorded();
      this.setHead(undefined);
      await this.wakeup.wait(this.deps.recheckMs);
      return;
    }
    const { entry, previous, redelivery } = work;
    const earlier = previous?.state === 'pending' ? previous : undefined;
    const deadline = (redelivery && earlier ? earlier.firstAt : entry.receivedAt) + this.deps.maxAgeMs;
    const now = this.deps.now();
    if (now >= deadline) {
      await this.giveUp(work, earlier, `not delivered within FORWARD_MAX_AGE (${describeMs(this.deps.maxAgeMs)})${earlier?.lastError ? `; last: ${earlier.lastError}` : ''}`);
      return;
    }
    const dueAt = earlier?.nextTryAt ?? now;
    this.setHead({ seq: entry.seq, attempts: earlier?.attempts ?? 0, nextTryAt: dueAt, lastError: earlier?.lastError, delivering: false });
    if (dueAt > now) {
      // A commit or a redelivery wakes the queue early; it looks again and waits the rest.
      await this.wakeup.wait(dueAt - now);
      return;
    }
    await this.deps.pressure.turn();
    if (!this.running) return;
    this.setHead({ ...this.head!, delivering: true });
    const outcome = await attemptDelivery(this.url, entry, this.deps.platforms.get(entry.source), {
      now: this.deps.now(),
      timeoutMs: this.deps.timeoutMs,
      stop: this.abort.signal,
    });
    // Stopped under way: nothing is recorded, the same delivery is made again at the next start.
    if (!this.running) return;
    await this.record(work, earlier, outcome, deadline);
  }

  /** The next delivery: a redelivery first, else the next wanted webhook after the cursor. */
  private async nextWork(): Promise<Work | undefined> {
    const { store } = this.deps;
    const redelivery = await store.nextRedelivery(this.url);
    if (redelivery) {
      const entry = await store.webhook(redelivery.seq);
      if (entry) return { entry, previous: redelivery, redelivery: true };
      await store.recordAttempt({ ...redelivery, state: 'failed', nextTryAt: undefined, lastError: 'pruned from the log before it could be delivered again' });
      return this.nextWork();
    }
    while (this.running) {
      const next = this.ahead[0];
      if (next) return { entry: next, previous: await store.attempt(this.url, next.seq), redelivery: false };
      // Everything read so far is taken care of: what was not wanted is passed too.
      if (this.readThrough > this.cursor) {
        await store.advanceCursor(this.url, this.readThrough);
        this.cursor = this.readThrough;
      }
      const entries = await store.webhooksAfter(this.cursor, READ_AHEAD);
      if (entries.length === 0) return undefined;
      this.readThrough = entries.at(-1)!.seq;
      this.ahead = entries.filter((entry) => targetWants(this.target, entry));
      // Let other work run before the next chunk when none of these was for this target.
      if (this.ahead.length === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return undefined;
  }

  private async record({ entry, redelivery, previous }: Work, earlier: AttemptRecord | undefined, outcome: AttemptOutcome, deadline: number): Promise<void> {
    const now = this.deps.now();
    const attempts = (earlier?.attempts ?? 0) + 1;
    const base: AttemptRecord = {
      target: this.url,
      seq: entry.seq,
      state: 'pending',
      redelivery,
      attempts,
      firstAt: earlier?.firstAt ?? now,
      nextTryAt: undefined,
      lastAt: now,
      lastStatus: outcome.status,
      lastLatencyMs: outcome.latencyMs,
      lastError: undefined,
    };
    // A redelivery is out of the cursor's order: it never moves the cursor.
    const cursor = redelivery ? undefined : entry.seq;
    // With more waiting behind it (a backlog, a burst), a first try's success is kept to one small write
    // and its row follows in a batch; alone (a steady trickle), its row goes in the same commit instead.
    const more = this.ahead.length > 1;
    if (outcome.ok && cursor !== undefined && previous === undefined && more) {
      await this.deps.store.recordDelivered(this.url, entry.seq, now);
      this.unrecorded.push({ ...base, state: 'delivered' });
      this.passed(entry.seq);
      this.deps.onOutcome(this.label, 'delivered');
      this.setHead(undefined);
      if (this.unrecorded.length >= DETAILS_BATCH) await this.writeUnrecorded();
      return;
    }
    if (outcome.ok) {
      await this.deps.store.recordAttempt({ ...base, state: 'delivered' }, cursor);
      if (cursor !== undefined) this.passed(cursor);
      this.deps.onOutcome(this.label, 'delivered');
      this.setHead(undefined);
      return;
    }
    if (outcome.gone) {
      await this.deps.store.recordAttempt({ ...base, lastError: outcome.error });
      const reason = `answered 410 Gone to webhook #${entry.seq}: nothing more is forwarded to it until it is resumed`;
      // Kept in the store: a restart, or another instance taking over, keeps it stopped.
      await this.deps.store.stopTarget(this.url, now, reason);
      this.stopped = { at: now, reason };
      this.deps.log.warn(
        { target: this.label, seq: entry.seq },
        `forwarding target ${this.label} answered 410 Gone: it is stopped (resume it from the inspector's list of targets, or remove it from FORWARD_TO)`,
      );
      this.deps.onOutcome(this.label, 'gone');
      this.deps.onStatusChange();
      return;
    }
    if (outcome.unsignable) {
      // Nothing changes by waiting: the queue moves on rather than hold every later webhook for FORWARD_MAX_AGE.
      await this.giveUp({ entry, redelivery, previous: undefined }, base, outcome.error);
      return;
    }
    const nextTryAt = Math.min(now + retryDelayMs(attempts, this.deps.backoff), deadline);
    await this.deps.store.recordAttempt({ ...base, nextTryAt, lastError: outcome.error });
    this.deps.onOutcome(this.label, 'retry');
    if (attempts === 1) this.deps.log.warn({ target: this.label, seq: entry.seq, error: outcome.error }, `forwarding to ${this.label} failed; retrying with backoff`);
    this.setHead({ seq: entry.seq, attempts, nextTryAt, lastError: outcome.error, delivering: false });
  }

  private async giveUp({ entry, redelivery }: Work, earlier: AttemptRecord | undefined, error: string): Promise<void> {
    const now = this.deps.now();
    await this.deps.store.recordAttempt(
      {
        target: this.url,
        seq: entry.seq,
        state: 'failed',
        redelivery,
        attempts: earlier?.attempts ?? 0,
        firstAt: earlier?.firstAt ?? now,
        nextTryAt: undefined,
        lastAt: earlier?.lastAt ?? now,
        lastStatus: earlier?.lastStatus,
        lastLatencyMs: earlier?.lastLatencyMs,
        lastError: error,
      },
      redelivery ? undefined : entry.seq,
    );
    if (!redelivery) this.passed(entry.seq);
    this.deps.onOutcome(this.label, 'failed');
    this.deps.log.warn({ target: this.label, seq: entry.seq }, `gave up forwarding webhook #${entry.seq} to ${this.label}: ${error}`);
  }

  /** The webhook at the head is taken care of: the cursor is past it. */
  private passed(seq: number): void {
    this.cursor = seq;
    if (this.ahead[0]?.seq === seq) this.ahead.shift();
  }

  /** Changes the head, telling the dashboard when the target starts or stops failing. */
  private setHead(head: TargetQueue['head']): void {
    const wasFailing = this.failing;
    this.head = head;
    if (this.failing !== wasFailing) this.deps.onStatusChange();
  }
}

function describeMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
