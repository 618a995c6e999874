// Which projection a stored webhook goes through: its platform's (platforms/<id>/project.ts), found in
// the registry by the event's source.
import type { StoredEvent } from './events.js';
import { parseJson } from './payload-fields.js';
import type { PlatformEvent } from './row-merge.js';
import type { RowReader } from './row-reader.js';
import type { RowChange } from './rows.js';
import { platformById } from '../platforms/index.js';

export function projectWebhook(event: StoredEvent, rows: RowReader): RowChange[] {
  if (event.kind !== 'webhook') return [];
  // A stored body that is not JSON (kept because every webhook is kept) projects nothing.
  const payload = event.parsed !== undefined ? event.parsed : parseJson(event.body);
  if (payload === undefined) return [];
  const input: PlatformEvent = { payload, createdAt: event.createdAt, receivedAt: event.receivedAt };
  return platformById(event.source)?.project(input, rows) ?? [];
}
