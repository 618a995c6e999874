// OpenVidu Meet: X-Signature = hex(HMAC-SHA256(apiKey, X-Timestamp + "." + rawBody)),
// X-Timestamp = body.creationDate (../shared/protocols/openvidu-meet.md §1.3, §1.4, §3.1).
import type { SyncSourceAdapter, Verdict, WebhookRequest } from './source.js';
import { refuse } from './source.js';
import { RejectReason } from '../rejection.js';
import { HEX_SHA256, headerValue, hmacSha256, matchesAnyKey, pickHeaders } from '../signature.js';
import { isObject, parseJson } from './payload.js';

const TIMESTAMP = /^\d{1,16}$/;
const KEPT_HEADERS = ['x-timestamp', 'content-type', 'user-agent'] as const;

export interface MeetSourceOptions {
  /** Accepted keys; Meet signs with its single API key, several are accepted during a rotation. */
  apiKeys: readonly string[];
  /** Accepted distance of X-Timestamp from the receive time, in both directions, in ms. */
  maxAgeMs: number;
}

export function meetSource({ apiKeys, maxAgeMs }: MeetSourceOptions): SyncSourceAdapter {
  return {
    id: 'meet',
    requiredHeaders: ['X-Timestamp', 'X-Signature'],
    verify({ headers, body, receivedAt }: WebhookRequest): Verdict {
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
    },
  };
}

/** Signs a body the way Meet does; used by the trigger tool and the simulator. */
export function signMeetWebhook(apiKey: string, timestamp: number | string, body: string | Buffer): string {
  return hmacSha256(apiKey, String(timestamp), '.', body).toString('hex');
}
