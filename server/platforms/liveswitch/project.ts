// LiveSwitch webhooks (../shared/protocols/providers.md §3) → room rows, only where an event clearly
// says a channel started or ended. LiveSwitch's event names and payloads are NOT confirmed (§3, §5.1):
// everything else is stored and shown in the log, and changes no row.
//
// | `type`              | row effect                                                  |
// |---------------------|-------------------------------------------------------------|
// | channel.activated   | room `<channel id>`, named the same: active_meeting         |
// | channel.deactivated | that room closed                                            |
// | anything else       | nothing (client.*, connection.*, gateway.*, recording…)     |
//
// Assumptions (for the README until real payloads are captured):
// 1. One payload is one event object; a Batch POST has been split into its elements before this.
// 2. Event names follow the documented server-webhook pattern `"<origin>.<event>"` (`gateway.started`),
//    so channel events are `channel.activated` / `channel.deactivated`. No other name is guessed at.
// 3. The channel id is `channel.id` (the documented server webhook nests its subject in an object named
//    after the origin: `"gateway":{"id":…}`), else a top-level `channelId`. No id → no change.
// 4. `timestamp` is epoch ms, as in the documented server webhook; without it the adapter's time or the
//    receive time orders the event.
// 5. The room key is the channel id alone (not scoped by application id, which may sit at the top level
//    or in the channel object); one roomwatch watching several LiveSwitch applications that use the same
//    channel ids would merge their rows.
// 6. A channel deactivates when its last client leaves and can activate again: an activation newer than
//    the deactivation opens the room again (the shared rule for reused keys in row-merge.ts).
// 7. No participant count: client and connection events are not mapped yet.
import { msToMs } from '../../domain/epoch-ms.js';
import { isObject, objectAt, text } from '../../domain/payload-fields.js';
import { eventTimes, mergeSessionRoom, type PlatformEvent } from '../../domain/row-merge.js';
import type { RowReader } from '../../domain/row-reader.js';
import type { RowChange } from '../../domain/rows.js';

const SOURCE = 'liveswitch';

const CHANNEL_EVENTS = new Map<unknown, 'started' | 'ended'>([
  ['channel.activated', 'started'],
  ['channel.deactivated', 'ended'],
]);

export function projectLiveSwitchEvent(event: PlatformEvent, rows: RowReader): RowChange[] {
  const payload = event.payload;
  if (!isObject(payload)) return [];
  const happened = CHANNEL_EVENTS.get(payload.type);
  const channelId = text(objectAt(payload, 'channel')?.id) ?? text(payload.channelId);
  if (happened === undefined || channelId === undefined) return [];
  return mergeSessionRoom(
    rows.room(SOURCE, channelId),
    { source: SOURCE, roomId: channelId, happened, countsParticipants: false },
    eventTimes(event, msToMs(payload.timestamp)),
  );
}
