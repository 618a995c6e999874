// What roomwatch does through EnableX's Server API: read the project's call records of the last days and
// the names of the rooms they and the webhooks mention, so that sessions get their room's name and who
// took part, and a session whose `roomdrop` was lost appears, closed (./reconcile.ts). EnableX's API can
// end nothing that roomwatch shows (a session is over before EnableX says anything), so there are no
// actions. Runs at start, every RECONCILE_INTERVAL_MS, a moment after each `roomdrop`, and when the API
// answers again (../reconciler.ts).
import { text } from '../../domain/payload-fields.js';
import type { ApiDeps, PlatformApi } from '../types.js';
import { sessionsFromCallRecords } from './call-records.js';
import { EnableXClient } from './client.js';
import { enablexRoomIdOf, reconcileEnableX } from './reconcile.js';
import type { EnableXSettings } from './settings.js';

const DAY_MS = 86_400_000;
/** Call records are read for the closed-room retention, at most this many days back. */
const MAX_DAYS_READ = 7;
/** A room's name is asked again after this long (a room can be renamed). */
const NAME_KEPT_MS = 3_600_000;
const LOOKUPS_AT_ONCE = 4;
/** What a room id is before it goes into a URL (EnableX's are 24 hex digits). */
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ROOM_NAME = 200;

export function enablexApi(settings: EnableXSettings, deps: ApiDeps): PlatformApi | undefined {
  if (!settings.api) return undefined;
  const client = new EnableXClient(settings.api);
  const known = new Map<string, { name: string | null; at: number }>();

  /** The names of these rooms, asked a few at a time for those not known lately; null: no such room. */
  async function roomNames(roomIds: Iterable<string>, now: number): Promise<Map<string, string | null>> {
    const wanted = [...new Set(roomIds)].filter((id) => ROOM_ID.test(id));
    const queue = wanted.filter((id) => now - (known.get(id)?.at ?? -Infinity) > NAME_KEPT_MS);
    let failed = false;
    const worker = async () => {
      while (!failed && queue.length > 0) {
        const id = queue.shift()!;
        try {
          const room = await client.room(id);
          const name = text(room?.name)?.trim().slice(0, MAX_ROOM_NAME);
          known.set(id, { name: name || null, at: now });
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, queue.length) }, worker));
    return new Map(wanted.map((id) => [id, known.get(id)?.name ?? null]));
  }

  return {
    get url() {
      return client.apiUrl;
    },
    async reconcile(readStartedAt) {
      const period = Math.min(deps.closedRoomRetentionMs, MAX_DAYS_READ * DAY_MS);
      const records = await client.callRecords(utcDate(readStartedAt - period), utcDate(readStartedAt));
      const sessions = sessionsFromCallRecords(records);
      // Rows still named by their room id: the webhook said no more.
      const unnamed = [...deps.store.rows.allRooms(), ...deps.store.rows.allRecordings()]
        .filter((row) => row.source === 'enablex' && !row.removed && row.roomName === enablexRoomIdOf(row.roomId))
        .map((row) => enablexRoomIdOf(row.roomId));
      const names = await roomNames([...[...sessions.values()].map((session) => session.roomId), ...unnamed], readStartedAt);
      return (current, now) =>
        reconcileEnableX({ sessions, names, createdAfter: now - deps.closedRoomRetentionMs }, current.allRooms(), current.allRecordings(), readStartedAt, now);
    },
    actions: {},
    idPattern: /^[A-Za-z0-9:_-]{1,100}$/,
  };
}

/** YYYY-MM-DD in UTC, as the CDR routes take dates. */
function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
