// Drives webhook connections in the two shapes the bench needs: as fast as the server answers
// (closed loop, for throughput) and at a fixed rate (for CPU per webhook and delivery latency).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookConnection, type RequestOutcome } from './webhook-connection.js';

/** What the server answered to the requests of one run. */
export class RequestTally {
  sent = 0;
  /** 200 responses: deliveries the server verified, stored and acknowledged. */
  acked = 0;
  /** Other status codes, by code. */
  readonly otherStatuses: Record<string, number> = {};
  /** Requests that got no response at all. */
  failed = 0;
  firstFailure: string | undefined;

  record(outcome: RequestOutcome): void {
    if (outcome === 200) this.acked++;
    else if (typeof outcome === 'number') this.otherStatuses[outcome] = (this.otherStatuses[outcome] ?? 0) + 1;
    else {
      this.failed++;
      this.firstFailure ??= outcome.message;
    }
  }

  /** Empty when every request was answered 200; otherwise says what went wrong, for the report. */
  problems(): string[] {
    const problems = Object.entries(this.otherStatuses).map(([status, count]) => `${count} × HTTP ${status}`);
    if (this.failed > 0) problems.push(`${this.failed} without a response (first: ${this.firstFailure})`);
    return problems;
  }
}

export async function openWebhookConnections(port: number, count: number): Promise<WebhookConnection[]> {
  return Promise.all(Array.from({ length: count }, () => WebhookConnection.open(port)));
}

export function closeWebhookConnections(connections: readonly WebhookConnection[]): void {
  for (const connection of connections) connection.close();
}

export interface ClosedLoopResult {
  tally: RequestTally;
  /** Webhooks acknowledged during the measured window (after the warm-up). */
  ackedInWindow: number;
  measuredMs: number;
}

/** A request in flight after the run is over gets this long to be answered before the run gives up on it. */
const DRAIN_TIMEOUT_MS = 10_000;
/** Pause after a request that got no response, so that a dead server is not hammered in a tight loop. */
const RETRY_PAUSE_MS = 10;

/**
 * Every connection sends its next request as soon as the previous one is answered. Counts the 200s
 * answered during the measured window that follows the warm-up, then waits for the last answers.
 */
export async function runClosedLoop(
  connections: readonly WebhookConnection[],
  nextRequest: () => Buffer,
  { warmupMs, measureMs }: { warmupMs: number; measureMs: number },
): Promise<ClosedLoopResult> {
  const tally = new RequestTally();
  let stopping = false;
  let inFlight = 0;
  let drained: () => void = () => {};

  const sendNext = (connection: WebhookConnection): void => {
    inFlight++;
    tally.sent++;
    connection.send(nextRequest(), (outcome) => {
      inFlight--;
      tally.record(outcome);
      if (stopping) {
        if (inFlight === 0) drained();
      } else if (outcome instanceof Error) {
        setTimeout(() => {
          if (!stopping) sendNext(connection);
        }, RETRY_PAUSE_MS);
      } else {
        sendNext(connection);
      }
    });
  };

  connections.forEach(sendNext);
  await sleep(warmupMs);
  const startedAt = performance.now();
  const ackedBefore = tally.acked;
  await sleep(measureMs);
  const measuredMs = performance.now() - startedAt;
  const ackedInWindow = tally.acked - ackedBefore;
  stopping = true;
  await waitUntilDrained(() => inFlight, (callback) => (drained = callback));
  return { tally, ackedInWindow, measuredMs };
}

export interface PacedResult {
  tally: RequestTally;
  /** Send times that found every connection still waiting for an answer, so nothing was sent. */
  skipped: number;
}

/**
 * Sends `ratePerSecond` requests on a fixed schedule (drift-free: each send time is computed from the
 * start) on whichever connection is idle, then waits for the last answers.
 */
export async function runPaced(
  connections: readonly WebhookConnection[],
  nextRequest: () => Buffer,
  { ratePerSecond, durationMs }: { ratePerSecond: number; durationMs: number },
): Promise<PacedResult> {
  const tally = new RequestTally();
  const intervalMs = 1000 / ratePerSecond;
  const sends = Math.round((durationMs * ratePerSecond) / 1000);
  let skipped = 0;
  let inFlight = 0;
  let drained: () => void = () => {};
  let finishedScheduling = false;

  const startedAt = performance.now();
  for (let i = 0; i < sends; i++) {
    await sleep(Math.max(0, startedAt + i * intervalMs - performance.now()));
    const idle = connections.find((connection) => !connection.busy);
    if (!idle) {
      skipped++;
      continue;
    }
    inFlight++;
    tally.sent++;
    idle.send(nextRequest(), (outcome) => {
      inFlight--;
      tally.record(outcome);
      if (finishedScheduling && inFlight === 0) drained();
    });
  }
  await sleep(Math.max(0, startedAt + durationMs - performance.now()));
  finishedScheduling = true;
  await waitUntilDrained(() => inFlight, (callback) => (drained = callback));
  return { tally, skipped };
}

async function waitUntilDrained(inFlight: () => number, onDrained: (callback: () => void) => void): Promise<void> {
  if (inFlight() === 0) return;
  await Promise.race([new Promise<void>((resolve) => onDrained(resolve)), sleep(DRAIN_TIMEOUT_MS, undefined, { ref: false })]);
}
