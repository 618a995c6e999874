// The store's state figures for GET /metrics: size on disk, entries by kind, newest sequence number, and
// rows by platform and status. The counts read an index or the (small) row tables: about 5 ms at 100 000
// events, so they are kept for a couple of seconds and a busy scraper cannot make them a load.
import { statSync } from 'node:fs';
import type { Db } from './database.js';
import type { EventLog } from './event-log.js';
import type { Metrics } from '../metrics.js';

const CACHE_MS = 2000;

type Labelled = { labels: Record<string, string>; value: number }[];

export function readStoreFigures(metrics: Metrics, db: Db, events: EventLog): void {
  const countEvents = db.prepare<[], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM events GROUP BY kind');
  // Tombstones (rows gone from their platform, kept so a late event cannot revive them) count as `removed`.
  const rowsByStatus = (table: 'rooms' | 'recordings') =>
    db.prepare<[], { source: string; status: string; n: number }>(
      `SELECT source, CASE WHEN json_extract(row, '$.removed') THEN 'removed' ELSE json_extract(row, '$.status') END AS status,
              count(*) AS n
       FROM ${table} GROUP BY 1, 2`,
    );
  const countRooms = rowsByStatus('rooms');
  const countRecordings = rowsByStatus('recordings');
  const byPlatform = (rows: { source: string; status: string; n: number }[]): Labelled =>
    rows.map(({ source, status, n }) => ({ labels: { platform: source, status: String(status) }, value: n }));

  metrics.read('roomwatch_store_bytes', () => fileSize(db.name) + fileSize(`${db.name}-wal`));
  metrics.read('roomwatch_store_latest_seq', () => events.latestSeq());
  metrics.read(
    'roomwatch_store_events',
    cached(() => countEvents.all().map(({ kind, n }) => ({ labels: { kind }, value: n }))),
  );
  metrics.read('roomwatch_rooms', cached(() => byPlatform(countRooms.all())));
  metrics.read('roomwatch_recordings', cached(() => byPlatform(countRecordings.all())));
}

/** The last reading, while it is younger than CACHE_MS (monotonic clock: a rate limit, not a date). */
function cached(read: () => Labelled): () => Labelled {
  let value: Labelled = [];
  let readAt = Number.NEGATIVE_INFINITY;
  return () => {
    if (performance.now() - readAt >= CACHE_MS) {
      value = read();
      readAt = performance.now();
    }
    return value;
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // no WAL file (yet)
  }
}
