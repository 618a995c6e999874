// The store's state figures for GET /metrics: size, entries by kind, newest sequence number, and rows by
// platform and status. The counts read an index or the (small) row tables: about 5 ms at 100 000 events on
// SQLite, so they are kept for a couple of seconds and a busy scraper cannot make them a load.
import type { Metrics } from '../metrics.js';
import type { RowCounts, Store, StoreFigures } from './store.js';

const CACHE_MS = 2000;

type Labelled = { labels: Record<string, string>; value: number }[];

export function readStoreFigures(metrics: Metrics, store: Store): void {
  let figures: StoreFigures | undefined;
  let latestSeq = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  // The monotonic clock: a rate limit, not a date. The newest sequence number is cheap: always fresh.
  metrics.refreshBeforeScrape(async () => {
    if (performance.now() - readAt >= CACHE_MS) {
      figures = await store.figures();
      readAt = performance.now();
    }
    latestSeq = await store.latestSeq();
  });
  const byPlatform = (rows: RowCounts): Labelled => rows.map(({ source, status, n }) => ({ labels: { platform: source, status }, value: n }));

  metrics.read('roomwatch_store_bytes', () => figures?.bytes ?? 0);
  metrics.read('roomwatch_leader', () => (store.leadership.isLeader() ? 1 : 0));
  metrics.read('roomwatch_store_latest_seq', () => latestSeq);
  metrics.read('roomwatch_store_events', () => Object.entries(figures?.eventsByKind ?? {}).map(([kind, n]) => ({ labels: { kind }, value: n })));
  metrics.read('roomwatch_rooms', () => byPlatform(figures?.rooms ?? []));
  metrics.read('roomwatch_recordings', () => byPlatform(figures?.recordings ?? []));
}
