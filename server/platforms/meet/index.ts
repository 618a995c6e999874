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
