// The event inspector's filter: read from and written to the #/events route (same names as the API's
// query), and applied to live entries the way the server applies it to a page.
import type { SourceId } from '../../server/domain/rows.js';
import { OUTCOMES, SOURCE_IDS, type InspectorEntry, type Outcome } from '../../server/inspector/types.js';
import { PLATFORM_CATALOG } from '../../server/platforms/catalog.js';

export interface EventFilter {
  /** Words to find in the payloads (the server's full-text search). */
  q?: string;
  source?: SourceId;
  type?: string;
  room?: string;
  /** A room's name, any case: the rooms the server knows by it. */
  roomName?: string;
  outcome?: Outcome;
  /** Receive time bounds, ms since epoch, inclusive. */
  from?: number;
  to?: number;
}

const MILLIS = /^\d{1,15}$/;

export function filterFromParams(params: URLSearchParams): EventFilter {
  const filter: EventFilter = {};
  const q = params.get('q');
  if (q) filter.q = q;
  const source = params.get('source');
  if (source && (SOURCE_IDS as readonly string[]).includes(source)) filter.source = source as SourceId;
  const type = params.get('type');
  if (type) filter.type = type;
  const room = params.get('room');
  if (room) filter.room = room;
  const roomName = params.get('roomName');
  if (roomName) filter.roomName = roomName;
  const outcome = params.get('outcome');
  if (outcome && (OUTCOMES as readonly string[]).includes(outcome)) filter.outcome = outcome as Outcome;
  const from = params.get('from');
  if (from && MILLIS.test(from)) filter.from = Number(from);
  const to = params.get('to');
  if (to && MILLIS.test(to)) filter.to = Number(to);
  return filter;
}

/** The filter as query parameters, in a fixed order (so equal filters give equal routes). */
export function filterToParams(filter: EventFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  if (filter.source) params.set('source', filter.source);
  if (filter.type) params.set('type', filter.type);
  if (filter.room) params.set('room', filter.room);
  if (filter.roomName) params.set('roomName', filter.roomName);
  if (filter.outcome) params.set('outcome', filter.outcome);
  if (filter.from !== undefined) params.set('from', String(filter.from));
  if (filter.to !== undefined) params.set('to', String(filter.to));
  return params;
}

export function sameFilter(a: EventFilter, b: EventFilter): boolean {
  return filterToParams(a).toString() === filterToParams(b).toString();
}

/**
 * Whether a live entry belongs to the list: the server's rules (type and room match exactly, and leave
 * refusals out, which have neither). A search or a room name only the server can tell: the list of one
 * takes no live entries (see takesLiveEntries).
 */
export function entryMatches(entry: InspectorEntry, filter: EventFilter): boolean {
  if (!takesLiveEntries(filter)) return false;
  if (filter.source && entry.source !== filter.source) return false;
  if (filter.outcome && entry.outcome !== filter.outcome) return false;
  if (filter.type !== undefined && (entry.kind === 'refusal' || entry.type !== filter.type)) return false;
  if (filter.room !== undefined && (entry.kind === 'refusal' || entry.roomId !== filter.room)) return false;
  if (filter.from !== undefined && entry.at < filter.from) return false;
  if (filter.to !== undefined && entry.at > filter.to) return false;
  return true;
}

export const SOURCE_LABELS = Object.fromEntries(PLATFORM_CATALOG.map(({ id, label }) => [id, label])) as Record<SourceId, string>;

export const OUTCOME_LABELS: Record<Outcome, string> = {
  accepted: 'Accepted',
  repeat: 'Repeated',
  refused: 'Refused',
  replay: 'Replays',
};

/** A search reads payloads and a room name the rooms' names, which live entries do not carry. */
export function takesLiveEntries(filter: EventFilter): boolean {
  return filter.q === undefined && filter.roomName === undefined;
}
