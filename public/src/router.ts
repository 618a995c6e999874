// Hash routes, so the browser's Back button moves between screens:
//   #/rooms?source=&status=&recording=1&closed=hide|show&q=   #/rooms/<source>/<roomId>   #/recordings?room=<roomId>   #/join/<source>/<roomId>/<role>   #/play/<source>/<recordingId>
//   #/events?q=&source=&type=&room=&roomName=&outcome=&from=&to=   #/events/<seq>   #/setup   #/usage?range=1h|24h|7d
import type { SourceId } from '../../server/domain/rows.js';
import { filterFromParams, filterToParams, type EventFilter } from './event-filter.js';
import { roomFilterFromParams, roomFilterToParams, type RoomFilter } from './room-filter.js';
import { DEFAULT_USAGE_RANGE, usageRangeFrom, type UsageRangeName } from './usage-range.js';

export type JoinRole = 'moderator' | 'speaker';

export type Route =
  | { screen: 'rooms'; filter: RoomFilter }
  | { screen: 'room'; source: SourceId; roomId: string }
  | { screen: 'recordings'; roomId: string | undefined }
  | { screen: 'join'; source: SourceId; roomId: string; role: JoinRole }
  | { screen: 'play'; source: SourceId; recordingId: string }
  | { screen: 'events'; filter: EventFilter }
  | { screen: 'event'; seq: number }
  | { screen: 'setup' }
  | { screen: 'usage'; range: UsageRangeName };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((part) => part !== '').map(decodeSegment);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'rooms':
      if (parts.length === 3) return { screen: 'room', source: parts[1] as SourceId, roomId: parts[2]! };
      return { screen: 'rooms', filter: roomFilterFromParams(params) };
    case 'setup':
      return { screen: 'setup' };
    case 'recordings':
      return { screen: 'recordings', roomId: params.get('room') || undefined };
    case 'join':
      if (parts.length === 4 && (parts[3] === 'moderator' || parts[3] === 'speaker')) {
        return { screen: 'join', source: parts[1] as SourceId, roomId: parts[2]!, role: parts[3] };
      }
      return { screen: 'rooms', filter: {} };
    case 'play':
      if (parts.length === 3) return { screen: 'play', source: parts[1] as SourceId, recordingId: parts[2]! };
      return { screen: 'recordings', roomId: undefined };
    case 'events':
      if (parts.length === 2 && /^\d{1,15}$/.test(parts[1]!)) return { screen: 'event', seq: Number(parts[1]) };
      return { screen: 'events', filter: filterFromParams(params) };
    case 'usage':
      return { screen: 'usage', range: usageRangeFrom(params.get('range')) };
    default:
      return { screen: 'rooms', filter: roomFilterFromParams(params) };
  }
}

export const hrefFor = {
  rooms: (filter: RoomFilter = {}) => {
    const query = roomFilterToParams(filter).toString();
    return query === '' ? '#/rooms' : `#/rooms?${query}`;
  },
  room: (source: SourceId, roomId: string) => `#/rooms/${encodeURIComponent(source)}/${encodeURIComponent(roomId)}`,
  setup: () => '#/setup',
  recordings: (roomId?: string) => (roomId === undefined ? '#/recordings' : `#/recordings?room=${encodeURIComponent(roomId)}`),
  join: (source: SourceId, roomId: string, role: JoinRole) => `#/join/${encodeURIComponent(source)}/${encodeURIComponent(roomId)}/${role}`,
  play: (source: SourceId, recordingId: string) => `#/play/${encodeURIComponent(source)}/${encodeURIComponent(recordingId)}`,
  events: (filter: EventFilter = {}) => {
    const query = filterToParams(filter).toString();
    return query === '' ? '#/events' : `#/events?${query}`;
  },
  event: (seq: number) => `#/events/${seq}`,
  usage: (range: UsageRangeName = DEFAULT_USAGE_RANGE) => (range === DEFAULT_USAGE_RANGE ? '#/usage' : `#/usage?range=${range}`),
};

export function navigate(hash: string): void {
  if (window.location.hash !== hash) window.location.hash = hash;
}

export function onRouteChange(listener: (route: Route) => void): void {
  window.addEventListener('hashchange', () => listener(parseRoute(window.location.hash)));
  listener(parseRoute(window.location.hash));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Changes the address without a new history entry or a hashchange: for a screen that already shows it. */
export function replaceRoute(hash: string): void {
  if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
}
