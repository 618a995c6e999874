// OpenVidu 2.x, and OpenVidu 3 in 2.x-compatibility mode (../shared/protocols/providers.md §1): CDR
// webhooks authenticated by static headers, on /webhook/openvidu, and, with OPENVIDU_URL and
// OPENVIDU_SECRET, its REST API, which heals what lost webhooks leave wrong and carries the actions.
import { catalogOf } from '../catalog.js';
import { isObject, parseJson } from '../../domain/payload-fields.js';
import type { StoredEvent } from '../../domain/events.js';
import type { Platform } from '../types.js';
import { openviduApi } from './api.js';
import { OPENVIDU_HINTS } from './hints.js';
import { projectOpenViduEvent } from './project.js';
import { openviduSettings, type OpenViduSettings } from './settings.js';
import { openviduCredentialHeaders, openviduRedeliveryNotes, signOpenViduDelivery } from './sign.js';
import { verifyOpenViduWebhook } from './verify.js';

export const openvidu = {
  ...catalogOf('openvidu'),
  authentication: 'the static headers of OPENVIDU_WEBHOOK_HEADERS',
  settings: openviduSettings,
  // §1.1 of ../shared/protocols/providers.md.
  setupSteps: [
    "In OpenVidu's .env: OPENVIDU_WEBHOOK=true and OPENVIDU_WEBHOOK_ENDPOINT set to the webhook URL above.",
    "OPENVIDU_WEBHOOK_HEADERS in OpenVidu's .env and OPENVIDU_WEBHOOK_HEADERS here must be the same list: roomwatch requires every header it names.",
    "To heal missed webhooks and close sessions from here: OPENVIDU_URL and OPENVIDU_SECRET (OpenVidu's own secret) here.",
  ],
  requiredHeaders: ({ headers }) => headers.map(([name]) => name),
  hints: OPENVIDU_HINTS,
  verify: verifyOpenViduWebhook,
  sign: signOpenViduDelivery,
  credentialHeaders: openviduCredentialHeaders,
  redeliveryNotes: openviduRedeliveryNotes,
  project: projectOpenViduEvent,
  // After a session ends, and once a file is ready: only the API names its URL (§1.4).
  sessionEnded: (event) => event.type === 'sessionDestroyed' || (event.type === 'recordingStatusChanged' && recordingFinished(event)),
  api: (settings, deps) => (settings.api ? openviduApi(settings.api, deps) : undefined),
  warnings: ({ headers }) =>
    headers.length === 0 ? ['OPENVIDU_WEBHOOK_HEADERS is []: /webhook/openvidu accepts posts from anyone who can reach this port'] : [],
} satisfies Platform<OpenViduSettings>;

function recordingFinished(event: StoredEvent): boolean {
  const payload = event.parsed ?? parseJson(event.body);
  return isObject(payload) && (payload.status === 'ready' || payload.status === 'failed');
}
