// Whether the store can commit now, for GET /readyz. Two signals: real commits (a failed one makes the
// store not ready at once; a later success makes it ready again) and a probe, a tiny real commit that
// /readyz runs at most once a second, so readiness also comes back by itself when nothing else writes.
import type { Db } from './database.js';

const PROBE_INTERVAL_MS = 1000;
const PROBE_KEY = 'readiness_probe';

export type Readiness = { ready: true } | { ready: false; reason: string };

export class StoreReadiness {
  private failure: string | undefined;
  private probedAt = Number.NEGATIVE_INFINITY;
  private readonly probe;

  constructor(db: Db) {
    const write = db.prepare<[string, number]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.probe = db.transaction((at: number) => write.run(PROBE_KEY, at));
  }

  commitSucceeded(): void {
    this.failure = undefined;
  }

  commitFailed(error: unknown): void {
    // Only the store's own errors: a bug in the work inside a transaction says nothing about the disk.
    if (!String((error as { code?: unknown }).code).startsWith('SQLITE_')) return;
    this.failure = describe(error);
    // The next /readyz probes again rather than trusting an older probe.
    this.probedAt = Number.NEGATIVE_INFINITY;
  }

  check(): Readiness {
    // A rate limit, not a time of day: the monotonic clock.
    const now = performance.now();
    if (now - this.probedAt >= PROBE_INTERVAL_MS) {
      this.probedAt = now;
      try {
        this.probe(Date.now());
        this.failure = undefined;
      } catch (error) {
        this.failure = describe(error);
      }
    }
    return this.failure === undefined ? { ready: true } : { ready: false, reason: this.failure };
  }
}

/** SQLite's code and message, e.g. "SQLITE_FULL: database or disk is full". */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return `the store cannot commit: ${typeof code === 'string' ? `${code}: ` : ''}${message}`;
}
