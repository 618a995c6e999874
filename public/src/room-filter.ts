// The rooms list's filter: read from and written to the #/rooms route, so a filtered view can be
// bookmarked, and applied to one row at a time (a frame re-checks only the row it changed).
import type { RoomRow, RoomStatus, SourceId } from '../../server/domain/rows.js';
import { SOURCE_IDS } from '../../server/inspector/types.js';

export interface RoomFilter {
  source?: SourceId;
  status?: RoomStatus;
  /** Only rooms with a recording in progress. */
  recording?: true;
  /** Closed rooms hidden or shown; unset: hidden once there are many rooms (`hidesClosed`). */
  closed?: 'hide' | 'show';
  /** Part of the room's name or id, any case. */
  text?: string;
}

export const ROOM_STATUSES: readonly RoomStatus[] = ['active_meeting', 'open', 'closed'];

/** From this many rooms on, closed ones are hidden unless the address says otherwise. */
export const MANY_ROOMS = 20;

export function roomFilterFromParams(params: URLSearchParams): RoomFilter {
  const filter: RoomFilter = {};
  const source = params.get('source');
  if (source && (SOURCE_IDS as readonly string[]).includes(source)) filter.source = source as SourceId;
  const status = params.get('status');
  if (status && (ROOM_STATUSES as readonly string[]).includes(status)) filter.status = status as RoomStatus;
  if (params.get('recording') === '1') filter.recording = true;
  const closed = params.get('closed');
  if (closed === 'hide' || closed === 'show') filter.closed = closed;
  const text = params.get('q')?.trim();
  if (text) filter.text = text;
  return filter;
}

/** The filter as query parameters, in a fixed order (so equal filters give equal routes). */
export function roomFilterToParams(filter: RoomFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.source) params.set('source', filter.source);
  if (filter.status) params.set('status', filter.status);
  if (filter.recording) params.set('recording', '1');
  if (filter.closed) params.set('closed', filter.closed);
  if (filter.text) params.set('q', filter.text);
  return params;
}

export function sameRoomFilter(a: RoomFilter, b: RoomFilter): boolean {
  return roomFilterToParams(a).toString() === roomFilterToParams(b).toString();
}

/** Whether closed rooms are left out: as the address says, else once the list is long. A chosen status wins. */
export function hidesClosed(filter: RoomFilter, roomCount: number): boolean {
  if (filter.status !== undefined) return false;
  return filter.closed === undefined ? roomCount >= MANY_ROOMS : filter.closed === 'hide';
}

export interface RoomFacts {
  /** Closed rooms are left out (see hidesClosed). */
  hideClosed: boolean;
  /** Whether a room (by key) has a recording in progress. */
  isRecording(key: string): boolean;
}

/** Whether one row passes the filter; `text` is expected in lower case. */
export function roomMatches(row: RoomRow, key: string, filter: RoomFilter, facts: RoomFacts): boolean {
  if (filter.source !== undefined && row.source !== filter.source) return false;
  if (filter.status !== undefined ? row.status !== filter.status : facts.hideClosed && row.status === 'closed') return false;
  if (filter.recording && !facts.isRecording(key)) return false;
  if (filter.text !== undefined) {
    const text = filter.text.toLocaleLowerCase();
    if (!row.roomName.toLocaleLowerCase().includes(text) && !row.roomId.toLocaleLowerCase().includes(text)) return false;
  }
  return true;
}
