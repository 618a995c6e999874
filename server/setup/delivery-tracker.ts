// Each platform's last webhook and last refusal, kept in memory as they happen, so that the setup screen
// (which reloads as webhooks arrive) never searches the log: finding the newest entry of a platform that
// has been silent while others were busy would walk the whole listing. What happened before this start is
// read from the stored log once per platform, the first time it is asked for.
import type { StoredEvent } from '../domain/events.js';
import type { SourceId } from '../domain/rows.js';
import type { Refusal } from '../ingest/route.js';
import type { DeliveryHistory } from './delivery-history.js';
import type { LastRefusal, LastWebhook } from './types.js';

export class DeliveryTracker implements DeliveryHistory {
  private readonly webhooks = new Map<SourceId, LastWebhook | undefined>();
  private readonly refusals = new Map<SourceId, LastRefusal | undefined>();

  /** `stored` answers for what happened before this start (the inspector's listing). */
  constructor(private readonly stored: DeliveryHistory) {}

  lastWebhook(source: SourceId): LastWebhook | undefined {
    if (!this.webhooks.has(source)) this.webhooks.set(source, this.stored.lastWebhook(source));
    return this.webhooks.get(source);
  }

  lastRefusal(source: SourceId): LastRefusal | undefined {
    if (!this.refusals.has(source)) this.refusals.set(source, this.stored.lastRefusal(source));
    return this.refusals.get(source);
  }

  /** Entries just committed to the log (EventLog.onCommitted): its webhooks are the newest. */
  committed(entries: readonly StoredEvent[]): void {
    for (const { kind, source, seq, type, receivedAt } of entries) {
      if (kind === 'webhook') this.webhooks.set(source, { at: receivedAt, seq, type });
    }
  }

  /** A webhook just refused (the intake's onRefused). */
  refused({ source, at, reason, detail, hint, skewMs }: Refusal): void {
    this.refusals.set(source, { at, reason, detail: detail ?? null, hint: hint ?? null, skewMs: skewMs ?? null });
  }
}
