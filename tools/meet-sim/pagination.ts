// List pagination shared by GET /rooms and GET /recordings (../../../shared/protocols/openvidu-meet.md §4.2):
// `maxItems` default 10, floored, clamped to 100, ≤0 or non-numeric → 422; an opaque `nextPageToken` that
// is omitted on the last page.
import { unprocessable } from './errors.js';

export interface PageRequest {
  maxItems: number;
  nextPageToken?: string;
}

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  nextPageToken?: string;
}

/** A position in a sorted list: the sort values of an item, its id last so that positions are unique. */
export type Cursor = (string | number)[];

const DEFAULT_MAX_ITEMS = 10;
const MAX_ITEMS_CAP = 100;

export function parsePageRequest(query: Record<string, unknown>): PageRequest {
  const rawMax = query.maxItems;
  let maxItems = DEFAULT_MAX_ITEMS;
  if (rawMax !== undefined) {
    const value = typeof rawMax === 'string' ? Number(rawMax) : Number.NaN;
    if (Number.isNaN(value)) throw unprocessable([{ field: 'maxItems', message: 'Expected number, received nan' }]);
    if (value <= 0) throw unprocessable([{ field: 'maxItems', message: 'maxItems must be a positive number' }]);
    // Meet floors 0.5 to 0; the simulator serves at least one item so that paging always advances.
    maxItems = Math.max(1, Math.min(MAX_ITEMS_CAP, Math.floor(value)));
  }
  const token = query.nextPageToken;
  return typeof token === 'string' && token !== '' ? { maxItems, nextPageToken: token } : { maxItems };
}

/**
 * One page of `items`, which must already be sorted consistently with `compare`. The token is the cursor of
 * the page's last item, so deleting items between two requests neither skips nor repeats the others.
 */
export function paginate<T>(
  items: readonly T[],
  cursorOf: (item: T) => Cursor,
  compare: (a: Cursor, b: Cursor) => number,
  request: PageRequest,
): Page<T> {
  let rest = items;
  if (request.nextPageToken !== undefined) {
    const after = decodeCursor(request.nextPageToken);
    rest = items.filter((item) => compare(cursorOf(item), after) > 0);
  }
  const pageItems = rest.slice(0, request.maxItems);
  const last = pageItems.at(-1);
  if (rest.length <= request.maxItems || last === undefined) return { items: pageItems, isTruncated: false };
  return { items: pageItems, isTruncated: true, nextPageToken: encodeCursor(cursorOf(last)) };
}

/** Compares cursors value by value; `descending` flips the first (sort) value only, ids stay ascending. */
export function cursorComparator(descending: boolean): (a: Cursor, b: Cursor) => number {
  return (a, b) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const order = compareValues(a[i], b[i]);
      if (order !== 0) return i === 0 && descending ? -order : order;
    }
    return 0;
  };
}

function compareValues(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Byte order, like S3 key listing (§4.2), not locale order.
  return String(a) < String(b) ? -1 : 1;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(token: string): Cursor {
  try {
    const cursor: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(cursor) && cursor.every((v) => typeof v === 'string' || typeof v === 'number')) return cursor;
  } catch {
    // fall through to the refusal below
  }
  throw unprocessable([{ field: 'nextPageToken', message: 'Invalid nextPageToken' }]);
}
