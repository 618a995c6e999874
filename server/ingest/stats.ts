// Counters of what the webhook routes did since start, for /healthz and the logs.
import type { RejectReason } from './rejection.js';

export class IngestStats {
  stored = 0;
  repeats = 0;
  readonly refused: Partial<Record<RejectReason, number>> = {};

  countRefusal(reason: RejectReason): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
  }

  toJSON() {
    return { stored: this.stored, repeats: this.repeats, refused: { ...this.refused } };
  }
}
