// OpenVidu 3 / LiveKit: `Authorization: <JWT>` (no "Bearer"), HS256 with the secret of the API key named
// in `iss`, valid 5 minutes, and a `sha256` claim = base64(SHA-256(raw body)) (../shared/protocols/
// providers.md §2.2). The secret is chosen by `iss`, as LiveKit's own WebhookReceiver does, which is also
// how keys rotate. Checked with jose rather than by hand; events carry their own `id`, so retries dedupe on it.
import { decodeJwt, errors, jwtVerify } from 'jose';
import { RejectReason } from '../../ingest/rejection.js';
import { idText, isObject, parseJson } from '../../domain/payload-fields.js';
import { headerValue, keptHeaders, type RequestHeaders } from '../shared/headers.js';
import { deliveryHash, sameText, sha256 } from '../shared/signature.js';
import { refuse } from '../shared/verdict.js';
import type { Verdict, WebhookRequest } from '../types.js';
import type { LiveKitSettings } from './settings.js';

/** What LiveKit's own WebhookReceiver allows for clock differences. */
const CLOCK_TOLERANCE_S = 10;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const tokenOf = (headers: RequestHeaders) => headerValue(headers, 'authorization')?.replace(/^Bearer\s+/i, '');

/** The claims of a well-formed token, read without trusting them; undefined otherwise. */
function unverifiedClaims(token: string | undefined): Record<string, unknown> | undefined {
  if (token === undefined || !JWT.test(token)) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

/** The token's issue time, only to show the clock difference with a refusal. */
export function livekitSentAt(headers: RequestHeaders): number | undefined {
  const iat = unverifiedClaims(tokenOf(headers))?.iat;
  return typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 : undefined;
}

export async function verifyLiveKitWebhook({ keys }: LiveKitSettings, { headers, body, receivedAt }: WebhookRequest): Promise<Verdict> {
  const authorization = headerValue(headers, 'authorization');
  if (authorization === undefined || authorization === '') return refuse(RejectReason.MissingHeader, 'Authorization');
  const token = tokenOf(headers)!;
  if (!JWT.test(token)) return refuse(RejectReason.InvalidToken, 'not a JWT');

  // Which key signed it: the issuer names it. Only a key listed here has a secret to check it with.
  const issuer = unverifiedClaims(token)?.iss;
  const key = typeof issuer === 'string' ? keys.find((candidate) => candidate.key === issuer) : undefined;
  if (!key) {
    const named = typeof issuer === 'string' ? `"${issuer.slice(0, 64).replace(/[^\x20-\x7e]/g, '?')}"` : 'no key';
    return refuse(RejectReason.InvalidToken, `signed with ${named}, which is not one of the keys set here`);
  }

  let claims;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(key.secret), {
      algorithms: ['HS256'],
      issuer: key.key,
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
        roomId: idText(room.sid) ?? idText(egress.roomId) ?? idText(room.name) ?? idText(egress.roomName) ?? null,
        headers: keptHeaders(headers, ['content-type', 'user-agent'], ['authorization']),
        body,
        parsed: payload,
      },
    ],
  };
}
