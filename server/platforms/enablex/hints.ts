// HTTP Basic, set in the EnableX portal (../shared/protocols/providers.md §4).
import type { HintTable } from '../../ingest/hints.js';

export const ENABLEX_HINTS: HintTable = {
  missing_header:
    'EnableX sends Authorization only with HTTP Authentication on: tick it for this webhook in the EnableX portal (Settings → Manage Configuration → Setup Webhook) with the user and password of ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD.',
  bad_credentials:
    'The user and password of the webhook in the EnableX portal (Settings → Manage Configuration → Setup Webhook → HTTP Authentication) are not ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD: set the same two on both sides.',
};
