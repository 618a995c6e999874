// A store with weeks of meetings behind it, written through the Store interface with a clock that walks
// through the past: each meeting is a signed-looking Meet meetingStarted and meetingEnded, so the log holds
// webhooks and the room changes their projection makes, as it would after those weeks.
import { projectWebhook } from '../../server/domain/projection.js';
import type { NewEvent } from '../../server/domain/events.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Webhooks of the same few minutes share a commit: a month of history is written in seconds. */
const COMMIT_WINDOW_MS = 5 * MINUTE;

export interface UsageHistory {
  /** Webhooks to store (two per meeting). */
  webhooks: number;
  days: number;
  /** Rooms the meetings take turns in (each room holds one meeting at a time). */
  rooms: number;
  /** The end of the history, ms. */
  until: number;
}

interface Planned {
  at: number;
  event: 'meetingStarted' | 'meetingEnded';
  roomId: string;
}

/** Meetings of 15–60 min, spread evenly over the rooms and days; deterministic for a given history. */
function plan({ webhooks, days, rooms, until }: UsageHistory): Planned[] {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const since = until - days * DAY;
  const meetingsPerRoom = webhooks / 2 / rooms;
  const averageMs = 37.5 * MINUTE;
  const averageGapMs = Math.max(0, (days * DAY) / meetingsPerRoom - averageMs);
  const planned: Planned[] = [];
  for (let room = 0; room < rooms && planned.length < webhooks; room++) {
    const roomId = `bench-room-${room}`;
    let at = since + random() * averageGapMs;
    while (at < until && planned.length < webhooks) {
      const end = at + (15 + random() * 45) * MINUTE;
      planned.push({ at, event: 'meetingStarted', roomId });
      if (end < until) planned.push({ at: end, event: 'meetingEnded', roomId });
      at = end + random() * 2 * averageGapMs;
    }
  }
  return planned.sort((a, b) => a.at - b.at);
}

/** Writes the history into a SQLite store under `dataDir`; resolves with how many webhooks it holds. */
export async function writeUsageHistory(dataDir: string, history: UsageHistory): Promise<number> {
  let clock = 0;
  const store = await openSqliteStore(dataDir, { project: projectWebhook, now: () => clock });
  try {
    const planned = plan(history);
    // One commit per window of history, received at its end (meetings last 15 min or more: each still
    // starts before it ends).
    for (let i = 0; i < planned.length; ) {
      const window = Math.floor(planned[i]!.at / COMMIT_WINDOW_MS);
      const batch: NewEvent[] = [];
      for (; i < planned.length && Math.floor(planned[i]!.at / COMMIT_WINDOW_MS) === window; i++) {
        const { at, event, roomId } = planned[i]!;
        const createdAt = Math.floor(at);
        const payload = { event, creationDate: createdAt, data: { roomId, roomName: roomId, status: event === 'meetingStarted' ? 'active_meeting' : 'open', meetingEndAction: 'none' } };
        batch.push({ source: 'meet', type: event, createdAt, dedupeKey: `bench:${i}`, roomId, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(payload)), parsed: payload });
      }
      clock = (window + 1) * COMMIT_WINDOW_MS - 1;
      await store.append(batch);
    }
    return planned.length;
  } finally {
    await store.close();
  }
}
