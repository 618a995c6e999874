// EnableX (../shared/protocols/providers.md §4): notifications after a session, with HTTP Basic, on
// /webhook/enablex; room names and who took part from its Server API, when ENABLEX_APP_ID is set.
import { catalogOf } from '../catalog.js';
import type { Platform } from '../types.js';
import { enablexApi } from './api.js';
import { ENABLEX_HINTS } from './hints.js';
import { projectEnableXEvent } from './project.js';
import { enablexSettings, type EnableXSettings } from './settings.js';
import { enablexCredentialHeaders, enablexRedeliveryNotes, signEnableXDelivery } from './sign.js';
import { verifyEnableXWebhook } from './verify.js';

export const enablex = {
  ...catalogOf('enablex'),
  authentication: 'HTTP Basic authentication',
  settings: enablexSettings,
  // §4 of ../shared/protocols/providers.md.
  setupSteps: [
    'In the EnableX portal, Settings → Manage Configuration → Setup Webhook: the webhook URL above (EnableX posts only to https addresses).',
    'Tick HTTP Authentication there, with the user and password of ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD here.',
    'For room names and who took part: ENABLEX_APP_ID and ENABLEX_APP_KEY (the project\'s APP_ID and APP_KEY) here.',
  ],
  requiredHeaders: () => ['Authorization'],
  hints: ENABLEX_HINTS,
  verify: verifyEnableXWebhook,
  sign: signEnableXDelivery,
  credentialHeaders: enablexCredentialHeaders,
  redeliveryNotes: enablexRedeliveryNotes,
  project: projectEnableXEvent,
  sessionEnded: (event) => event.type === 'roomdrop',
  api: enablexApi,
} satisfies Platform<EnableXSettings>;
