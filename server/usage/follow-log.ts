// Builds the usage aggregate once at start by reading the log in pages, then follows every new entry
// through `onCommitted` — which on PostgreSQL carries other instances' entries too, so every instance
// shows the same stored webhooks and meetings. Through the Store interface only: works on both backends.
import type { StoredEvent } from '../domain/events.js';
import type { Store } from '../store/store.js';
import { UsageAggregate } from './usage-aggregate.js';

/** Entries read per page at start: bounds the memory one page holds. */
const PAGE = 1000;

export async function followLogForUsage(store: Pick<Store, 'readAfter' | 'onCommitted' | 'rows'>, now: () => number, pageSize = PAGE): Promise<UsageAggregate> {
  const usage = new UsageAggregate(now());
  // Subscribed before reading: what commits meanwhile waits here, and what the pages already had is skipped.
  let loaded = false;
  const waiting: StoredEvent[] = [];
  store.onCommitted((entries) => {
    if (!loaded) waiting.push(...entries);
    else usage.applyEntries(entries);
  });
  let through = 0;
  for (;;) {
    const page = await store.readAfter(through, pageSize);
    if (page.length === 0) break;
    usage.applyEntries(page);
    through = page.at(-1)!.seq;
  }
  usage.applyEntries(waiting.filter((entry) => entry.seq > through));
  loaded = true;
  usage.adoptOngoing(store.rows.allRooms(), now());
  return usage;
}
