// What each platform last delivered and last had refused, read through the inspector's listing (one
// newest-first page of one entry each): the setup panel asks this, never the tables themselves.
import type { SourceId } from '../domain/rows.js';
import type { EventCatalog } from '../inspector/event-catalog.js';
import type { LastRefusal, LastWebhook } from './types.js';

export interface DeliveryHistory {
  lastWebhook(source: SourceId): LastWebhook | undefined;
  lastRefusal(source: SourceId): LastRefusal | undefined;
}

export function catalogHistory(catalog: Pick<EventCatalog, 'page'>): DeliveryHistory {
  return {
    lastWebhook: (source) => {
      // A first delivery and a repeated one are listed apart; the newer of the two newest is the last.
      const newest = (['accepted', 'repeat'] as const)
        .flatMap((outcome) => catalog.page({ source, outcome, limit: 1 }).entries)
        .sort((a, b) => b.at - a.at)[0];
      return newest?.kind === 'event' ? { at: newest.at, seq: newest.seq, type: newest.type } : undefined;
    },
    lastRefusal: (source) => {
      const [newest] = catalog.page({ source, outcome: 'refused', limit: 1 }).entries;
      return newest?.kind === 'refusal'
        ? { at: newest.at, reason: newest.reason, detail: newest.detail, hint: newest.hint, skewMs: newest.skewMs }
        : undefined;
    },
  };
}
