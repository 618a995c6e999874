// GET /api/usage query values → a checked range. Pure; every refusal names the parameter and says what it
// expects. The number of buckets is bounded, so no request can ask for unbounded work.
import { ApiError } from '../api-error.js';
import type { UsageRange } from './usage-aggregate.js';
import { BUCKETS, MAX_BUCKETS, MINUTE_HISTORY_MS, USAGE_HISTORY_MS, type BucketName } from './usage-series.js';

const KNOWN = ['from', 'to', 'bucket'];
const MILLIS = /^\d{1,15}$/;
const DEFAULT_SPAN_MS = 86_400_000;
const DEFAULT_BUCKET: BucketName = '1h';

export class InvalidUsageQuery extends ApiError {
  override name = 'InvalidUsageQuery';
  constructor(message: string) {
    super(400, 'invalid_query', message);
  }
}

/** `from` and `to` are ms since the epoch (`to` defaults to now, `from` to a day before `to`). */
export function parseUsageQuery(query: Record<string, unknown>, now: number): UsageRange {
  const unknown = Object.keys(query).filter((name) => !KNOWN.includes(name));
  if (unknown.length > 0) throw new InvalidUsageQuery(`unknown parameter ${unknown.join(', ')}; use ${KNOWN.join(', ')}`);
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new InvalidUsageQuery(`${name} must be given once, as text`);
    return value;
  };
  const millis = (name: string): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!MILLIS.test(value)) throw new InvalidUsageQuery(`${name} must be a time in ms since the epoch, e.g. ${now}`);
    return Number(value);
  };

  const bucketName = text('bucket') ?? DEFAULT_BUCKET;
  if (!Object.hasOwn(BUCKETS, bucketName)) throw new InvalidUsageQuery(`bucket must be one of ${Object.keys(BUCKETS).join(', ')}`);
  const bucket = bucketName as BucketName;
  const bucketMs = BUCKETS[bucket];
  const to = millis('to') ?? now;
  const asked = millis('from') ?? to - DEFAULT_SPAN_MS;
  if (asked >= to) throw new InvalidUsageQuery('from must be earlier than to');
  if (asked < now - USAGE_HISTORY_MS) throw new InvalidUsageQuery(`from must be within the last ${USAGE_HISTORY_MS / 86_400_000} days`);
  if (bucketMs < BUCKETS['1h'] && asked < now - MINUTE_HISTORY_MS) {
    throw new InvalidUsageQuery(`buckets shorter than 1h reach back ${MINUTE_HISTORY_MS / 86_400_000} days at most; ask for 1h or 1d buckets`);
  }
  // Buckets start on their own edges (UTC), so a day bucket is a calendar day.
  const from = Math.floor(asked / bucketMs) * bucketMs;
  const count = Math.ceil((to - from) / bucketMs);
  if (count > MAX_BUCKETS) {
    throw new InvalidUsageQuery(`that range holds ${count} buckets of ${bucket}; at most ${MAX_BUCKETS}: ask for a larger bucket or a shorter range`);
  }
  return { from, to, bucket };
}
