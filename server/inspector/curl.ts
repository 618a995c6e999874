// "Copy as curl": the stored body, POSTed to this roomwatch's webhook path for its source and signed
// now with the configured credentials, as a command to paste into a POSIX shell.
import type { Config } from '../config.js';
import type { SourceId } from '../domain/rows.js';
import { PLATFORM_PATHS } from '../ingest/sources/index.js';
import { signMeetWebhook } from '../ingest/sources/meet.js';
import { signLiveKitWebhook } from '../ingest/sources/livekit.js';
import { signLiveSwitchWebhook } from '../ingest/sources/liveswitch.js';
import { basicAuthorization } from '../ingest/sources/enablex.js';
import type { StoredWebhook } from './event-catalog.js';

/** A header value, or the name of a shell variable the user sets (a static secret is not printed). */
export type HeaderValue = string | { variable: string };

export interface Redelivery {
  path: string;
  headers: [name: string, value: HeaderValue][];
  body: string;
  notes: string[];
}

export interface SigningSettings {
  /** The key Meet signs with now (the first of OV_MEET_API_KEY). */
  meetKey: string;
  /** MAX_WEBHOOK_AGE: how long a Meet signature made now is accepted. */
  maxAgeMs: number;
  sources: Config['sources'];
  /**
   * Whether the command may carry credentials (EnableX's password, OpenVidu 2's headers) or fresh
   * signatures and tokens: only when the dashboard needs a sign-in. On an open dashboard either would
   * let anyone who can open the page post genuine-looking webhooks.
   */
  signedIn: boolean;
}

const OPEN_DASHBOARD =
  'The dashboard has no password (DASHBOARD_PASSWORD), so roomwatch does not hand out fresh signatures: anyone who can open it could post webhooks with them. Sign in on a protected dashboard for a ready-signed command, or';

