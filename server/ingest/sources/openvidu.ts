// OpenVidu 2.x (and OpenVidu 3 in 2.x-compatibility mode): no signature at all; OpenVidu sends the
// static headers configured in its OPENVIDU_WEBHOOK_HEADERS with every POST, and each must match
// (../shared/protocols/providers.md §1.2, §1.8). The body is flat: `event`, `timestamp` (ms), `sessionId`…
import { refuse, type SyncSourceAdapter } from './source.js';
import { RejectReason } from '../rejection.js';
import { headerValue, keptHeaders, sameText } from '../signature.js';
import { deliveryHash, idText, isObject, parseJson } from './payload.js';
import type { HintTable } from '../hints.js';

export interface OpenViduSourceOptions {
  /** [name, value] pairs, as in OpenVidu's OPENVIDU_WEBHOOK_HEADERS; empty accepts any POST. */
  headers: readonly (readonly [string, string])[];
}

/** Both sides list the same headers: roomwatch's OPENVIDU_WEBHOOK_HEADERS and OpenVidu's own (../shared/protocols/providers.md §1.1). */
const OPENVIDU_HINTS: HintTable = {
  missing_header: ({ detail }) =>
    `OPENVIDU_WEBHOOK_HEADERS here requires ${detail ?? 'a header'}, and OpenVidu did not send it: add the same "Name: value" to OPENVIDU_WEBHOOK_HEADERS in OpenVidu's .env and restart OpenVidu.`,
  header_mismatch: ({ detail }) =>
    `${detail ?? 'A header'} has another value than OPENVIDU_WEBHOOK_HEADERS here: OpenVidu's OPENVIDU_WEBHOOK_HEADERS (its .env) and roomwatch's must list the very same "Name: value".`,
};

export function openviduSource({ headers: expected }: OpenViduSourceOptions): SyncSourceAdapter {
  const names = expected.map(([name]) => name.toLowerCase());
  return {
    id: 'openvidu',
    requiredHeaders: expected.map(([name]) => name),
    hints: OPENVIDU_HINTS,
    verify({ headers, body }) {
      for (const [name, value] of expected) {
        const actual = headerValue(headers, name.toLowerCase());
        if (actual === undefined) return refuse(RejectReason.MissingHeader, name);
        if (!sameText(actual, value)) return refuse(RejectReason.HeaderMismatch, name);
      }
      const payload = parseJson(body);
      const event = isObject(payload) ? payload : {};
      return {
        accepted: true,
        events: [
          {
            source: 'openvidu',
            type: typeof event.event === 'string' && event.event !== '' ? event.event : 'unrecognised',
            createdAt: typeof event.timestamp === 'number' && Number.isFinite(event.timestamp) ? event.timestamp : null,
            // No event id: v2.18+ re-sends the same request after an I/O error (§1.2).
            dedupeKey: `openvidu:${deliveryHash(body)}`,
            roomId: idText(event.uniqueSessionId) ?? idText(event.sessionId),
            headers: keptHeaders(headers, ['content-type', 'user-agent'], names),
            body,
            parsed: payload,
          },
        ],
      };
    },
  };
}
