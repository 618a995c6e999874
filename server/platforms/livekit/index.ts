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
