// Each platform's last webhook, kept in memory from the store's feed, so that the setup screen (which
// reloads as webhooks arrive) never searches the log for it. What happened before this start is read from
// the stored log once per platform, the first time it is asked for. On a store shared by several instances
// the feed carries every instance's webhooks, so every instance reports the same last webhook.
//
// Refusals are not log entries and no feed carries them: the last refusal is read from the store each time
// the report is asked for (one row from the refusals' index, a table of at most 1 000), so an instance
// reports a refusal that another instance took as soon as that one has stored it.
import type { StoredEvent } from '../domain/events.js';
import type { SourceId } from '../domain/rows.js';
import type { DeliveryHistory } from './delivery-history.js';
import type { LastRefusal, LastWebhook } from './types.js';

export class DeliveryTracker implements DeliveryHistory {
  /** What the feed has brought, by platform. */
  private readonly followed = new Map<SourceId, LastWebhook>();
  /** The stored log's answer, read once per platform. */
  private readonly stored = new Map<SourceId, Promise<LastWebhook | undefined>>();

  /** `history` answers for what happened before this start (the store's listing). */
  constructor(private readonly history: DeliveryHistory) {}

  async lastWebhook(source: SourceId): Promise<LastWebhook | undefined> {
    let stored = this.stored.get(source);
    if (!stored) {
      stored = this.history.lastWebhook(source);
      this.stored.set(source, stored);
      // A failed read is tried again at the next ask rather than kept.
      stored.catch(() => this.stored.delete(source));
    }
    // Read after subscribing to the feed, the listing has every webhook the feed may not bring; the feed
    // may also bring what the listing already had: the higher sequence number is the newer.
    const [fromLog, fromFeed] = [await stored, this.followed.get(source)];
    return fromLog === undefined || (fromFeed !== undefined && fromFeed.seq > fromLog.seq) ? fromFeed : fromLog;
  }

  lastRefusal(source: SourceId): Promise<LastRefusal | undefined> {
    return this.history.lastRefusal(source);
  }

  /** Entries of the store's feed (Store.onCommitted), in sequence order: its webhooks are the newest. */
  committed(entries: readonly StoredEvent[]): void {
    for (const { kind, source, seq, type, receivedAt } of entries) {
      if (kind === 'webhook') this.followed.set(source, { at: receivedAt, seq, type });
    }
  }
}
