// Which projection a stored webhook goes through, by its source.
import type { StoredEvent } from './events.js';
import { projectEnableXEvent } from './enablex-projection.js';
import { projectLiveKitEvent } from './livekit-projection.js';
import { projectLiveSwitchEvent } from './liveswitch-projection.js';
import { projectMeetEvent } from './meet-projection.js';
import { projectOpenViduEvent } from './openvidu-projection.js';
import type { PlatformEvent } from './row-merge.js';
import type { RowReader } from './row-reader.js';
import type { RowChange } from './rows.js';

export function projectWebhook(event: StoredEvent, rows: RowReader): RowChange[] {
  if (event.kind !== 'webhook') return [];
  const payload = event.parsed !== undefined ? event.parsed : parseBody(event.body);
  if (payload === undefined) return [];
  const input: PlatformEvent = { payload, createdAt: event.createdAt, receivedAt: event.receivedAt };
  switch (event.source) {
    case 'meet': {
      // Meet's order rests on `creationDate`, which its adapter always reads.
      if (event.createdAt === null) return [];
      const envelope = payload as { event?: unknown; data?: unknown };
      return projectMeetEvent(
        { type: String(envelope.event), createdAt: event.createdAt, receivedAt: event.receivedAt, data: envelope.data },
        rows,
      );
    }
    case 'openvidu':
      return projectOpenViduEvent(input, rows);
    case 'livekit':
      return projectLiveKitEvent(input, rows);
    case 'enablex':
      return projectEnableXEvent(input, rows);
    case 'liveswitch':
      return projectLiveSwitchEvent(input, rows);
    default:
      return [];
  }
}

/** A stored body that is not JSON (kept because every webhook is kept) projects nothing. */
function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
