// LiveSwitch: `X-ApplicationSignature` = base64(HMAC-SHA256(application shared secret, raw body)) on
// application and channel webhooks; with "Batch" on, one POST carries a JSON array of events
// (../shared/protocols/providers.md §3). Event names and shapes are not documented: everything is kept.
import type { NewEvent } from '../../domain/events.js';
import { RejectReason } from '../../ingest/rejection.js';
import { idText, isObject, parseJson, text } from '../../domain/payload-fields.js';
import { headerValue, keptHeaders } from '../shared/headers.js';
import { deliveryHash, matchesAnyKey } from '../shared/signature.js';
import { refuse } from '../shared/verdict.js';
import type { Verdict, WebhookRequest } from '../types.js';
import { secretsFor, type LiveSwitchSettings } from './settings.js';

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * The application a body says it comes from, read before the signature is checked, as LiveSwitch's own
 * validation example does: it only chooses which secret to check with. Intake has already bounded the
 * body's size and depth, so parsing it is safe; it is not trusted until the HMAC matches.
 * Where the id sits is not documented: at the top, else in the object named after the event's origin.
 */
export function applicationIdOf(payload: unknown): string | undefined {
  const first = Array.isArray(payload) ? payload[0] : payload;
  if (!isObject(first)) return undefined;
  const origin = text(first.origin);
  const subject = origin !== undefined && isObject(first[origin]) ? (first[origin] as Record<string, unknown>) : {};
  return idText(first.applicationId) ?? idText(subject.applicationId);
}

export function verifyLiveSwitchWebhook(settings: LiveSwitchSettings, { headers, body }: WebhookRequest): Verdict {
  const signature = headerValue(headers, 'x-applicationsignature');
  if (signature === undefined) return refuse(RejectReason.MissingHeader, 'X-ApplicationSignature');
  if (!BASE64_SHA256.test(signature)) return refuse(RejectReason.MalformedSignature, 'expected base64 of 32 bytes');

  const payload = parseJson(body);
  const applicationId = applicationIdOf(payload);
  const secrets = secretsFor(settings, applicationId);
  // The id is the sender's, not a secret; it is only named so the operator knows which secret to add.
  const detail = applicationId === undefined ? undefined : `application ${applicationId.slice(0, 64).replace(/[^\x20-\x7e]/g, '?')}`;
  if (secrets.length === 0) return refuse(RejectReason.SignatureMismatch, `${detail ?? 'no application id'}: no shared secret is set for it`);
  if (!matchesAnyKey(secrets, [body], Buffer.from(signature, 'base64'))) return refuse(RejectReason.SignatureMismatch, detail);

  const kept = keptHeaders(headers, ['content-type', 'user-agent'], ['x-applicationsignature']);
  const delivery = deliveryHash(body);
  const event = (element: unknown, bytes: Buffer, dedupeKey: string): NewEvent => {
    const item = isObject(element) ? element : {};
    const channel = isObject(item.channel) ? item.channel : {};
    return {
      source: 'liveswitch',
      type: typeof item.type === 'string' && item.type !== '' ? item.type : 'unrecognised',
      createdAt: typeof item.timestamp === 'number' && Number.isFinite(item.timestamp) ? item.timestamp : null,
      dedupeKey,
      roomId: idText(item.channelId) ?? idText(channel.id) ?? null,
      headers: kept,
      body: bytes,
      parsed: element,
    };
  };
  if (!Array.isArray(payload)) return { accepted: true, events: [event(payload, body, `liveswitch:${delivery}`)] };
  // A batch: one stored event per element (the signature covered the whole array).
  return {
    accepted: true,
    events: payload.map((element, i) => event(element, Buffer.from(JSON.stringify(element)), `liveswitch:${delivery}:${i}`)),
  };
}
