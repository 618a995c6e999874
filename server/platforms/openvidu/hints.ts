// Both sides list the same headers: roomwatch's OPENVIDU_WEBHOOK_HEADERS and OpenVidu's own (../shared/protocols/providers.md §1.1).
import type { HintTable } from '../../ingest/hints.js';

export const OPENVIDU_HINTS: HintTable = {
  missing_header: ({ detail }) =>
    `OPENVIDU_WEBHOOK_HEADERS here requires ${detail ?? 'a header'}, and OpenVidu did not send it: add the same "Name: value" to OPENVIDU_WEBHOOK_HEADERS in OpenVidu's .env and restart OpenVidu.`,
  header_mismatch: ({ detail }) =>
    `${detail ?? 'A header'} has another value than OPENVIDU_WEBHOOK_HEADERS here: OpenVidu's OPENVIDU_WEBHOOK_HEADERS (its .env) and roomwatch's must list the very same "Name: value".`,
};
