// LiveSwitch (../shared/protocols/providers.md §3): application webhooks signed with the application's
// shared secret, on /webhook/liveswitch. Its event names and payloads are not documented.
import { catalogOf } from '../catalog.js';
import type { Platform } from '../types.js';
import { LIVESWITCH_HINTS } from './hints.js';
import { projectLiveSwitchEvent } from './project.js';
import { liveswitchSettings, type LiveSwitchSettings } from './settings.js';
import { liveswitchCredentialHeaders, liveswitchRedeliveryNotes, signLiveSwitchDelivery } from './sign.js';
import { verifyLiveSwitchWebhook } from './verify.js';

export const liveswitch = {
  ...catalogOf('liveswitch'),
  authentication: "X-ApplicationSignature, an HMAC of the body with the application's shared secret",
  settings: liveswitchSettings,
  // §3 of ../shared/protocols/providers.md.
  setupSteps: [
    'In the LiveSwitch console, the application → Webhooks: add one with the webhook URL above, for the Channel events (and any other category you want).',
    "That application's shared secret must be here: a line of LIVESWITCH_APPLICATION_SECRETS (\"applicationId: secret\"), or LIVESWITCH_SHARED_SECRET.",
    'Deployment (server) webhooks are not signed and cannot be verified: do not point them here.',
  ],
  requiredHeaders: () => ['X-ApplicationSignature'],
  hints: LIVESWITCH_HINTS,
  verify: verifyLiveSwitchWebhook,
  sign: signLiveSwitchDelivery,
  credentialHeaders: liveswitchCredentialHeaders,
  redeliveryNotes: liveswitchRedeliveryNotes,
  project: projectLiveSwitchEvent,
  sessionEnded: (event) => event.type === 'channel.deactivated',
} satisfies Platform<LiveSwitchSettings>;
