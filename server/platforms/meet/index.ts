// OpenVidu Meet (../shared/protocols/openvidu-meet.md): signed webhooks on /webhook, and a REST API that
// heals what webhooks miss and carries the dashboard's actions.
import { catalogOf } from '../catalog.js';
import type { Platform } from '../types.js';
import { meetApi } from './api.js';
import { MEET_HINTS } from './hints.js';
import { projectMeetWebhook } from './project.js';
import { meetSettings, type MeetSettings } from './settings.js';
import { meetCredentialHeaders, meetRedeliveryNotes, signMeetDelivery } from './sign.js';
import { meetSentAt, verifyMeetWebhook } from './verify.js';

export const meet = {
  ...catalogOf('meet'),
  authentication: 'X-Timestamp and X-Signature, an HMAC of the body with OV_MEET_API_KEY',
  settings: meetSettings,
  // §1.7, §1.8 and §2 of ../shared/protocols/openvidu-meet.md.
  setupSteps: [
    'In the Meet console, page Embedded: turn webhooks on and paste the webhook URL above (at first boot only, MEET_INITIAL_WEBHOOK_ENABLED=true and MEET_INITIAL_WEBHOOK_URL do the same).',
    'The API key on that page signs every webhook: it must be OV_MEET_API_KEY here (several, comma-separated, while you rotate it).',
    "Meet's Test button posts a testEvent: it shows up under Events here.",
  ],
  requiredHeaders: () => ['X-Timestamp', 'X-Signature'],
  hints: MEET_HINTS,
  sentAt: meetSentAt,
  verify: verifyMeetWebhook,
  sign: signMeetDelivery,
  credentialHeaders: meetCredentialHeaders,
  redeliveryNotes: meetRedeliveryNotes,
  project: projectMeetWebhook,
  // Meet announces no room closing or deletion (§1.1): look again after each meeting ends.
  sessionEnded: (event) => event.type === 'meetingEnded',
  api: meetApi,
} satisfies Platform<MeetSettings>;
