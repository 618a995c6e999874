// LiveSwitch: `X-ApplicationSignature` = base64(HMAC-SHA256(application shared secret, raw body)) on
// application and channel webhooks; with "Batch" on, one POST carries a JSON array of events
// (../shared/protocols/providers.md §3). Event names and shapes are not documented: everything is kept.
import { timingSafeEqual } from 'node:crypto';
import type { NewEvent } from '../../domain/events.js';
import { refuse, type SyncSourceAdapter } from './source.js';
import { RejectReason } from '../rejection.js';
import { headerValue, hmacSha256, keptHeaders } from '../signature.js';
import { deliveryHash, idText, isObject, parseJson } from './payload.js';
import type { HintTable } from '../hints.js';

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** The application's shared secret signs application and channel webhooks; deployment ones are unsigned (../shared/protocols/providers.md §3). */
const LIVESWITCH_HINTS: HintTable = {
  missing_header:
    'LiveSwitch signs application and channel webhooks with X-ApplicationSignature; deployment (server) webhooks carry none and cannot be verified: point only application webhooks here.',
  malformed_signature: 'X-ApplicationSignature must be base64 of 32 bytes (HMAC-SHA256): something between LiveSwitch and roomwatch, or a hand-made request, sent another value.',
  signature_mismatch:
    "LIVESWITCH_SHARED_SECRET is not the shared secret of the application that sends this webhook (LiveSwitch console → Applications → the application's shared secret).",
};

export function liveswitchSource({ sharedSecret }: { sharedSecret: string }): SyncSourceAdapter {
  return {
    id: 'liveswitch',
    requiredHeaders: ['X-ApplicationSignature'],
    hints: LIVESWITCH_HINTS,
    verify({ headers, body }) {
      const signature = headerValue(headers, 'x-applicationsignature');
      if (signature === undefined) return refuse(RejectReason.MissingHeader, 'X-ApplicationSignature');
      if (!BASE64_SHA256.test(signature)) return refuse(RejectReason.MalformedSignature, 'expected base64 of 32 bytes');
      if (!timingSafeEqual(hmacSha256(sharedSecret, body), Buffer.from(signature, 'base64'))) {
        return refuse(RejectReason.SignatureMismatch);
      }

      const payload = parseJson(body);
      const kept = keptHeaders(headers, ['content-type', 'user-agent'], ['x-applicationsignature']);
      const delivery = deliveryHash(body);
      const event = (element: unknown, bytes: Buffer, dedupeKey: string): NewEvent => {
        const item = isObject(element) ? element : {};
        const channel = isObject(item.channel) ? item.channel : {};
        return {
          source: 'liveswitch',
          type: typeof item.type === 'string' && item.type !== '' ? item.type : 'unrecognised',
          createdAt: typeof item.timestamp === 'number' && Number.isFinite(item.timestamp) ? item.timestamp : null,
          dedupeKey,
          roomId: idText(item.channelId) ?? idText(channel.id),
          headers: kept,
          body: bytes,
          parsed: element,
        };
      };
      if (!Array.isArray(payload)) return { accepted: true, events: [event(payload, body, `liveswitch:${delivery}`)] };
      // A batch: one stored event per element (the signature covered the whole array).
      return {
        accepted: true,
        events: payload.map((element, i) => event(element, Buffer.from(JSON.stringify(element)), `liveswitch:${delivery}:${i}`)),
      };
    },
  };
}

/** The X-ApplicationSignature LiveSwitch would send with this body. */
export function signLiveSwitchWebhook(sharedSecret: string, body: string | Buffer): string {
  return hmacSha256(sharedSecret, body).toString('base64');
}
