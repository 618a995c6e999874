// What EnableX sends with HTTP Authentication on: `Authorization: Basic base64(user:password)` (RFC 7617).
import { sameBytesNote } from '../shared/redelivery.js';
import type { CredentialHeader, RedeliveryFacts, SignedDelivery } from '../types.js';
import type { EnableXSettings } from './settings.js';

export function basicAuthorization({ user, password }: EnableXSettings): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export function signEnableXDelivery(settings: EnableXSettings, body: string): SignedDelivery {
  return { headers: { 'Content-Type': 'application/json', Authorization: basicAuthorization(settings) }, body };
}

export function enablexCredentialHeaders(): CredentialHeader[] {
  return [{ header: 'Authorization', variable: 'ENABLEX_AUTHORIZATION', howTo: '"Basic " + base64 of ENABLEX_WEBHOOK_USER:ENABLEX_WEBHOOK_PASSWORD' }];
}

export function enablexRedeliveryNotes({ signedIn, seq }: RedeliveryFacts<EnableXSettings>): string[] {
  return [...(signedIn ? ['The command contains the EnableX webhook password (HTTP Basic): treat it as a secret.'] : []), sameBytesNote('EnableX', seq)];
}
