// EnableX webhooks (../shared/protocols/providers.md §4) → room and recording rows. Pure and order-safe
// through row-merge.ts. EnableX documents no retry policy or ordering, so any order is assumed.
//
// | type          | row effect                                                                          |
// |---------------|-------------------------------------------------------------------------------------|
// | roomdrop      | room `room_id:conf_num` (one session of room `room_id`), named `room_id` until the   |
// |               | Server API names it (./reconcile.ts): closed                                         |
// | recording     | recording `<room key>:individual`: complete, files = `recording[]` (kind individual) |
// | transcoded    | recording `<room key>:transcoded`: complete when it has a URL and `file_size` > 0,   |
// |               | else processing; files = [`recording`] (kind transcoded), added to those of the    |
// |               | other stages; its size is the sum of its files                                      |
// | file-transfer | recording `<room key>:delivered`: complete, files = `files[].url` (kind = the       |
// |               | destination's `name`: awss3, ftp…), added to the ones already delivered             |
// | anything else | nothing (stored and shown in the log)                                               |
//
// Assumptions, because the sample payloads were not reachable (providers.md §4, §5.2):
// - `trans_date` is unix seconds when below 1e12, else ms (the unit is not documented); without it,
//   the adapter's time or the receive time orders the event.
// - `room_id` and `conf_num` may be strings or numbers; without `conf_num` the room key is `room_id`.
// - EnableX announces no session start: a room row is first seen when `roomdrop` closes it (or when the
//   Server API's call records list the session), and no participant count is known (EnableX pushes none;
//   who took part comes from the call records).
// - An entry of `recording` (and of `files`) is either a URL string or an object with `url`; `transcoded`
//   may carry `file_size`/`stage` at the top level or inside a `recording` object. `stage` is the file's
//   sequence within the session: several `transcoded` notifications of one session are several files of
//   one recording, whose size is their sum (as for a LiveKit egress with several files). Only "a URL and
//   a size" means a transcoded file is ready.
// - URLs that are not http(s) (s3://, ftp://…) are kept; the dashboard shows them as text.
import { secondsOrMsToMs } from '../../domain/epoch-ms.js';
import { idText, isObject, nonNegative, objectAt, text, type JsonObject } from '../../domain/payload-fields.js';
import { eventTimes, mergeRecording, mergeSessionRoom, recordingFile, type EventTimes, type PlatformEvent, type RecordingUpdate } from '../../domain/row-merge.js';
import type { RowReader } from '../../domain/row-reader.js';
import type { RecordingFile, RecordingStatus, RowChange } from '../../domain/rows.js';

const SOURCE = 'enablex';

export function projectEnableXEvent(event: PlatformEvent, rows: RowReader): RowChange[] {
  const payload = event.payload;
  if (!isObject(payload)) return [];
  const session = sessionOf(payload);
  if (!session) return [];
  // The Server API may have named the room already (./reconcile.ts): a webhook only knows its id.
  const room = { ...session, name: rows.room(SOURCE, session.key)?.roomName };
  const times = eventTimes(event, secondsOrMsToMs(payload.trans_date));
  switch (payload.type) {
    case 'roomdrop':
      return mergeSessionRoom(
        rows.room(SOURCE, room.key),
        { source: SOURCE, roomId: room.key, roomName: room.name ?? room.roomId, happened: 'ended', countsParticipants: false },
        times,
      );
    case 'recording': {
      const files = filesOf(payload.recording, 'individual');
      return recordingChange(room, 'individual', 'complete', files, undefined, times, rows);
    }
    case 'transcoded': {
      const files = filesOf(payload.recording, 'transcoded');
      const inner = isObject(payload.recording) ? payload.recording : {};
      const size = nonNegative(payload.file_size) ?? nonNegative(inner.file_size);
      const withSize = files.map((file) => (size !== undefined && file.size === undefined ? { ...file, size } : file));
      const ready = withSize.some((file) => (file.size ?? 0) > 0);
      // With files, the size is theirs summed (every stage's); a notification without a URL keeps its own size.
      return recordingChange(room, 'transcoded', ready ? 'complete' : 'processing', withSize, withSize.length > 0 ? undefined : size, times, rows);
    }
    case 'file-transfer': {
      const destination = text(objectAt(payload, 'destination')?.name) ?? 'delivered';
      return recordingChange(room, 'delivered', 'complete', filesOf(payload.files, destination), undefined, times, rows);
    }
    default:
      return [];
  }
}

interface Session {
  /** One session of the room: files are delivered under `<room_id>/<conf_num>/` (providers.md §4). */
  key: string;
  /** EnableX's room id: the room's name until the Server API gives one. */
  roomId: string;
  /** The name its room row already has, when there is one. */
  name?: string;
}

function sessionOf(payload: JsonObject): Session | undefined {
  const roomId = idText(payload.room_id);
  if (roomId === undefined) return undefined;
  const confNum = idText(payload.conf_num);
  return { key: confNum === undefined ? roomId : `${roomId}:${confNum}`, roomId };
}

function recordingChange(
  room: Session,
  part: 'individual' | 'transcoded' | 'delivered',
  status: RecordingStatus,
  files: RecordingFile[],
  size: number | undefined,
  times: EventTimes,
  rows: RowReader,
): RowChange[] {
  const recordingId = `${room.key}:${part}`;
  const current = rows.recording(SOURCE, recordingId);
  const update: RecordingUpdate = { source: SOURCE, recordingId, roomId: room.key, roomName: room.name ?? current?.roomName ?? room.roomId, status };
  if (files.length > 0) update.files = files;
  if (part === 'transcoded') update.sizeIsSumOfFiles = true;
  if (size !== undefined) update.size = size;
  return mergeRecording(current, update, times);
}

/** A URL string, an object with `url`, or a list of either. */
function filesOf(value: unknown, kind: string): RecordingFile[] {
  const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return entries.flatMap((entry): RecordingFile[] => {
    const url = text(entry) ?? (isObject(entry) ? text(entry.url) : undefined);
    if (url === undefined) return [];
    const size = isObject(entry) ? (nonNegative(entry.file_size) ?? nonNegative(entry.size)) : undefined;
    return [recordingFile(url, { size, kind })];
  });
}
