// OpenVidu 2.x, and OpenVidu 3 in 2.x-compatibility mode (../shared/protocols/providers.md §1): CDR
// webhooks authenticated by static headers, on /webhook/openvidu.
import { catalogOf } from '../catalog.js';
import type { Platform } from '../types.js';
import { OPENVIDU_HINTS } from './hints.js';
import { projectOpenViduEvent } from './project.js';
import { openviduSettings, type OpenViduSettings } from './settings.js';
import { openviduCredentialHeaders, openviduRedeliveryNotes, signOpenViduDelivery } from './sign.js';
import { verifyOpenViduWebhook } from './verify.js';

export const openvidu = {
  ...catalogOf('openvidu'),
  authentication: 'the static headers of OPENVIDU_WEBHOOK_HEADERS',
  settings: openviduSettings,
  requiredHeaders: ({ headers }) => headers.map(([name]) => name),
  hints: OPENVIDU_HINTS,
  verify: verifyOpenViduWebhook,
  sign: signOpenViduDelivery,
  credentialHeaders: openviduCredentialHeaders,
  redeliveryNotes: openviduRedeliveryNotes,
  project: projectOpenViduEvent,
  sessionEnded: (event) => event.type === 'sessionDestroyed',
  warnings: ({ headers }) =>
    headers.length === 0 ? ['OPENVIDU_WEBHOOK_HEADERS is []: /webhook/openvidu accepts posts from anyone who can reach this port'] : [],
} satisfies Platform<OpenViduSettings>;
