// Signing as Meet does (../shared/protocols/openvidu-meet.md §1.2, §1.3): X-Timestamp is the creation
// time, also written in the body as creationDate, and X-Signature is hex HMAC-SHA256 of
// `X-Timestamp + "." + body` with the API key (the first one of a rotation: the one Meet has now).
import { hmacSha256 } from '../shared/signature.js';
import type { CredentialHeader, RedeliveryFacts, SignedDelivery, SignOptions } from '../types.js';
import { replaceTopLevelNumber } from './creation-date.js';
import type { MeetSettings } from './settings.js';

/** The X-Signature of `body` sent at `timestamp`. */
export function signMeetWebhook(apiKey: string, timestamp: number | string, body: string | Buffer): string {
  return hmacSha256(apiKey, String(timestamp), '.', body).toString('hex');
}

/**
 * A delivery of `body` made at `now`: its creationDate (when it has one) becomes `now`, as Meet's always is;
 * unless the body is kept as it is (forwarding), where only X-Timestamp is new (the Meet tutorial and the
 * snippets check its age and the HMAC, never that creationDate matches it: §3).
 */
export function signMeetDelivery({ apiKeys }: Pick<MeetSettings, 'apiKeys'>, body: string, now: number, { keepBody = false }: SignOptions = {}): SignedDelivery {
  const sent = keepBody ? body : (replaceTopLevelNumber(body, 'creationDate', now) ?? body);
  return {
    headers: { 'Content-Type': 'application/json', 'X-Timestamp': String(now), 'X-Signature': signMeetWebhook(apiKeys[0]!, now, sent) },
    body: sent,
  };
}

export function meetCredentialHeaders(_settings: MeetSettings, now: number): CredentialHeader[] {
  return [{ header: 'X-Signature', variable: 'MEET_SIGNATURE', howTo: `hex HMAC-SHA256(OV_MEET_API_KEY, "${now}." + the body)` }];
}

export function meetRedeliveryNotes({ settings, signedIn, now }: RedeliveryFacts<MeetSettings>): string[] {
  return [
    signedIn
      ? `Signed now with the current Meet API key, with creationDate set to ${now}: it is a new delivery, accepted for the next ${Math.round(settings.maxAgeMs / 1000)} s (MAX_WEBHOOK_AGE).`
      : `creationDate is set to ${now}, so it is a new delivery.`,
  ];
}
