// Deliveries give way to intake during a burst. Forwarding runs on the thread that verifies and stores
// webhooks, so while a burst keeps that thread busy every delivery made is intake time lost (profiled: one
// delivery costs about as much as two or three webhooks). During a burst, deliveries to all targets
// together go at a trickle (one per `burstSpacingMs`); they lag, and catch up at full speed once the
// burst is over. Only the time of a delivery changes: order per target and at-least-once are untouched.
//
// A burst: in the last window, the event loop was busy at least `busyUtilization` of the time *and* at
// least `minBurstWebhooks` webhooks were stored. Both, so that neither a trickle of webhooks while the
// forwarder itself catches up a backlog (busy, but not with intake) nor a steady light load (webhooks,
// but an idle loop) slows deliveries. The loop's busy time includes forwarding's own: a catch-up at full
// speed beside a moderate intake may read as a burst, but then the trickle leaves the loop idle and the
// next window lets deliveries go again, so such a catch-up is slowed at most by half, never held.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface PressureSettings {
  windowMs: number;
  busyUtilization: number;
  minBurstWebhooks: number;
  burstSpacingMs: number;
}

export const DEFAULT_PRESSURE: PressureSettings = {
  windowMs: 100,
  busyUtilization: 0.75,
  // 200 webhooks/s: far above what a platform sends in steady use, far below what saturates a core.
  minBurstWebhooks: 20,
  // 50 deliveries/s in all during a burst: about 2% of the thread (profiled: ~0.35 ms each, request,
  // signature and commit), and no target is starved outright.
  burstSpacingMs: 20,
};

/** Whether a window with this much of the loop busy (0–1) and these webhooks stored was a burst. */
export function isBurst(utilization: number, webhooksStored: number, settings: PressureSettings = DEFAULT_PRESSURE): boolean {
  return utilization >= settings.busyUtilization && webhooksStored >= settings.minBurstWebhooks;
}

export class IntakePressure {
  private storedInWindow = 0;
  private burst = false;
  private lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  private timer: NodeJS.Timeout | undefined;
  /** During a burst, when the next delivery (of any target) may go. */
  private nextTurnAt = 0;

  constructor(private readonly settings: PressureSettings = DEFAULT_PRESSURE) {}

  /** Looks at the event loop once a window, while forwarding runs. */
  start(): void {
    if (this.timer) return;
    this.lastUtilization = performance.eventLoopUtilization();
    this.timer = setInterval(() => this.look(), this.settings.windowMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.burst = false;
  }

  /** Webhooks were stored (each commit). */
  stored(count = 1): void {
    this.storedInWindow += count;
  }

  /** Resolves when the next delivery may go: at once outside a burst, else at its place in the trickle. */
  turn(): Promise<void> {
    if (!this.burst) return Promise.resolve();
    const now = performance.now();
    const at = Math.max(now, this.nextTurnAt);
    this.nextTurnAt = at + this.settings.burstSpacingMs;
    if (at <= now) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, at - now));
  }

  private look(): void {
    const utilization = performance.eventLoopUtilization(this.lastUtilization).utilization;
    this.lastUtilization = performance.eventLoopUtilization();
    this.burst = isBurst(utilization, this.storedInWindow, this.settings);
    this.storedInWindow = 0;
  }
}
