// The key and secret of livekit.yaml's `webhook.api_key` sign every webhook (../shared/protocols/providers.md §2).
import { seconds, type HintTable } from '../../ingest/hints.js';

export const LIVEKIT_HINTS: HintTable = {
  missing_header:
    'LiveKit signs every webhook with a JWT in Authorization: this request did not come from LiveKit, or LiveKit has no webhook.api_key in livekit.yaml.',
  invalid_token: ({ detail }) =>
    `The key LiveKit signs webhooks with (livekit.yaml: webhook.api_key) and its secret (livekit.yaml: keys) must be among LIVEKIT_API_KEY and LIVEKIT_API_SECRET, LIVEKIT_KEYS or LIVEKIT_KEY_FILE here${detail ? `; the token failed on: ${detail}` : ''}.`,
  expired_token: ({ skewMs }) =>
    `${skewMs === undefined ? 'The token is expired' : `The token was issued ${seconds(skewMs)} s ago`}, and LiveKit's are valid 5 minutes: check the clocks of LiveKit's host and this one (NTP), or what holds deliveries back.`,
  body_hash_mismatch:
    'The token is genuine but was made for other bytes: something between LiveKit and roomwatch (a proxy that re-encodes or decompresses bodies) changed the body.',
};
