// Requests as a platform's check gets them from intake: header names lower-cased and values trimmed, as
// Node hands them over.
import type { WebhookRequest } from '../../server/platforms/types.js';

export function asReceived(headers: Record<string, string>, body: string | Buffer, receivedAt: number): WebhookRequest {
  return {
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value.trim()])),
    body: Buffer.from(body),
    receivedAt,
  };
}
