// OpenVidu 3 / LiveKit (../shared/protocols/providers.md §2): webhooks signed with a JWT, on
// /webhook/livekit and on /livekit/webhook, where OpenVidu 3's local deployment posts them; with
// LIVEKIT_URL, its server API heals missed webhooks and ends rooms and stops egresses (./api.ts).
import { catalogOf } from '../catalog.js';
import type { Platform } from '../types.js';
import { livekitApi } from './api.js';
import { LIVEKIT_HINTS } from './hints.js';
import { projectLiveKitEvent } from './project.js';
import { livekitSettings, type LiveKitSettings } from './settings.js';
import { livekitCredentialHeaders, livekitRedeliveryNotes, signLiveKitDelivery } from './sign.js';
import { livekitSentAt, verifyLiveKitWebhook } from './verify.js';

export const livekit = {
  ...catalogOf('livekit'),
  authentication: 'a JWT in Authorization, signed with the secret of the API key it names',
  settings: livekitSettings,
  // §2 of ../shared/protocols/providers.md.
  setupSteps: [
    "In livekit.yaml: the webhook URL above under webhook.urls, and webhook.api_key naming one of the server's keys (OpenVidu 3's local deployment already posts to /livekit/webhook on port 6080).",
    'That key and its secret must be here: LIVEKIT_API_KEY and LIVEKIT_API_SECRET, a line of LIVEKIT_KEYS, or LIVEKIT_KEY_FILE.',
    "To heal missed webhooks and end rooms from here: LIVEKIT_URL, LiveKit's own address.",
  ],
  requiredHeaders: () => ['Authorization'],
  hints: LIVEKIT_HINTS,
  sentAt: livekitSentAt,
  verify: verifyLiveKitWebhook,
  sign: signLiveKitDelivery,
  credentialHeaders: livekitCredentialHeaders,
  redeliveryNotes: livekitRedeliveryNotes,
  project: projectLiveKitEvent,
  sessionEnded: (event) => event.type === 'room_finished',
  api: livekitApi,
} satisfies Platform<LiveKitSettings>;
