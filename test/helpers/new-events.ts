// Webhooks as the store receives them (after verification), for tests of the store itself: real Meet
// bodies, so the real projection writes rows for them.
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../server/domain/events.js';

/** A meetingStarted for `roomId`, with a dedupe key of its own unless one is given. */
export function meetWebhook(roomId: string, { dedupeKey = randomUUID(), at = Date.now() }: { dedupeKey?: string; at?: number } = {}): NewEvent {
  const body = JSON.stringify({ event: 'meetingStarted', creationDate: at, data: { roomId, roomName: roomId, status: 'active_meeting', meetingEndAction: 'none' } });
  return { source: 'meet', type: 'meetingStarted', createdAt: at, dedupeKey, roomId, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
}
