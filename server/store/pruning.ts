// Keeps the event log at its retention size, a chunk at a time so ingest never waits long.
import type { EventLog } from './event-log.js';
import type { Logger } from '../logger.js';

const INTERVAL_MS = 60_000;
const CHUNK = 5000;

/** Prunes now and every minute; returns a function that stops it. */
export function startPruning(events: EventLog, keep: number, log: Logger): () => void {
  let stopped = false;
  const run = () => {
    let total = 0;
    const step = () => {
      if (stopped) return;
      const deleted = events.pruneOldest(keep, CHUNK);
      total += deleted;
      if (deleted === CHUNK) setImmediate(step);
      else if (total > 0) log.info({ deleted: total, keep }, 'pruned old events');
    };
    step();
  };
  run();
  const timer = setInterval(run, INTERVAL_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
