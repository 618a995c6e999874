// OpenVidu 2.x (and OpenVidu 3 in 2.x-compatibility mode): no signature at all; OpenVidu sends the
// static headers configured in its OPENVIDU_WEBHOOK_HEADERS with every POST, and each must match
// (../shared/protocols/providers.md §1.2, §1.8). The body is flat: `event`, `timestamp` (ms), `sessionId`…
import { RejectReason } from '../../ingest/rejection.js';
import { idText, isObject, parseJson } from '../../domain/payload-fields.js';
import { headerValue, keptHeaders } from '../shared/headers.js';
import { deliveryHash, sameText } from '../shared/signature.js';
import { refuse } from '../shared/verdict.js';
import type { Verdict, WebhookRequest } from '../types.js';
import type { OpenViduSettings } from './settings.js';

export function verifyOpenViduWebhook({ headers: expected }: OpenViduSettings, { headers, body }: WebhookRequest): Verdict {
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
        roomId: idText(event.uniqueSessionId) ?? idText(event.sessionId) ?? null,
        headers: keptHeaders(
          headers,
          ['content-type', 'user-agent'],
          expected.map(([name]) => name.toLowerCase()),
        ),
        body,
        parsed: payload,
      },
    ],
  };
}
