// What is kept of a refused webhook (the store keeps the newest 1 000), without its body: a refused
// request is untrusted, and its headers may carry a genuine secret sent to the wrong path, so only a few
// harmless values are kept and every other header by name alone.
import type { IncomingHttpHeaders } from 'node:http';
import type { NewRefusal } from '../store/store.js';
import type { Refusal } from '../ingest/route.js';
import type { RefusalEntry } from './types.js';

export const REFUSALS_KEPT = 1000;

/** Headers whose values say nothing secret and help to tell who sent a request. */
const HARMLESS_HEADERS = ['content-type', 'user-agent', 'content-length'];
const MAX_VALUE_LENGTH = 200;
const MAX_NAMES = 40;
export const MASKED = '[masked]';

export interface RefusalRow {
  id: number;
  at: number;
  source: RefusalEntry['source'];
  reason: string;
  detail: string | null;
  ip: string | null;
  headers: string;
  hint: string | null;
  platform_timestamp: number | null;
  skew_ms: number | null;
}

/** What the store keeps of a refused request: its headers reduced to harmless values. */
export function keptRefusal(refusal: Refusal): NewRefusal {
  return {
    at: refusal.at,
    source: refusal.source,
    reason: refusal.reason,
    detail: refusal.detail ?? null,
    ip: refusal.ip ?? null,
    headers: refusalHeaders(refusal.headers),
    hint: refusal.hint ?? null,
    timestamp: refusal.timestamp ?? null,
    skewMs: refusal.skewMs ?? null,
  };
}

export function toRefusalEntry(row: RefusalRow): RefusalEntry {
  const headers = JSON.parse(row.headers) as Record<string, string>;
  return {
    kind: 'refusal',
    id: row.id,
    at: row.at,
    source: row.source,
    outcome: 'refused',
    reason: row.reason,
    detail: row.detail,
    hint: row.hint,
    timestamp: row.platform_timestamp,
    skewMs: row.skew_ms,
    ip: row.ip,
    headers,
  };
}

/** The same entry with no header value at all, for the live `refusal` frame. */
export function withoutHeaderValues(entry: RefusalEntry): RefusalEntry {
  return { ...entry, headers: Object.fromEntries(Object.keys(entry.headers).map((name) => [name, MASKED])) };
}

/** What is kept of a refused request's headers: the harmless values, every other header as `[masked]`. */
export function refusalHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  let names = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (HARMLESS_HEADERS.includes(name)) {
      const text = Array.isArray(value) ? value.join(', ') : value;
      kept[name] = text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
    } else if (names < MAX_NAMES) {
      kept[name.slice(0, MAX_VALUE_LENGTH)] = MASKED;
      names += 1;
    }
  }
  return kept;
}
