// Keeps the store within its retention limits, a chunk at a time so ingest never waits long:
// - the event log: the newest EVENT_RETENTION webhooks, none older than EVENT_RETENTION_DAYS, and the
//   database within EVENT_RETENTION_MB (oldest entries first, with the changes they caused);
// - the rows: closed rooms of session platforms and tombstones, after CLOSED_ROOM_RETENTION_HOURS. A room
//   dropped this way is logged as a change with `removed: true` (and so are its recordings), so open pages
//   drop it live and the log alone still rebuilds every screen.
import type { EventLog, LoggedChange, RetentionLimits } from './event-log.js';
import type { RowStore } from './row-store.js';
import type { Logger } from '../logger.js';
import type { RecordingRow, RoomRow } from '../domain/rows.js';

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
  hold?: () => RetentionLimits['hold'];
  /** Told after a pass deleted log entries, with the seq pruned through. */
  onEventsPruned?: (through: number) => void;
}

export function startPruning(
  events: EventLog,
  rows: RowStore,
  settings: RetentionSettings,
  { log, now = Date.now, intervalMs = INTERVAL_MS, hold, onEventsPruned }: PruningOptions,
): Pruning {
  let stopped = false;
  let running: Promise<PruneReport> = Promise.resolve({ events: 0, rooms: 0, recordings: 0 });

  /** One step per event-loop turn, so webhooks are committed between the steps. */
  const repeat = async (step: () => number): Promise<number> => {
    let total = 0;
    while (!stopped) {
      const done = step();
      if (done === 0) break;
      total += done;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  };

  const pass = async (): Promise<PruneReport> => {
    const limits = {
      keep: settings.keep,
      receivedBefore: settings.maxAgeMs === undefined ? undefined : now() - settings.maxAgeMs,
      maxBytes: settings.maxBytes,
      hold: hold?.(),
    };
    const report: PruneReport = { events: 0, rooms: 0, recordings: 0 };
    report.events = await repeat(() => events.prune(limits, CHUNK));
    if (report.events > 0) onEventsPruned?.(events.prunedThrough());
    const before = now() - settings.closedRoomRetentionMs;
    report.rooms = await repeat(() => dropRooms(before, report));
    report.recordings += await repeat(() => dropRecordingTombstones(before));
    if (report.events + report.rooms + report.recordings > 0) log.info({ deleted: report, ...settings }, 'pruned the store to its retention limits');
    return report;
  };

  /** Drops a chunk of expired rooms with their recordings (counted in `report`); returns the rooms dropped. */
  const dropRooms = (before: number, report: PruneReport): number => {
    let dropped = 0;
    events.commitChanges(() => {
      const changes: LoggedChange[] = [];
      const updatedAt = now();
      for (const room of rows.expiredRooms(before, ROW_CHUNK)) {
        dropped++;
        const recordings = rows.deleteRoom(room.source, room.roomId);
        report.recordings += recordings.length;
        // Tombstones were announced as removed already; a closed room and its recordings are news.
        if (!room.removed) changes.push(removal('room', { ...room, removed: true, updatedAt }));
        for (const recording of recordings) {
          if (!recording.removed) changes.push(removal('recording', { ...recording, removed: true, updatedAt }));
        }
      }
      return changes;
    });
    return dropped;
  };

  const dropRecordingTombstones = (before: number): number => {
    let dropped = 0;
    events.commitChanges(() => {
      for (const recording of rows.expiredRecordings(before, ROW_CHUNK)) {
        rows.deleteRecording(recording.source, recording.recordingId);
        dropped++;
      }
      return [];
    });
    return dropped;
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

function removal(type: 'room' | 'recording', row: RoomRow | RecordingRow): LoggedChange {
  return { source: row.source, type, roomId: row.roomId, body: Buffer.from(JSON.stringify(row)) };
}
