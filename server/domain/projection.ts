// Which projection a stored webhook goes through, by its source.
import type { StoredEvent } from './events.js';
import type { RowChange } from './rows.js';
import { projectMeetEvent, type RowReader } from './meet-projection.js';

export function projectWebhook(event: StoredEvent, rows: RowReader): RowChange[] {
  if (event.kind !== 'webhook' || event.createdAt === null) return [];
  const payload = event.parsed ?? (JSON.parse(event.body.toString('utf8')) as unknown);
  switch (event.source) {
    case 'meet': {
      const envelope = payload as { event?: unknown; data?: unknown };
      return projectMeetEvent(
        { type: String(envelope.event), createdAt: event.createdAt, receivedAt: event.receivedAt, data: envelope.data },
        rows,
      );
    }
    default:
      return [];
  }
}
