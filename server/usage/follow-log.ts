// Builds the usage aggregate by reading the log in pages, then follows every new entry through
// `onCommitted` — which on PostgreSQL carries other instances' entries too, so every instance shows the
// same stored webhooks and meetings. Through the Store interface only: works on both backends.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StoredEvent } from '../domain/events.js';
import type { Store } from '../store/store.js';
import { UsageAggregate } from './usage-aggregate.js';

/** Entries read per page: bounds the memory one page holds. */
const PAGE = 1000;

export interface UsageFollower {
  /** Counts repeats and refusals from the start; answers about the log once `built` has resolved. */
  usage: UsageAggregate;
  /**
   * Resolves once the log read at start is counted (about 2 s for 100 000 stored webhooks here), so that
   * start-up need not wait for it; rejects when the log could not be read.
   */
  built: Promise<void>;
}

/** Subscribes at once (synchronously), then reads the log in the background. */
export function followLogForUsage(store: Pick<Store, 'readAfter' | 'onCommitted' | 'rows'>, now: () => number, pageSize = PAGE): UsageFollower {
  const usage = new UsageAggregate(now());
  // What commits while the log is read waits here, and what the pages already had is skipped.
  let loaded = false;
  const waiting: StoredEvent[] = [];
  store.onCommitted((entries) => {
    if (!loaded) waiting.push(...entries);
    else usage.applyEntries(entries);
  });
  const built = (async () => {
    let through = 0;
    for (;;) {
      const page = await store.readAfter(through, pageSize);
      if (page.length === 0) break;
      usage.applyEntries(page);
      through = page.at(-1)!.seq;
      // A SQLite read answers at once: let webhooks and requests through between pages.
      await nextTurn();
    }
    usage.applyEntries(waiting.filter((entry) => entry.seq > through));
    waiting.length = 0;
    loaded = true;
    // Meetings the rows show on whose start is no longer in the log (pruned).
    usage.adoptOngoing(store.rows.allRooms(), now());
  })();
  return { usage, built };
}
