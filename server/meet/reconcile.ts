// Re-reads rooms and recordings from the Meet REST API so that missed webhooks heal by themselves:
// at start, every RECONCILE_INTERVAL_MS, soon after a meeting ends (Meet sends nothing when a room is
// closed or deleted, §1.1), and as soon as the API answers again after an outage.
import type { ApiStatus } from '../domain/rows.js';
import { reconcileMeetRecordings, reconcileMeetRooms } from '../domain/meet-projection.js';
import type { EventLog } from '../store/event-log.js';
import type { RowStore } from '../store/row-store.js';
import type { Logger } from '../logger.js';
import type { MeetClient } from './client.js';
import type { Metrics } from '../metrics.js';

export interface ReconcilerOptions {
  client: MeetClient;
  rows: RowStore;
  events: EventLog;
  log: Logger;
  intervalMs: number;
  /** While the API does not answer, how often to try again. */
  retryMs?: number;
  /** Called whenever the API's status changes (reachable, unreachable, error text). */
  onStatus?: (status: ApiStatus) => void;
  now?: () => number;
  /** Counts each read (`platform="meet"`) and each failed one. */
  metrics?: Pick<Metrics, 'reconcileRuns' | 'reconcileFailures'>;
}

export class Reconciler {
  status: ApiStatus;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ReconcilerOptions) {
    this.status = { state: 'unknown', url: options.client.apiUrl, checkedAt: null };
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
    const { client, rows, events, log } = this.options;
    const now = this.options.now ?? Date.now;
    const readStartedAt = now();
    try {
      const [rooms, recordings] = await Promise.all([client.listRooms(), client.listRecordings()]);
      if (this.stopped) return;
      const logged = events.commitChanges(() =>
        rows.write([
          ...reconcileMeetRooms(rooms, rows.allRooms().filter((row) => row.source === 'meet'), readStartedAt, now()),
          ...reconcileMeetRecordings(recordings, rows.allRecordings().filter((row) => row.source === 'meet'), readStartedAt, now()),
        ]),
      );
      this.options.metrics?.reconcileRuns.inc({ platform: 'meet' });
      if (logged.length > 0) log.info({ changes: logged.length }, 'reconciled rooms and recordings with the Meet API');
      this.setStatus({ state: 'reachable', url: client.apiUrl, checkedAt: now() });
      this.schedule(this.options.intervalMs);
    } catch (error) {
      if (this.stopped) return;
      this.options.metrics?.reconcileRuns.inc({ platform: 'meet' });
      this.options.metrics?.reconcileFailures.inc({ platform: 'meet' });
      this.setStatus({ state: 'unreachable', url: client.apiUrl, checkedAt: now(), error: (error as Error).message });
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
    const { log } = this.options;
    if (next.state === 'reachable') log.info({ api: next.url }, 'OpenVidu Meet API is reachable');
    else log.warn({ api: next.url, error: next.error }, 'OpenVidu Meet API is not reachable; the dashboard shows webhook-derived state');
    this.options.onStatus?.(next);
  }
}
