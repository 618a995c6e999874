// OpenVidu Meet: X-Signature = hex(HMAC-SHA256(apiKey, X-Timestamp + "." + rawBody)),
// X-Timestamp = body.creationDate (../shared/protocols/openvidu-meet.md §1.3, §1.4, §3.1).
import type { SyncSourceAdapter, Verdict, WebhookRequest } from './source.js';
import { refuse } from './source.js';
import { RejectReason } from '../rejection.js';
import { HEX_SHA256, headerValue, hmacSha256, matchesAnyKey, pickHeaders } from '../signature.js';
import { isObject, parseJson } from './payload.js';
import { seconds, type HintTable } from '../hints.js';

const TIMESTAMP = /^\d{1,16}$/;
const KEPT_HEADERS = ['x-timestamp', 'content-type', 'user-agent'] as const;

/** What to check when a Meet webhook is refused (../shared/protocols/openvidu-meet.md §1.2–§1.7). */
const MEET_HINTS: HintTable = {
  missing_header: ({ detail }) =>
    `OpenVidu Meet sends X-Timestamp and X-Signature with every webhook, and ${detail ?? 'one'} is missing: this request did not come from Meet. Other platforms have their own paths (/webhook/livekit, /webhook/openvidu, …).`,
  malformed_timestamp: 'X-Timestamp must be the decimal milliseconds Meet sends: something between Meet and roomwatch, or a hand-made request, sent another value.',
  malformed_signature: 'X-Signature must be 64 hex characters (HMAC-SHA256): something between Meet and roomwatch, or a hand-made request, sent another value.',
  stale_timestamp: ({ skewMs, limits }) =>
    `X-Timestamp is ${skewMs === undefined ? 'too' : `${seconds(skewMs)} s`} old (MAX_WEBHOOK_AGE allows ${seconds(limits.maxAgeMs)} s): check the clocks of Meet's host and this one (NTP), or MAX_WEBHOOK_AGE; Meet's own retries finish within about 40 s.`,
  future_timestamp: ({ skewMs, limits }) =>
    `X-Timestamp is ${skewMs === undefined ? 'too far' : `${seconds(skewMs)} s`} ahead of this host's clock (MAX_WEBHOOK_AGE allows ${seconds(limits.maxAgeMs)} s): the clocks of Meet's host and this one differ; sync them (NTP).`,
  signature_mismatch:
    'OV_MEET_API_KEY is not the key this Meet signs with (Meet console → Embedded → API key). After regenerating the key there, set it here; during a change, OV_MEET_API_KEY=new-key,old-key accepts both.',
  timestamp_mismatch: "The body's creationDate is not X-Timestamp, and Meet always sends the same number in both: something between Meet and roomwatch changed one of them.",
  bad_json: 'Signed with the right key, but not a JSON object: Meet did not send this; someone who holds the API key made it by hand.',
};

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
    hints: MEET_HINTS,
    sentAt(headers) {
      const timestamp = headerValue(headers, 'x-timestamp');
      return timestamp !== undefined && TIMESTAMP.test(timestamp) ? Number(timestamp) : undefined;
    },
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