/** How to deliver this webhook again now, or why it cannot be done. */
export async function redeliveryFor(
  event: StoredWebhook,
  settings: SigningSettings,
  now: number,
): Promise<Redelivery | { unavailable: string }> {
  const body = textOf(event.body);
  if (body === undefined) return { unavailable: 'the stored body is not UTF-8 text, so a shell command cannot carry the same bytes' };
  const contentType = event.headers['content-type'] ?? 'application/json';
  const sameBytesNote = (platform: string) =>
    `roomwatch recognises a ${platform} delivery by its bytes: unless this body was one element of a batch, the same body is acknowledged as a repeat of #${event.seq} (200, "repeated"), not stored again`;

  switch (event.source) {
    case 'meet': {
      // The body's creationDate must equal X-Timestamp: replace it in the raw text, every other byte kept.
      const fresh = replaceTopLevelNumber(body, 'creationDate', now);
      const signedBody = fresh ?? body;
      return {
        path: '/webhook',
        headers: [
          ['Content-Type', contentType],
          ['X-Timestamp', String(now)],
          ['X-Signature', settings.signedIn ? signMeetWebhook(settings.meetKey, now, signedBody) : { variable: 'MEET_SIGNATURE' }],
        ],
        body: signedBody,
        notes: [
          settings.signedIn
            ? `Signed now with the current Meet API key, with creationDate set to ${now}: it is a new delivery, accepted for the next ${Math.round(settings.maxAgeMs / 1000)} s (MAX_WEBHOOK_AGE).`
            : `${OPEN_DASHBOARD} set MEET_SIGNATURE to hex HMAC-SHA256(OV_MEET_API_KEY, "${now}." + the body) first; creationDate is set to ${now}, so it is a new delivery.`,
        ],
      };
    }
    case 'livekit': {
      const credentials = settings.sources.livekit;
      if (!credentials) return notEnabled('livekit');
      return {
        path: PLATFORM_PATHS.livekit.paths[0],
        headers: [
          ['Content-Type', contentType],
          ['Authorization', settings.signedIn ? await signLiveKitWebhook(credentials, body, now) : { variable: 'LIVEKIT_TOKEN' }],
        ],
        body,
        notes: [
          ...(settings.signedIn ? [] : [`${OPEN_DASHBOARD} set LIVEKIT_TOKEN to a LiveKit webhook token for this body first.`]),
          `LiveKit deliveries are recognised by the event "id": this one is acknowledged as a repeat of #${event.seq} unless the id is changed, and a changed body needs a new token (the token carries the body's SHA-256). The token is valid for 5 minutes.`,
        ],
      };
    }
    case 'liveswitch': {
      const credentials = settings.sources.liveswitch;
      if (!credentials) return notEnabled('liveswitch');
      return {
        path: PLATFORM_PATHS.liveswitch.paths[0],
        headers: [
          ['Content-Type', contentType],
          ['X-ApplicationSignature', settings.signedIn ? signLiveSwitchWebhook(credentials.sharedSecret, body) : { variable: 'LIVESWITCH_SIGNATURE' }],
        ],
        body,
        notes: [
          ...(settings.signedIn ? [] : [`${OPEN_DASHBOARD} set LIVESWITCH_SIGNATURE to base64 HMAC-SHA256(LIVESWITCH_SHARED_SECRET, the body) first.`]),
          sameBytesNote('LiveSwitch'),
        ],
      };
    }
    case 'enablex': {
      const credentials = settings.sources.enablex;
      if (!credentials) return notEnabled('enablex');
      const authorization: HeaderValue = settings.signedIn ? basicAuthorization(credentials) : { variable: 'ENABLEX_AUTHORIZATION' };
      return {
        path: PLATFORM_PATHS.enablex.paths[0],
        headers: [
          ['Content-Type', contentType],
          ['Authorization', authorization],
        ],
        body,
        notes: [
          ...(settings.signedIn
            ? ['The command contains the EnableX webhook password (HTTP Basic): treat it as a secret.']
            : [
                'The dashboard has no password, so the command does not show the EnableX credentials: set ENABLEX_AUTHORIZATION to "Basic " + base64 of ENABLEX_WEBHOOK_USER:ENABLEX_WEBHOOK_PASSWORD first.',
              ]),
          sameBytesNote('EnableX'),
        ],
      };
    }
    case 'openvidu': {
      const credentials = settings.sources.openvidu;
      if (!credentials) return notEnabled('openvidu');
      const variables: string[] = [];
      const headers: Redelivery['headers'] = [['Content-Type', contentType]];
      for (const [name, value] of credentials.headers) {
        if (settings.signedIn) {
          headers.push([name, value]);
        } else {
          const variable = `OPENVIDU_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
          variables.push(`${variable} (the ${name} value)`);
          headers.push([name, { variable }]);
        }
      }
      const credentialNote =
        credentials.headers.length === 0
          ? []
          : settings.signedIn
            ? ['The command contains the headers of OPENVIDU_WEBHOOK_HEADERS: treat them as secrets.']
            : [`The dashboard has no password, so the command does not show the values of OPENVIDU_WEBHOOK_HEADERS: set ${variables.join(', ')} first.`];
      return { path: PLATFORM_PATHS.openvidu.paths[0], headers, body, notes: [...credentialNote, sameBytesNote('OpenVidu')] };
    }
    default:
      return { unavailable: `no webhook path for source ${String(event.source)}` };
  }
}

/** The command itself: one argument per line, every value single-quoted. */
export function curlCommand(baseUrl: string, delivery: Redelivery): string {
  const lines = [`curl -X POST ${shellQuote(baseUrl + delivery.path)}`];
  for (const [name, value] of delivery.headers) {
    lines.push(`-H ${typeof value === 'string' ? shellQuote(`${name}: ${value}`) : `${shellQuote(`${name}: `)}"$${value.variable}"`}`);
  }
  // --data-raw, not --data-binary: a body starting with @ must not be read as a file name.
  lines.push(`--data-raw ${shellQuote(delivery.body)}`);
  return lines.join(' \\\n  ');
}

/** A POSIX shell word that is exactly `text`: single quotes, each ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * `json` with the number of its top-level `key` replaced by `value`, every other byte unchanged; undefined
 * when the top-level object has no such key with a number. Keys nested deeper (a room's own
 * `creationDate` in `data`) are left alone; a key given twice is replaced twice (JSON.parse keeps the last).
 */
export function replaceTopLevelNumber(json: string, key: string, value: number): string | undefined {
  const numbers: { start: number; length: number }[] = [];
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    else if (char === '"') {
      const end = stringEnd(json, i);
      if (end === -1) break;
      if (depth === 1 && decodedString(json.slice(i, end + 1)) === key) {
        const rest = /^\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(json.slice(end + 1, end + 64));
        if (rest) numbers.push({ start: end + 1 + rest[0].length - rest[1]!.length, length: rest[1]!.length });
      }
      i = end;
    }
  }
  if (numbers.length === 0) return undefined;
  let out = json;
  for (const { start, length } of numbers.reverse()) out = out.slice(0, start) + String(value) + out.slice(start + length);
  return out;
}

/** Index of the quote that closes the string opening at `start`, or -1. */
function stringEnd(json: string, start: number): number {
  for (let i = start + 1; i < json.length; i++) {
    if (json[i] === '\\') i++;
    else if (json[i] === '"') return i;
  }
  return -1;
}

function decodedString(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

function textOf(body: Buffer): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

function notEnabled(source: Exclude<SourceId, 'meet'>): { unavailable: string } {
  return { unavailable: `${source} webhooks are not enabled here: set ${PLATFORM_PATHS[source].enabledBy} to deliver this one again` };
}
