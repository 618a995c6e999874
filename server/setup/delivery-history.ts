// What each platform last delivered and last had refused, read through the store's listing (one
// newest-first page of one entry each, each served by an index): the setup panel asks this, never the
// tables themselves.
import type { SourceId } from '../domain/rows.js';
import type { Store } from '../store/store.js';
import type { LastRefusal, LastWebhook } from './types.js';

export interface DeliveryHistory {
  lastWebhook(source: SourceId): Promise<LastWebhook | undefined>;
  lastRefusal(source: SourceId): Promise<LastRefusal | undefined>;
}

export function storedHistory(store: Pick<Store, 'listEvents'>): DeliveryHistory {
  return {
    lastWebhook: async (source) => {
      // A first delivery and a repeated one are listed apart; the newer of the two newest is the last.
      const pages = await Promise.all((['accepted', 'repeat'] as const).map((outcome) => store.listEvents({ source, outcome, limit: 1 })));
      const newest = pages.flatMap((page) => page.entries).sort((a, b) => b.at - a.at)[0];
      return newest?.kind === 'event' ? { at: newest.at, seq: newest.seq, type: newest.type } : undefined;
    },
    lastRefusal: async (source) => {
      const [newest] = (await store.listEvents({ source, outcome: 'refused', limit: 1 })).entries;
      return newest?.kind === 'refusal'
        ? { at: newest.at, reason: newest.reason, detail: newest.detail, hint: newest.hint, skewMs: newest.skewMs }
        : undefined;
    },
  };
}
