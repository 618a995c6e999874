// What a Meet room or recording, as a webhook or a REST answer describes it, says about its row.
// Shared by the webhook projection (./project.ts) and the REST reconciliation (./reconcile.ts).
import { oneOf } from '../../domain/payload-fields.js';
import type { RecordingRow, RecordingStatus, RoomLinks, RoomRow, RoomStatus } from '../../domain/rows.js';
import type { MeetRecording, MeetRecordingStatus, MeetRoom } from './payloads.js';

export const ROOM_STATUSES: readonly RoomStatus[] = ['open', 'active_meeting', 'closed'];
export const RECORDING_STATUSES: readonly MeetRecordingStatus[] = ['starting', 'active', 'ending', 'complete', 'failed', 'aborted', 'limit_reached'];

/** The room fields a payload or REST answer says, over what the row had. */
export function roomFrom(
  data: Partial<MeetRoom>,
  current: RoomRow | undefined,
  fallback: RoomStatus,
  linksFrom: 'webhook' | 'rest' = 'webhook',
): Omit<RoomRow, 'updatedAt' | 'eventAt' | 'heardAt' | 'removed'> {
  const roomId = data.roomId!;
  const fromPayload = joinLinks(data);
  return {
    source: 'meet',
    roomId,
    roomName: typeof data.roomName === 'string' ? data.roomName : (current?.roomName ?? roomId),
    status: oneOf(data.status, ROOM_STATUSES) ?? fallback,
    meetingEndAction: oneOf(data.meetingEndAction, ['none', 'close', 'delete'] as const) ?? current?.meetingEndAction,
    // Webhook links carry the host of Meet's latest request (§2.4); REST links are the ones to keep.
    links: linksFrom === 'rest' ? { ...current?.links, ...fromPayload } : { ...fromPayload, ...current?.links },
  };
}

/** Join links: `moderatorUrl`/`speakerUrl` up to 3.7, `access.anonymous.*.url` from 3.8 (§2.8). */
export function joinLinks(data: Partial<MeetRoom>): RoomLinks {
  // Property reads on a wrong-typed value give undefined, so a malformed payload just has no links.
  const anonymous = data.access?.anonymous;
  const url = (value: unknown) => (typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined);
  const links: RoomLinks = {};
  const moderator = url(anonymous?.moderator?.url) ?? url(data.moderatorUrl);
  const speaker = url(anonymous?.speaker?.url) ?? url(data.speakerUrl);
  const recordings = url(anonymous?.recording?.url);
  if (moderator) links.moderator = moderator;
  if (speaker) links.speaker = speaker;
  if (recordings) links.recordings = recordings;
  return links;
}

export function recordingFrom(
  data: Partial<MeetRecording>,
  current: RecordingRow | undefined,
  status: RecordingStatus,
): Omit<RecordingRow, 'updatedAt' | 'eventAt' | 'heardAt' | 'removed'> {
  const number = (value: unknown, previous: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : previous);
  const text = (value: unknown, previous: string | undefined) => (typeof value === 'string' ? value : previous);
  const row: Omit<RecordingRow, 'updatedAt' | 'eventAt' | 'heardAt' | 'removed'> = {
    source: 'meet',
    recordingId: data.recordingId!,
    roomId: data.roomId!,
    roomName: text(data.roomName, current?.roomName) ?? data.roomId!,
    status,
  };
  const optional = {
    filename: text(data.filename, current?.filename),
    startedAt: number(data.startDate, current?.startedAt),
    endedAt: number(data.endDate, current?.endedAt),
    duration: number(data.duration, current?.duration),
    size: number(data.size, current?.size),
    error: text(data.error, current?.error),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(row, { [key]: value });
  return row;
}

