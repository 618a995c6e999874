// What GET /metrics exposes (Prometheus text format, prom-client). One registry per roomwatch, so that
// several receivers in one process (tests) never share counters. Stages that count something get the
// metric they need from here; figures that are states (open streams, rows) are read when scraped.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A figure read at scrape time: a plain number, or values by label set. */
type Reading = () => number | { labels: Record<string, string>; value: number }[];

export class Metrics {
  readonly registry = new Registry();

  /** Every webhook request that reached a platform's path, before any check. */
  readonly webhooksReceived = new Counter({
    name: 'roomwatch_webhooks_received_total',
    help: 'Webhook requests received on a platform path, before any check',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  /** Newly stored webhook events (a batch counts each element). */
  readonly webhooksAccepted = new Counter({
    name: 'roomwatch_webhooks_accepted_total',
    help: 'Webhook events authenticated and newly stored',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  /** A platform's retry of an event already stored: acknowledged, not stored again. */
  readonly webhooksRepeated = new Counter({
    name: 'roomwatch_webhooks_repeated_total',
    help: 'Webhook events acknowledged as repeats of stored ones',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  readonly webhooksRefused = new Counter({
    name: 'roomwatch_webhooks_refused_total',
    help: 'Webhook requests refused, by reason',
    labelNames: ['platform', 'reason'] as const,
    registers: [this.registry],
  });
  /** From the first byte of a webhook request to its acknowledgement (after the commit). */
  readonly commitSeconds = new Histogram({
    name: 'roomwatch_webhook_commit_seconds',
    help: 'Time from receiving a webhook to acknowledging it after the commit',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** Frames written to SSE clients (one per client per frame). */
  readonly framesWritten = new Counter({
    name: 'roomwatch_sse_frames_written_total',
    help: 'Frames written to /events clients, counted once per client',
    registers: [this.registry],
  });
  readonly clientsDropped = new Counter({
    name: 'roomwatch_sse_clients_dropped_total',
    help: '/events clients disconnected by the server, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly reconcileRuns = new Counter({
    name: 'roomwatch_reconcile_runs_total',
    help: 'Reconciliations with a platform REST API',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  readonly reconcileFailures = new Counter({
    name: 'roomwatch_reconcile_failures_total',
    help: 'Reconciliations that failed (API unreachable or erroring)',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  /** Attempts at delivering a webhook to a FORWARD_TO target, by its outcome. */
  readonly forwardDeliveries = new Counter({
    name: 'roomwatch_forward_deliveries_total',
    help: 'Forwarding attempts, by target (URL without credentials or query) and outcome: delivered, retry, failed (given up), gone (410)',
    labelNames: ['target', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly logLinesDropped = new Counter({
    name: 'roomwatch_log_lines_dropped_total',
    help: 'Log lines dropped because the log output could not keep up or failed',
    registers: [this.registry],
  });

  private readonly readings = new Map<string, Reading>();
  private readonly refreshers: (() => Promise<void>)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.gauge('roomwatch_sse_streams', 'Open /events streams');
    this.gauge('roomwatch_sse_replay_backlog', 'Log entries that catching-up /events clients have still to receive');
    this.gauge('roomwatch_store_bytes', 'Size of the event store on disk');
    this.gauge('roomwatch_store_events', 'Entries in the event log, by kind', ['kind']);
    this.gauge('roomwatch_store_latest_seq', 'Sequence number of the newest log entry');
    this.gauge('roomwatch_rooms', 'Room rows, by platform and status', ['platform', 'status']);
    this.gauge('roomwatch_recordings', 'Recording rows, by platform and status', ['platform', 'status']);
    this.gauge('roomwatch_forward_backlog', 'Stored webhooks a forwarding target has still to get, by target', ['target']);
    this.gauge('roomwatch_webhook_bytes_in_flight', 'Bytes of webhook bodies being received or handled (bounded by MAX_WEBHOOK_BYTES_IN_FLIGHT)');
    this.gauge('roomwatch_leader', '1 while this instance runs what must run once (reconciliation, pruning, forwarding), else 0');
  }

  /**
   * Says how to read a state figure when scraped: `roomwatch_sse_streams`, `roomwatch_sse_replay_backlog`,
   * `roomwatch_store_bytes`, `roomwatch_store_events`, `roomwatch_store_latest_seq`, `roomwatch_rooms`,
   * `roomwatch_recordings`, `roomwatch_webhook_bytes_in_flight`, `roomwatch_leader`, `roomwatch_forward_backlog`. A figure nobody reads stays absent from the output.
   */
  read(name: string, reading: Reading): void {
    if (!this.registry.getSingleMetric(name)) throw new Error(`no gauge named ${name}`);
    this.readings.set(name, reading);
  }

  /** Runs before each scrape, for figures that are read asynchronously (the store's) and then kept for `read`. */
  refreshBeforeScrape(refresh: () => Promise<void>): void {
    this.refreshers.push(refresh);
  }

  /** The text a Prometheus scrape gets, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    await Promise.all(this.refreshers.map((refresh) => refresh()));
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  private gauge(name: string, help: string, labelNames: string[] = []): void {
    const readings = this.readings;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        const reading = readings.get(name);
        if (!reading) return;
        this.reset();
        const value = reading();
        if (typeof value === 'number') this.set(value);
        else for (const { labels, value: v } of value) this.set(labels, v);
      },
    });
  }
}
