// What to check when a Meet webhook is refused (../shared/protocols/openvidu-meet.md §1.2–§1.7).
import { seconds, type HintTable } from '../../ingest/hints.js';
import { PLATFORM_CATALOG } from '../catalog.js';

/** The first path of every other platform (the registry's), for a request that came to the wrong one. */
const OTHER_PATHS = PLATFORM_CATALOG.filter((entry) => entry.webhookPaths[0] !== '/webhook')
  .map((entry) => entry.webhookPaths[0])
  .join(', ');

export const MEET_HINTS: HintTable = {
  missing_header: ({ detail }) =>
    `OpenVidu Meet sends X-Timestamp and X-Signature with every webhook, and ${detail ?? 'one'} is missing: this request did not come from Meet. Other platforms have their own paths (${OTHER_PATHS}).`,
  malformed_timestamp: 'X-Timestamp must be the decimal milliseconds Meet sends: something between Meet and roomwatch, or a hand-made request, sent another value.',
  malformed_signature: 'X-Signature must be 64 hex characters (HMAC-SHA256): something between Meet and roomwatch, or a hand-made request, sent another value.',
  stale_timestamp: ({ skewMs, limits }) =>
    `X-Timestamp is ${skewMs === undefined ? 'too' : `${seconds(skewMs)} s`} old (MAX_WEBHOOK_AGE allows ${seconds(limits.maxAgeMs)} s): check the clocks of Meet's host and this one (NTP), or MAX_WEBHOOK_AGE; Meet's own retries finish within about 40 s.`,
  future_timestamp: ({ skewMs, limits }) =>
    `X-Timestamp is ${skewMs === undefined ? 'too far' : `${seconds(skewMs)} s`} ahead of this host's clock (MAX_WEBHOOK_AGE allows ${seconds(limits.maxAgeMs)} s): the clocks of Meet's host and this one differ; sync them (NTP).`,
  signature_mismatch:
    'OV_MEET_API_KEY is not the key this Meet signs with (Meet console → Embedded → API key). After regenerating the key there, set it here; during a change, OV_MEET_API_KEY=new-key,old-key accepts both.',
  timestamp_mismatch: "The body's creationDate is not X-Timestamp, and Meet always sends the same number in both: something between Meet and roomwatch changed one of them.",
  bad_json: 'Signed with the right key, but not a JSON object: Meet did not send this; someone who holds the API key made it by hand.',
};
