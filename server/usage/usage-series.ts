// What GET /api/usage answers: the usage charts' series over one time range. Declared once here; the
// browser imports these too, so page and server cannot drift. Pure types and constants, no I/O.
import type { SourceId } from '../domain/rows.js';

/** The bucket widths a request may ask for, by name, in ms. */
export const BUCKETS = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
} as const;
export type BucketName = keyof typeof BUCKETS;

/** At most this many buckets in one answer: the work of a request is bounded whatever it asks. */
export const MAX_BUCKETS = 1500;

/** How far back a request may reach; the aggregate keeps its hour figures this long (days for ever). */
export const USAGE_HISTORY_MS = 400 * 86_400_000;

/**
 * How far back buckets shorter than an hour may reach; the aggregate keeps its minute figures this long,
 * so that its memory stays small (a month of minutes) however long it runs.
 */
export const MINUTE_HISTORY_MS = 31 * 86_400_000;

export interface UsageSeries {
  /** The range asked for, ms; `from` rounded down to a bucket edge (UTC). */
  from: number;
  to: number;
  bucket: BucketName;
  bucketMs: number;
  /** Where each bucket starts, ms since epoch; every series below has one value per bucket. */
  buckets: number[];
  /** Meetings on at some time during each bucket (a meeting still on counts in every bucket since it began). */
  meetings: number[];
  /** Webhooks received in each bucket, by what became of them. */
  webhooks: {
    /** Stored in the event log (every instance sharing the store counts them alike). */
    stored: number[];
    /** A platform's retry of a delivery already stored: acknowledged, not stored again. */
    repeated: number[];
    /** Refused (bad signature, too old, too large…). */
    refused: number[];
  };
  /** Meeting minutes per UTC day that meets the range, by platform (only platforms with minutes). */
  minutesPerDay: {
    /** Where each day starts (00:00 UTC), ms. */
    days: number[];
    bySource: Partial<Record<SourceId, number[]>>;
  };
  /**
   * Repeats and refusals are not entries of the event log: this instance counts those it answered since
   * it started. Stored webhooks and meetings come from the log.
   */
  repeatsAndRefusalsSince: number;
}
