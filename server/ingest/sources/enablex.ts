// EnableX: optional HTTP Basic authentication with the user and password set in the EnableX portal,
// no signature, no event id; a `type` of roomdrop | recording | transcoded | file-transfer
// (../shared/protocols/providers.md §4). Unknown shapes are stored as they come.
import { refuse, type SyncSourceAdapter } from './source.js';
import { RejectReason } from '../rejection.js';
import { headerValue, keptHeaders, sameText } from '../signature.js';
import { deliveryHash, idText, isObject, parseJson } from './payload.js';
import type { HintTable } from '../hints.js';

export interface EnableXCredentials {
  user: string;
  password: string;
}

const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;

/** HTTP Basic, set in the EnableX portal (../shared/protocols/providers.md §4). */
const ENABLEX_HINTS: HintTable = {
  missing_header:
    'EnableX sends Authorization only with HTTP Authentication on: tick it for this webhook in the EnableX portal (Settings → Manage Configuration → Setup Webhook) with the user and password of ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD.',
  bad_credentials:
    'The user and password of the webhook in the EnableX portal (Settings → Manage Configuration → Setup Webhook → HTTP Authentication) are not ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD: set the same two on both sides.',
};

export function enablexSource({ user, password }: EnableXCredentials): SyncSourceAdapter {
  const expected = `${user}:${password}`;
  return {
    id: 'enablex',
    requiredHeaders: ['Authorization'],
    hints: ENABLEX_HINTS,
    verify({ headers, body }) {
      const authorization = headerValue(headers, 'authorization');
      if (authorization === undefined) return refuse(RejectReason.MissingHeader, 'Authorization');
      const basic = BASIC.exec(authorization);
      if (!basic || !sameText(Buffer.from(basic[1]!, 'base64').toString('utf8'), expected)) return refuse(RejectReason.BadCredentials);

      const payload = parseJson(body);
      const event = isObject(payload) ? payload : {};
      return {
        accepted: true,
        events: [
          {
            source: 'enablex',
            type: typeof event.type === 'string' && event.type !== '' ? event.type : 'unrecognised',
            createdAt: epochMs(event.trans_date),
            dedupeKey: `enablex:${deliveryHash(body)}`,
            roomId: idText(event.room_id),
            headers: keptHeaders(headers, ['content-type', 'user-agent'], ['authorization']),
            body,
            parsed: payload,
          },
        ],
      };
    },
  };
}

/** `trans_date`: a unix time whose unit is not documented; below 1e12 it can only be seconds. */
function epochMs(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return null;
  return number < 1e12 ? number * 1000 : number;
}

/** The Authorization value EnableX sends with HTTP authentication on. */
export function basicAuthorization({ user, password }: EnableXCredentials): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
