// What OpenVidu 2 sends with every webhook: Content-Type: application/json and the configured static
// headers, nothing else (../shared/protocols/providers.md §1.2). "Signing" is adding those headers.
import { sameBytesNote } from '../shared/redelivery.js';
import type { CredentialHeader, RedeliveryFacts, SignedDelivery } from '../types.js';
import type { OpenViduSettings } from './settings.js';

export function signOpenViduDelivery({ headers }: OpenViduSettings, body: string): SignedDelivery {
  return { headers: { 'Content-Type': 'application/json', ...Object.fromEntries(headers) }, body };
}

/** Every configured header is a credential; its variable is named after it (Authorization → OPENVIDU_AUTHORIZATION). */
export function openviduCredentialHeaders({ headers }: OpenViduSettings): CredentialHeader[] {
  return headers.map(([name]) => ({
    header: name,
    variable: `OPENVIDU_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`,
    howTo: `the ${name} value of OPENVIDU_WEBHOOK_HEADERS`,
  }));
}

export function openviduRedeliveryNotes({ settings, signedIn, seq }: RedeliveryFacts<OpenViduSettings>): string[] {
  const secrets = settings.headers.length > 0 && signedIn ? ['The command contains the headers of OPENVIDU_WEBHOOK_HEADERS: treat them as secrets.'] : [];
  return [...secrets, sameBytesNote('OpenVidu', seq)];
}
