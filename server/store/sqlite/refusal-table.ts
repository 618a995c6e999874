// The refused requests, newest REFUSALS_KEPT, in the SQLite file (what is kept of each: inspector/refusal-log.ts).
import type { Db } from './database.js';
import type { NewRefusal } from '../store.js';
import type { RefusalEntry } from '../../inspector/types.js';
import { REFUSALS_KEPT, toRefusalEntry, type RefusalRow } from '../../inspector/refusal-log.js';

export class RefusalTable {
  private readonly insert;
  private readonly prune;

  constructor(
    db: Db,
    private readonly keep = REFUSALS_KEPT,
  ) {
    this.insert = db.prepare<[number, string, string, string | null, string | null, string, string | null, number | null, number | null], RefusalRow>(
      `INSERT INTO refusals (at, source, reason, detail, ip, headers, hint, platform_timestamp, skew_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       RETURNING id, at, source, reason, detail, ip, headers, hint, platform_timestamp, skew_ms`,
    );
    // Ids are consecutive (AUTOINCREMENT, never reused), so this keeps exactly the newest `keep`.
    this.prune = db.prepare<[number]>('DELETE FROM refusals WHERE id <= ?');
  }

  /** Stores one refusal (pruning the oldest past the limit) and returns it as the listing shows it. */
  record(refusal: NewRefusal): RefusalEntry {
    const row = this.insert.get(
      refusal.at,
      refusal.source,
      refusal.reason,
      refusal.detail,
      refusal.ip,
      JSON.stringify(refusal.headers),
      refusal.hint,
      refusal.timestamp,
      refusal.skewMs,
    )!;
    if (row.id > this.keep) this.prune.run(row.id - this.keep);
    return toRefusalEntry(row);
  }
}
