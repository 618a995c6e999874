// How apps behind roomwatch check a webhook, written from each platform's documentation and tutorials
// (../shared/protocols/), never with roomwatch's own code: a forwarded delivery must pass them unchanged.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookReceiver } from 'livekit-server-sdk';
import type { ReceivedDelivery } from './forward-target.js';

/** The Meet tutorial's isWebhookEventValid (openvidu-meet.md §3, node/index.js): re-serialized body, 2 min window. */
export function meetTutorialAccepts(request: ReceivedDelivery, apiKey: string): boolean {
  const timestamp = Number.parseInt(String(request.headers['x-timestamp']), 10);
  const signature = String(request.headers['x-signature']);
  if (!timestamp || Date.now() - timestamp >= 120_000) return false;
  const expected = createHmac('sha256', apiKey).update(`${timestamp}.${JSON.stringify(JSON.parse(request.body))}`).digest('hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === 32 && timingSafeEqual(Buffer.from(expected, 'hex'), given);
}

/** LiveKit's own SDK (providers.md §2.2): resolves with the event, or rejects. */
export async function livekitReceives(request: ReceivedDelivery, apiKey: string, apiSecret: string): Promise<{ id?: string; event: string }> {
  return new WebhookReceiver(apiKey, apiSecret).receive(request.body, String(request.headers.authorization));
}

/** LiveSwitch (providers.md §3): base64 HMAC-SHA256 of the raw body with the application's shared secret. */
export function liveswitchAccepts(request: ReceivedDelivery, sharedSecret: string): boolean {
  const expected = Buffer.from(createHmac('sha256', sharedSecret).update(request.body).digest('base64'));
  const given = Buffer.from(String(request.headers['x-applicationsignature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** EnableX (providers.md §4): HTTP Basic with the webhook's user and password (RFC 7617). */
export function enablexAccepts(request: ReceivedDelivery, user: string, password: string): boolean {
  return request.headers.authorization === `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
