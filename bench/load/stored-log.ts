// A store holding a given number of stored webhooks, made the way roomwatch makes them after a
// webhook is verified: appended through the store in group commits, each projected into rooms and
// recordings in its commit; with retries (repeats), a few replays and the refusals' full 1 000. Works on
// either backend (the caller opens the store, SQLite or PostgreSQL, with the clock given here). Much
// faster than posting them (100 000 in a few seconds on SQLite), and the rows stored are the same.
import type { NewEvent } from '../../server/domain/events.js';
import type { SourceId } from '../../server/domain/rows.js';
import { SOURCE_IDS } from '../../server/platforms/catalog.js';
import type { Store, StoreOptions } from '../../server/store/store.js';

/** Opens the store to fill, with this clock: the receive times of the filled log are spread over hours. */
export type OpenStoreWithClock = (options: Pick<StoreOptions, 'now'>) => Promise<Store>;

/** One webhook in this many is delivered twice (a platform's retry). */
const RETRY_EVERY = 97;
/** One webhook in this many is of a rare type, so a type filter finds few among many. */
const RARE_EVERY = 200;
export const RARE_TYPE = 'recordingFailed';
/** Webhooks per room: rooms grow with the log, as they do in use. */
const WEBHOOKS_PER_ROOM = 25;
const BATCH = 500;
const REPLAYS = 20;
const REFUSALS = 1000;
/** Receive times: one webhook every this many ms, the newest received now. */
const SPACING_MS = 1000;

const MEET_TYPES = ['meetingStarted', 'meetingEnded', 'recordingStarted', 'recordingUpdated', 'recordingEnded'];
const OTHER_TYPES = ['participant_joined', 'participant_left', 'room_started', 'room_finished'];

export interface StoredLog {
  /** Receive time of the oldest and the newest webhook, ms. */
  oldestAt: number;
  newestAt: number;
  /** A room with webhooks among the newest, by id and by name. */
  recentRoomId: string;
  recentRoomName: string;
}

export async function fillStoredLog(open: OpenStoreWithClock, webhooks: number): Promise<StoredLog> {
  const newestAt = Date.now();
  const oldestAt = newestAt - (webhooks - 1) * SPACING_MS;
  let clock = oldestAt;
  const store = await open({ now: () => clock });
  try {
    for (let first = 0; first < webhooks; first += BATCH) {
      const appends: Promise<unknown>[] = [];
      for (let index = first; index < Math.min(webhooks, first + BATCH); index++) {
        clock = oldestAt + index * SPACING_MS;
        const event = webhookAt(index, clock);
        appends.push(store.append([event]));
        if (index % RETRY_EVERY === RETRY_EVERY - 1) appends.push(store.append([event]));
      }
      await Promise.all(appends);
    }
    for (let replay = 0; replay < REPLAYS; replay++) {
      const body = JSON.stringify({ replayOf: replay + 1, source: 'meet', type: 'meetingStarted', roomId: roomIdOf(0), payload: {} });
      await store.writeRows(() => [], { note: { source: 'meet', type: 'replay', roomId: roomIdOf(0), body: Buffer.from(body) } });
    }
    for (let index = 0; index < REFUSALS; index++) {
      const at = oldestAt + index * Math.floor((webhooks * SPACING_MS) / REFUSALS);
      await store.recordRefusal({ at, source: 'meet', reason: 'signature_mismatch', detail: null, ip: '203.0.113.7', headers: { 'content-type': 'application/json' }, hint: null, timestamp: null, skewMs: null });
    }
  } finally {
    await store.close();
  }
  const recent = Math.floor((webhooks - 1) / WEBHOOKS_PER_ROOM);
  return { oldestAt, newestAt, recentRoomId: roomIdOf(recent), recentRoomName: roomNameOf(recent) };
}

const roomIdOf = (room: number) => `room-${room}`;
const roomNameOf = (room: number) => `Weekly sync ${room}`;

/**
 * The index-th webhook: half of them Meet's (the first platform, whose rooms have names), the rest
 * spread over the other platforms of the registry with a generic payload that names the room: enough
 * for the listing, whose filters read the stored columns and the payload's words.
 */
function webhookAt(index: number, at: number): NewEvent {
  const room = Math.floor(index / WEBHOOKS_PER_ROOM);
  const roomId = roomIdOf(room);
  const others = SOURCE_IDS.filter((id) => id !== 'meet');
  const source: SourceId = index % 2 === 0 ? 'meet' : others[Math.floor(index / 2) % others.length]!;
  const rare = index % RARE_EVERY === RARE_EVERY - 1;
  const type = rare ? RARE_TYPE : source === 'meet' ? MEET_TYPES[index % MEET_TYPES.length]! : OTHER_TYPES[index % OTHER_TYPES.length]!;
  const body =
    source === 'meet'
      ? { event: type, creationDate: at, data: { roomId, roomName: roomNameOf(room), status: 'active_meeting', meetingEndAction: 'none' } }
      : { event: type, timestamp: at, room: roomId, participant: `user-${index % 50}` };
  return {
    source,
    type,
    createdAt: at,
    dedupeKey: `bench-${index}`,
    roomId,
    headers: { 'content-type': 'application/json', 'user-agent': 'bench' },
    body: Buffer.from(JSON.stringify(body)),
  };
}
