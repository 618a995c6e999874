// What roomwatch does through LiveKit's server API (LIVEKIT_URL): read every room, its participants and
// every egress to heal missed webhooks (./reconcile.ts), end a room and stop an egress (the dashboard's
// actions). Rows of LiveKit rooms are keyed by room sid, which names one instance of a room; LiveKit's
// DeleteRoom takes the room's name, which a later instance may reuse.
import { text } from '../../domain/payload-fields.js';
import { ApiError } from '../../api-error.js';
import type { ActionOutcome, ApiDeps, PlatformAction, PlatformApi } from '../types.js';
import { LiveKitClient, isEgressUnavailable } from './client.js';
import { closedRoom, reconcileLiveKit, restRecordingChange } from './reconcile.js';
import { SOURCE, egressOutputs, egressStatus } from './rows.js';
import type { LiveKitSettings } from './settings.js';

/** LiveKit ids: a prefix (RM_ a room instance, EG_ an egress) and base62 characters. */
export const LIVEKIT_ID = /^(RM|EG)_[A-Za-z0-9]{1,64}$/;
/** ListParticipants is one call per room: this many at a time. */
const PARTICIPANT_READS_AT_ONCE = 8;

export function livekitApi(settings: LiveKitSettings, deps: ApiDeps): PlatformApi | undefined {
  if (settings.apiUrl === undefined) return undefined;
  const client = new LiveKitClient({ url: settings.apiUrl, key: settings.keys[0]! });
  const { rows } = deps.store;

  const endRoom: PlatformAction = {
    target: 'room',
    label: 'End',
    async run(sid): Promise<ActionOutcome> {
      if (!sid.startsWith('RM_')) throw new ApiError(400, 'invalid_id', 'a LiveKit room id starts with RM_');
      const known = rows.room(SOURCE, sid);
      if (!known || known.removed) throw new ApiError(404, 'room_not_found', `roomwatch knows no LiveKit room ${sid}`);
      if (known.status === 'closed') throw new ApiError(409, 'room_closed', `${known.roomName} has already ended`);
      // Only the instance this row is: another room of the same name may be running now.
      const [running] = await client.listRooms([known.roomName]);
      const isThisOne = running !== undefined && text(running.sid) === sid;
      if (isThisOne) await client.deleteRoom(known.roomName);
      // LiveKit sends room_finished (and each participant's leave) too: the row closes now all the same.
      await deps.store.writeRows((current, now) => {
        const row = current.room(SOURCE, sid);
        return row && !row.removed && row.status !== 'closed' ? [{ kind: 'room', row: closedRoom(row, now) }] : [];
      });
      deps.refreshSoon(300);
      const message = isThisOne
        ? `LiveKit ended ${known.roomName}`
        : `${known.roomName} had already ended (its room_finished never reached roomwatch)${running ? '; a newer room of that name is running and was left alone' : ''}`;
      return { status: 200, body: { outcome: isThisOne ? 'room_ended' : 'room_already_ended', message } };
    },
  };

  const stopEgress: PlatformAction = {
    target: 'recording',
    label: 'Stop',
    async run(egressId): Promise<ActionOutcome> {
      if (!egressId.startsWith('EG_')) throw new ApiError(400, 'invalid_id', 'a LiveKit egress id starts with EG_');
      const info = await client.stopEgress(egressId);
      const status = egressStatus(info);
      // A stream or image egress is no recording: its room's outputs follow at the read below.
      if (status && egressOutputs(info).recording) {
        await deps.store.writeRows((current, now) => {
          const change = restRecordingChange(info, egressId, status, current.recording(SOURCE, egressId), now);
          return change ? [change] : [];
        });
      }
      // The end comes by webhook (egress_ended, with the files); a read catches it if that one is lost.
      deps.refreshSoon();
      return { status: 200, body: { outcome: 'egress_stopping', message: `LiveKit is stopping the recording${status ? ` (${status})` : ''}` } };
    },
  };

  return {
    url: client.url,
    async reconcile(readStartedAt) {
      const rooms = await client.listRooms();
      const withParticipants = await mapAtMost(PARTICIPANT_READS_AT_ONCE, rooms, async (room) => ({
        room,
        participants: typeof room.name === 'string' ? await client.listParticipants(room.name) : [],
      }));
      const egresses = await client.listEgress().catch((error: unknown) => {
        if (isEgressUnavailable(error)) return undefined;
        throw error;
      });
      return (current, now) => reconcileLiveKit({ rooms: withParticipants, egresses }, current, readStartedAt, now);
    },
    actions: { endRoom, stopEgress },
    idPattern: LIVEKIT_ID,
  };
}

/** `run` over every item, at most `limit` at a time, results in order. */
async function mapAtMost<T, R>(limit: number, items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
