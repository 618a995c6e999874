// OpenVidu 3 / LiveKit: `Authorization: <JWT>` (no "Bearer"), HS256 with the API secret, `iss` = the API
// key, valid 5 minutes, and a `sha256` claim = base64(SHA-256(raw body)) (../shared/protocols/providers.md
// §2.2). Checked with jose rather than by hand; events carry their own `id`, so retries dedupe on it.
import { SignJWT, decodeJwt, errors, jwtVerify } from 'jose';
import type { SourceAdapter } from './source.js';
import { refuse } from './source.js';
import { RejectReason } from '../rejection.js';
import { headerValue, keptHeaders, sameText, sha256 } from '../signature.js';
import { deliveryHash, idText, isObject, parseJson } from './payload.js';
import { seconds, type HintTable } from '../hints.js';

export interface LiveKitCredentials {
  apiKey: string;
  apiSecret: string;
}

/** What LiveKit's own WebhookReceiver allows for clock differences. */
const CLOCK_TOLERANCE_S = 10;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** The key and secret of livekit.yaml's `webhook.api_key` sign every webhook (../shared/protocols/providers.md §2). */
const LIVEKIT_HINTS: HintTable = {
  missing_header:
    "LiveKit signs every webhook with a JWT in Authorization: this request did not come from LiveKit, or LiveKit has no webhook.api_key in livekit.yaml.",
  invalid_token: ({ detail }) =>
    `LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be the key LiveKit signs webhooks with (livekit.yaml: webhook.api_key) and that key's secret (livekit.yaml: keys)${detail ? `; the token failed on: ${detail}` : ''}.`,
  expired_token: ({ skewMs }) =>
    `${skewMs === undefined ? 'The token is expired' : `The token was issued ${seconds(skewMs)} s ago`}, and LiveKit's are valid 5 minutes: check the clocks of LiveKit's host and this one (NTP), or what holds deliveries back.`,
  body_hash_mismatch:
    'The token is genuine but was made for other bytes: something between LiveKit and roomwatch (a proxy that re-encodes or decompresses bodies) changed the body.',
};

export function livekitSource({ apiKey, apiSecret }: LiveKitCredentials): SourceAdapter {
  const secret = new TextEncoder().encode(apiSecret);
  return {
    id: 'livekit',
    requiredHeaders: ['Authorization'],
    hints: LIVEKIT_HINTS,
    sentAt(headers) {
      // The token's issue time, read without trusting it (only to show the clock difference).
      const token = headerValue(headers, 'authorization')?.replace(/^Bearer\s+/i, '');
      if (token === undefined || !JWT.test(token)) return undefined;
      try {
        const { iat } = decodeJwt(token);
        return typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 : undefined;
      } catch {
        return undefined;
      }
    },
    async verify({ headers, body, receivedAt }) {
      const authorization = headerValue(headers, 'authorization');
      if (authorization === undefined || authorization === '') return refuse(RejectReason.MissingHeader, 'Authorization');
      const token = authorization.replace(/^Bearer\s+/i, '');
      if (!JWT.test(token)) return refuse(RejectReason.InvalidToken, 'not a JWT');

      let claims;
      try {
        ({ payload: claims } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          issuer: apiKey,
          clockTolerance: CLOCK_TOLERANCE_S,
          currentDate: new Date(receivedAt),
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) return refuse(RejectReason.ExpiredToken);
        const reason = error instanceof errors.JWTClaimValidationFailed ? `${error.claim} claim: ${error.reason}` : 'bad signature';
        return refuse(RejectReason.InvalidToken, reason);
      }
      if (typeof claims.sha256 !== 'string' || !sameText(claims.sha256, sha256(body).toString('base64'))) {
        return refuse(RejectReason.BodyHashMismatch);
      }

      const payload = parseJson(body);
      const event = isObject(payload) ? payload : {};
      const room = isObject(event.room) ? event.room : {};
      const egress = isObject(event.egressInfo) ? event.egressInfo : {};
      // `createdAt` is int64 seconds, which protojson writes as a string (§2.3).
      const seconds = Number(event.createdAt);
      return {
        accepted: true,
        events: [
          {
            source: 'livekit',
            type: typeof event.event === 'string' && event.event !== '' ? event.event : 'unrecognised',
            createdAt: typeof event.createdAt !== 'undefined' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null,
            dedupeKey: `livekit:${idText(event.id) ?? deliveryHash(body)}`,
            roomId: idText(room.sid) ?? idText(egress.roomId) ?? idText(room.name) ?? idText(egress.roomName),
            headers: keptHeaders(headers, ['content-type', 'user-agent'], ['authorization']),
            body,
            parsed: payload,
          },
        ],
      };
    },
  };
}

/** The Authorization value LiveKit would send with this body; for the trigger tool, the simulator and "copy as curl". */
export async function signLiveKitWebhook(
  { apiKey, apiSecret }: LiveKitCredentials,
  body: string | Buffer,
  now = Date.now(),
  validForSeconds = 300,
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ sha256: sha256(body).toString('base64') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(apiKey)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + validForSeconds)
    .sign(new TextEncoder().encode(apiSecret));
}
