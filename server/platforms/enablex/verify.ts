// EnableX: optional HTTP Basic authentication with the user and password set in the EnableX portal,
// no signature, no event id; a `type` of roomdrop | recording | transcoded | file-transfer
// (../shared/protocols/providers.md §4). Unknown shapes are stored as they come.
import { RejectReason } from '../../ingest/rejection.js';
import { secondsOrMsToMs } from '../../domain/epoch-ms.js';
import { idText, isObject, parseJson } from '../../domain/payload-fields.js';
import { headerValue, keptHeaders } from '../shared/headers.js';
import { deliveryHash, sameText } from '../shared/signature.js';
import { refuse } from '../shared/verdict.js';
import type { Verdict, WebhookRequest } from '../types.js';
import type { EnableXSettings } from './settings.js';

const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;

export function verifyEnableXWebhook({ user, password }: EnableXSettings, { headers, body }: WebhookRequest): Verdict {
  const authorization = headerValue(headers, 'authorization');
  if (authorization === undefined) return refuse(RejectReason.MissingHeader, 'Authorization');
  const basic = BASIC.exec(authorization);
  if (!basic || !sameText(Buffer.from(basic[1]!, 'base64').toString('utf8'), `${user}:${password}`)) return refuse(RejectReason.BadCredentials);

  const payload = parseJson(body);
  const event = isObject(payload) ? payload : {};
  return {
    accepted: true,
    events: [
      {
        source: 'enablex',
        type: typeof event.type === 'string' && event.type !== '' ? event.type : 'unrecognised',
        // The same reading as the projection's: seconds below 1e12, else ms (the unit is not documented).
        createdAt: secondsOrMsToMs(event.trans_date) ?? null,
        dedupeKey: `enablex:${deliveryHash(body)}`,
        roomId: idText(event.room_id) ?? null,
        headers: keptHeaders(headers, ['content-type', 'user-agent'], ['authorization']),
        body,
        parsed: payload,
      },
    ],
  };
}
