// OpenVidu Meet: X-Signature = hex(HMAC-SHA256(apiKey, X-Timestamp + "." + rawBody)),
// X-Timestamp = body.creationDate (../shared/protocols/openvidu-meet.md §1.3, §1.4, §3.1).
import { RejectReason } from '../../ingest/rejection.js';
import { isObject, parseJson } from '../../domain/payload-fields.js';
import { headerValue, pickHeaders, type RequestHeaders } from '../shared/headers.js';
import { HEX_SHA256, matchesAnyKey } from '../shared/signature.js';
import { refuse } from '../shared/verdict.js';
import type { Verdict, WebhookRequest } from '../types.js';
import type { MeetSettings } from './settings.js';

export const TIMESTAMP = /^\d{1,16}$/;
const KEPT_HEADERS = ['x-timestamp', 'content-type', 'user-agent'] as const;

/** X-Timestamp, when it is one; shown with a refusal (not a secret). */
export function meetSentAt(headers: RequestHeaders): number | undefined {
  const timestamp = headerValue(headers, 'x-timestamp');
  return timestamp !== undefined && TIMESTAMP.test(timestamp) ? Number(timestamp) : undefined;
}

export function verifyMeetWebhook({ apiKeys, maxAgeMs }: MeetSettings, { headers, body, receivedAt }: WebhookRequest): Verdict {
  const timestamp = headerValue(headers, 'x-timestamp');
  const signature = headerValue(headers, 'x-signature');
  if (timestamp === undefined) return refuse(RejectReason.MissingHeader, 'X-Timestamp');
  if (signature === undefined) return refuse(RejectReason.MissingHeader, 'X-Signature');
  if (!TIMESTAMP.test(timestamp)) return refuse(RejectReason.MalformedTimestamp);
  if (!HEX_SHA256.test(signature)) return refuse(RejectReason.MalformedSignature);

  const createdAt = Number(timestamp);
  const age = receivedAt - createdAt;
  if (age > maxAgeMs) return refuse(RejectReason.StaleTimestamp, `${Math.round(age / 1000)} s old`);
  if (-age > maxAgeMs) return refuse(RejectReason.FutureTimestamp, `${Math.round(-age / 1000)} s ahead`);

  // Signed bytes are the raw body: never a re-serialization of the parsed JSON.
  if (!matchesAnyKey(apiKeys, [timestamp, '.', body], Buffer.from(signature, 'hex'))) {
    return refuse(RejectReason.SignatureMismatch);
  }

  const payload = parseJson(body);
  if (!isObject(payload)) return refuse(RejectReason.BadJson);
  if ('creationDate' in payload && payload.creationDate !== createdAt) {
    return refuse(RejectReason.TimestampMismatch);
  }

  const data = isObject(payload.data) ? payload.data : {};
  return {
    accepted: true,
    events: [
      {
        source: 'meet',
        type: typeof payload.event === 'string' && payload.event !== '' ? payload.event : 'unrecognised',
        createdAt,
        // Meet retries the very same bytes with the same timestamp, hence the same signature (§1.5).
        dedupeKey: `meet:${signature.toLowerCase()}`,
        roomId: typeof data.roomId === 'string' ? data.roomId : null,
        headers: pickHeaders(headers, KEPT_HEADERS),
        body,
        parsed: payload,
      },
    ],
  };
}
