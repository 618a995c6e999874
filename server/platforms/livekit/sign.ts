// A LiveKit webhook's token (../shared/protocols/providers.md §2.2): HS256 with the secret of the first
// key, `iss` = that key, `nbf` = `iat` = now, `exp` = now + 5 minutes, `sha256` = base64(SHA-256(body)).
import { SignJWT } from 'jose';
import { sha256 } from '../shared/signature.js';
import type { CredentialHeader, RedeliveryFacts, SignedDelivery } from '../types.js';
import type { LiveKitKey, LiveKitSettings } from './settings.js';

/** The Authorization value LiveKit would send with this body. */
export async function signLiveKitWebhook({ key, secret }: LiveKitKey, body: string | Buffer, now = Date.now(), validForSeconds = 300): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ sha256: sha256(body).toString('base64') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(key)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + validForSeconds)
    .sign(new TextEncoder().encode(secret));
}

export async function signLiveKitDelivery({ keys }: LiveKitSettings, body: string, now: number): Promise<SignedDelivery> {
  return { headers: { 'Content-Type': 'application/webhook+json', Authorization: await signLiveKitWebhook(keys[0]!, body, now) }, body };
}

export function livekitCredentialHeaders(): CredentialHeader[] {
  return [{ header: 'Authorization', variable: 'LIVEKIT_TOKEN', howTo: 'a LiveKit webhook token for this body' }];
}

export function livekitRedeliveryNotes({ seq }: RedeliveryFacts<LiveKitSettings>): string[] {
  return [
    `LiveKit deliveries are recognised by the event "id": this one is acknowledged as a repeat of #${seq} unless the id is changed, and a changed body needs a new token (the token carries the body's SHA-256). The token is valid for 5 minutes.`,
  ];
}
