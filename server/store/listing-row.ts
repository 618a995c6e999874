// A row of the inspector's listing as both backends' SQL returns it (webhooks, replays and refusals in one
// newest-first union), and the entry the API gives for it.
import type { InspectorEntry } from '../inspector/types.js';
import { toRefusalEntry } from '../inspector/refusal-log.js';

export interface ListingRow {
  entry: 'event' | 'replay' | 'refusal';
  id: number;
  at: number;
  source: InspectorEntry['source'];
  entry_type: string | null;
  room_id: string | null;
  repeats: number;
  reason: string | null;
  detail: string | null;
  ip: string | null;
  headers: string | null;
  replay_of: number | null;
  hint: string | null;
  platform_timestamp: number | null;
  skew_ms: number | null;
}

export function toEntry(row: ListingRow): InspectorEntry {
  switch (row.entry) {
    case 'event':
      return {
        kind: 'event',
        seq: row.id,
        at: row.at,
        source: row.source,
        type: row.entry_type ?? '',
        roomId: row.room_id,
        outcome: row.repeats > 0 ? 'repeat' : 'accepted',
        repeats: row.repeats,
      };
    case 'replay':
      return {
        kind: 'replay',
        seq: row.id,
        at: row.at,
        source: row.source,
        type: row.entry_type ?? '',
        roomId: row.room_id,
        outcome: 'replay',
        replayOf: row.replay_of ?? 0,
      };
    case 'refusal':
      return toRefusalEntry({ ...row, reason: row.reason ?? '', headers: row.headers ?? '{}' });
  }
}
