// GET /api/events query values → a checked filter. Pure; every refusal names the parameter and says
// what it expects. Empty values count as absent (a form with nothing chosen sends them).
import type { SourceId } from '../domain/rows.js';
import { ApiError } from '../api-error.js';
import { OUTCOMES, SOURCE_IDS, type Outcome } from './types.js';
import { EXPORT_FORMATS, type ExportFormat } from './export-format.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** Where a page starts: strictly older than this entry, in the listing's order. */
export interface ListingCursor {
  at: number;
  /** 'w' for entries of the event log (webhooks, replays), 'r' for refusals. */
  table: 'w' | 'r';
  id: number;
}

export interface ListingFilter {
  source?: SourceId;
  /** Exact event type. */
  type?: string;
  /** Exact room id. */
  roomId?: string;
  /** A room's name (as the platform named it), any case: the rooms roomwatch knows by that name. */
  roomName?: string;
  /** Words to find in the payloads of stored webhooks (see searchWords). */
  search?: SearchWords;
  outcome?: Outcome;
  /** Receive time bounds, ms since epoch, both inclusive. */
  from?: number;
  to?: number;
  before?: ListingCursor;
  limit: number;
}

/** A query value the listing cannot use: a 400 naming the parameter. */
export class InvalidQuery extends ApiError {
  override name = 'InvalidQuery';
  constructor(message: string) {
    super(400, 'invalid_query', message);
  }
}

/** Rooms one name may stand for in a filter: each is a part of the query (an index read of its own). */
export const MAX_ROOMS_PER_NAME = 20;

/** A room name shared by more rooms than a filter may stand for. */
export function nameOfTooManyRooms(name: string): InvalidQuery {
  return new InvalidQuery(`more than ${MAX_ROOMS_PER_NAME} rooms are named "${name}"; filter by room id instead`);
}

const KNOWN = ['q', 'source', 'type', 'room', 'roomName', 'outcome', 'from', 'to', 'before', 'limit'];
/** Words in a search at most: each one more is another list of matches to intersect. */
export const MAX_SEARCH_WORDS = 8;
/** A last word this long or longer also matches as the start of a longer word (as typed so far). */
const PREFIX_FROM = 3;
/** What the full-text indexes count as a word (FTS5's unicode61 tokenizer; PostgreSQL's after schema.ts splits at anything else). */
const WORD = /[\p{L}\p{N}]+/gu;
const MILLIS = /^\d{1,15}$/;
const CURSOR = /^(\d{1,15}):([wr]):(\d{1,15})$/;
const MAX_TEXT = 300;

export function parseListingQuery(query: Record<string, unknown>): ListingFilter {
  const unknown = Object.keys(query).filter((name) => !KNOWN.includes(name));
  if (unknown.length > 0) throw new InvalidQuery(`unknown parameter ${unknown.join(', ')}; use ${KNOWN.join(', ')}`);
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new InvalidQuery(`${name} must be given once, as text`);
    return value;
  };

  const filter: ListingFilter = { limit: DEFAULT_LIMIT };
  const source = text('source');
  if (source !== undefined) {
    if (!(SOURCE_IDS as readonly string[]).includes(source)) throw new InvalidQuery(`source must be one of ${SOURCE_IDS.join(', ')}`);
    filter.source = source as SourceId;
  }
  const type = text('type');
  if (type !== undefined) filter.type = boundedText('type', type);
  const room = text('room');
  if (room !== undefined) filter.roomId = boundedText('room', room);
  const roomName = text('roomName');
  if (roomName !== undefined) filter.roomName = boundedText('roomName', roomName);
  const q = text('q');
  if (q !== undefined) filter.search = searchWords(boundedText('q', q));
  const outcome = text('outcome');
  if (outcome !== undefined) {
    if (!(OUTCOMES as readonly string[]).includes(outcome)) throw new InvalidQuery(`outcome must be one of ${OUTCOMES.join(', ')}`);
    filter.outcome = outcome as Outcome;
  }
  const from = text('from');
  if (from !== undefined) filter.from = millis('from', from);
  const to = text('to');
  if (to !== undefined) filter.to = millis('to', to);
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new InvalidQuery('from must not be later than to');
  }
  const before = text('before');
  if (before !== undefined) {
    const match = CURSOR.exec(before);
    if (!match) throw new InvalidQuery('before must be the `next` value of a previous page');
    filter.before = { at: Number(match[1]), table: match[2] as 'w' | 'r', id: Number(match[3]) };
  }
  const limit = text('limit');
  if (limit !== undefined) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) {
      throw new InvalidQuery(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
    }
    filter.limit = Number(limit);
  }
  return filter;
}

/**
 * A search: its words must appear in this order, next to each other (so `standup-1` finds the id
 * "standup-1" and `daily standup` the name "Daily Standup"), any case; the last word may be the start of
 * a longer one. Each backend writes it in its own full-text syntax from the words alone, so nothing the
 * user types is read as search syntax (no OR, NEAR, column filters or bare wildcards).
 */
export interface SearchWords {
  /** Letters and digits only, as the full-text indexes split text into words. */
  words: string[];
  /** Whether the last word also matches as the start of a longer word (it is long enough to). */
  prefix: boolean;
}

export function searchWords(q: string): SearchWords {
  const words = q.match(WORD) ?? [];
  if (words.length === 0) throw new InvalidQuery('q must contain a word (letters or digits)');
  if (words.length > MAX_SEARCH_WORDS) throw new InvalidQuery(`q must have at most ${MAX_SEARCH_WORDS} words`);
  return { words, prefix: words.at(-1)!.length >= PREFIX_FROM };
}

/** GET /api/events/export: a format, and the listing's filter (every entry of it: no limit). */
export function parseExportQuery(query: Record<string, unknown>): { format: ExportFormat; filter: ListingFilter } {
  const { format, ...rest } = query;
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidQuery(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  if (rest.limit !== undefined) throw new InvalidQuery('an export takes every entry of the filter; leave out limit');
  return { format: format as ExportFormat, filter: parseListingQuery(rest) };
}

function boundedText(name: string, value: string): string {
  if (value.length > MAX_TEXT) throw new InvalidQuery(`${name} must be at most ${MAX_TEXT} characters`);
  return value;
}

function millis(name: string, value: string): number {
  if (!MILLIS.test(value)) throw new InvalidQuery(`${name} must be a time in milliseconds since 1970 (a whole number)`);
  return Number(value);
}
