// The application's shared secret signs application and channel webhooks; deployment ones are unsigned (../shared/protocols/providers.md §3).
import type { HintTable } from '../../ingest/hints.js';

export const LIVESWITCH_HINTS: HintTable = {
  missing_header:
    'LiveSwitch signs application and channel webhooks with X-ApplicationSignature; deployment (server) webhooks carry none and cannot be verified: point only application webhooks here.',
  malformed_signature: 'X-ApplicationSignature must be base64 of 32 bytes (HMAC-SHA256): something between LiveSwitch and roomwatch, or a hand-made request, sent another value.',
  signature_mismatch: ({ detail }) =>
    `The shared secret of the application that sends this webhook (LiveSwitch console → Applications → the application's shared secret) must be set here: in LIVESWITCH_APPLICATION_SECRETS as "applicationId: secret", or as LIVESWITCH_SHARED_SECRET${detail ? ` (${detail})` : ''}.`,
};
