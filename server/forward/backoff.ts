// When a failed delivery is tried again: exponential from 1 s, capped at 5 min, with jitter so that the
// deliveries of many roomwatches to one recovering app do not all come back in the same second.

export interface BackoffPolicy {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { firstMs: 1000, maxMs: 5 * 60_000 };

/**
 * The wait after the `failures`-th failed attempt (1 for the first): between half and all of
 * first × 2^(failures − 1), capped at the maximum. `random` is in [0, 1).
 */
export function retryDelayMs(failures: number, { firstMs, maxMs }: BackoffPolicy, random: number = Math.random()): number {
  const ceiling = Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
