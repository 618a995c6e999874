// X-ApplicationSignature as LiveSwitch makes it: base64 HMAC-SHA256 of the body with the shared secret of
// the application the body names (../shared/protocols/providers.md §3).
import { parseJson } from '../../domain/payload-fields.js';
import { sameBytesNote } from '../shared/redelivery.js';
import { hmacSha256 } from '../shared/signature.js';
import type { CredentialHeader, RedeliveryFacts, SignedDelivery } from '../types.js';
import { secretsFor, type LiveSwitchSettings } from './settings.js';
import { applicationIdOf } from './verify.js';

export function signLiveSwitchWebhook(sharedSecret: string, body: string | Buffer): string {
  return hmacSha256(sharedSecret, body).toString('base64');
}

export function signLiveSwitchDelivery(settings: LiveSwitchSettings, body: string): SignedDelivery {
  const applicationId = applicationIdOf(parseJson(body));
  const secret = secretsFor(settings, applicationId)[0];
  if (secret === undefined) {
    throw new Error(`no LiveSwitch shared secret is set for application ${applicationId ?? '(none named)'}: add it to LIVESWITCH_APPLICATION_SECRETS`);
  }
  return { headers: { 'Content-Type': 'application/json', 'X-ApplicationSignature': signLiveSwitchWebhook(secret, body) }, body };
}

export function liveswitchCredentialHeaders(): CredentialHeader[] {
  return [
    {
      header: 'X-ApplicationSignature',
      variable: 'LIVESWITCH_SIGNATURE',
      howTo: "base64 HMAC-SHA256(the application's shared secret from LIVESWITCH_APPLICATION_SECRETS or LIVESWITCH_SHARED_SECRET, the body)",
    },
  ];
}

export function liveswitchRedeliveryNotes({ seq }: RedeliveryFacts<LiveSwitchSettings>): string[] {
  return [sameBytesNote('LiveSwitch', seq)];
}
