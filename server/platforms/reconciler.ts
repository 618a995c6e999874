// Re-reads a platform's rooms and recordings from its REST API so that missed webhooks heal by
// themselves: at start, every RECONCILE_INTERVAL_MS, soon after a session ends (the platform may say
// nothing when a room is closed or deleted), and as soon as the API answers again after an outage.
// One per platform with an API (./types.ts `api`), each with its own status.
import type { ApiStatus } from '../domain/rows.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { PlatformApi } from './types.js';

export interface ReconcilerOptions {
  platform: { id: string; label: string };
  api: PlatformApi;
  store: Pick<Store, 'writeRows'>;
  log: Logger;
  intervalMs: number;
  /** While the API does not answer, how often to try again. */
  retryMs?: number;
  /** Called whenever the API's status changes (reachable, unreachable, error text). */
  onStatus?: (status: ApiStatus) => void;
  now?: () => number;
  /** Counts each read (`platform` label) and each failed one. */
  metrics?: Pick<Metrics, 'reconcileRuns' | 'reconcileFailures'>;
  /** Whether this instance reads now: only the leader does when several share a store (default: always). */
  leading?: () => boolean;
}

export class Reconciler {
  status: ApiStatus;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ReconcilerOptions) {
    this.status = { state: 'unknown', url: options.api.url, checkedAt: null };
  }

  /** Reads now, then keeps reading on schedule. */
  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.soon);
  }

  /** Asks for a read in a moment; several asks close together make one read. */
  refreshSoon(delayMs = 1500): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.run();
    }, delayMs);
    this.soon.unref();
  }

  /** One complete read and merge. Never rejects: failures become the API status. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.readAndMerge().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.run();
      }
    });
    return this.running;
  }

  private async readAndMerge(): Promise<void> {
    const { api, store, log, platform } = this.options;
    const now = this.options.now ?? Date.now;
    if (this.options.leading && !this.options.leading()) {
      // Another instance reads; this one looks again at the next interval, in case it leads by then.
      this.schedule(this.options.intervalMs);
      return;
    }
    const readStartedAt = now();
    try {
      const merge = await api.reconcile(readStartedAt);
      if (this.stopped) return;
      // The merge reads the rows inside the commit: a webhook stored meanwhile is seen, never overwritten.
      const logged = await store.writeRows(merge);
      this.options.metrics?.reconcileRuns.inc({ platform: platform.id });
      if (logged.length > 0) log.info({ platform: platform.id, changes: logged.length }, `reconciled rooms and recordings with the ${platform.label} API`);
      this.setStatus({ state: 'reachable', url: api.url, checkedAt: now() });
      this.schedule(this.options.intervalMs);
    } catch (error) {
      if (this.stopped) return;
      this.options.metrics?.reconcileRuns.inc({ platform: platform.id });
      this.options.metrics?.reconcileFailures.inc({ platform: platform.id });
      this.setStatus({ state: 'unreachable', url: api.url, checkedAt: now(), error: (error as Error).message });
      this.schedule(this.options.retryMs ?? 15_000);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref();
  }

  private setStatus(next: ApiStatus): void {
    const changed = next.state !== this.status.state || next.error !== this.status.error || next.url !== this.status.url;
    this.status = next;
    if (!changed) return;
    const { log, platform } = this.options;
    if (next.state === 'reachable') log.info({ platform: platform.id, api: next.url }, `${platform.label} API is reachable`);
    else log.warn({ platform: platform.id, api: next.url, error: next.error }, `${platform.label} API is not reachable; the dashboard shows webhook-derived state`);
    this.options.onStatus?.(next);
  }
}
