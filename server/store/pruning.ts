// Keeps the store within its retention limits, a chunk at a time so ingest never waits long:
// - the event log: the newest EVENT_RETENTION webhooks, none older than EVENT_RETENTION_DAYS, and the
//   database within EVENT_RETENTION_MB (oldest entries first, with the changes they caused);
// - the rows: closed rooms of session platforms and tombstones, after CLOSED_ROOM_RETENTION_HOURS. A room
//   dropped this way is logged as a change with `removed: true` (and so are its recordings), so open pages
//   drop it live and the log alone still rebuilds every screen.
import type { RetentionLimits, Store } from './store.js';
import type { Logger } from '../logger.js';

const INTERVAL_MS = 60_000;
const CHUNK = 5000;
/** Rows dropped per commit: each dropped room is a log entry, and ingest waits for no big commit. */
const ROW_CHUNK = 500;

export interface RetentionSettings {
  /** EVENT_RETENTION: the newest webhooks kept. */
  keep: number;
  maxAgeMs: number | undefined;
  maxBytes: number | undefined;
  closedRoomRetentionMs: number;
}

export interface PruneReport {
  events: number;
  rooms: number;
  recordings: number;
}

export interface Pruning {
  /** Runs a whole pass now (after the one under way, if any); resolves with what it dropped. */
  runNow(): Promise<PruneReport>;
  stop(): void;
}

export interface PruningOptions {
  log: Logger;
  /** The clock ages are measured with: the one the log stamps entries with. */
  now?: () => number;
  /** Time between passes; the first pass runs at start. */
  intervalMs?: number;
  /** What forwarding still needs of the log (server/forward/forwarder.ts), read at each pass. */
  hold?: () => Promise<RetentionLimits['hold']>;
  /** Told after a pass deleted log entries, with the seq pruned through. */
  onEventsPruned?: (through: number) => Promise<void>;
}

export function startPruning(
  store: Store,
  settings: RetentionSettings,
  { log, now = Date.now, intervalMs = INTERVAL_MS, hold, onEventsPruned }: PruningOptions,
): Pruning {
  let stopped = false;
  let running: Promise<PruneReport> = Promise.resolve({ events: 0, rooms: 0, recordings: 0 });

  /** One step per event-loop turn, so webhooks are committed between the steps. */
  const repeat = async (step: () => Promise<number>): Promise<number> => {
    let total = 0;
    while (!stopped) {
      const done = await step();
      if (done === 0) break;
      total += done;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  };

  const pass = async (): Promise<PruneReport> => {
    const report: PruneReport = { events: 0, rooms: 0, recordings: 0 };
    // What must run once runs on the leader only (always so on SQLite).
    if (!store.leadership.isLeader()) return report;
    const limits = {
      keep: settings.keep,
      receivedBefore: settings.maxAgeMs === undefined ? undefined : now() - settings.maxAgeMs,
      maxBytes: settings.maxBytes,
      hold: await hold?.(),
    };
    report.events = await repeat(() => store.prune(limits, CHUNK));
    if (report.events > 0) await onEventsPruned?.(await store.prunedThrough());
    const before = now() - settings.closedRoomRetentionMs;
    report.rooms = await repeat(async () => {
      const dropped = await store.pruneRooms(before, ROW_CHUNK);
      report.recordings += dropped.recordings;
      return dropped.rooms;
    });
    report.recordings += await repeat(() => store.pruneRecordingTombstones(before, ROW_CHUNK));
    if (report.events + report.rooms + report.recordings > 0) log.info({ deleted: report, ...settings }, 'pruned the store to its retention limits');
    return report;
  };

  const runNow = () => {
    running = running.then(pass, pass);
    return running;
  };
  const failed = (error: unknown) => log.error({ err: error }, 'pruning failed; it runs again at the next interval');
  runNow().catch(failed);
  const timer = setInterval(() => runNow().catch(failed), intervalMs);
  timer.unref();
  return {
    runNow,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
