// "Copy as curl": the stored body, POSTed to this roomwatch's webhook path for its platform and signed
// now by that platform's own signing (platforms/<id>/sign.ts), as a command to paste into a POSIX shell.
import type { EnabledPlatform } from '../platforms/index.js';
import { platformById } from '../platforms/index.js';
import type { StoredWebhook } from '../store/store.js';

/** A header value, or the name of a shell variable the user sets (a credential is not printed). */
export type HeaderValue = string | { variable: string };

export interface Redelivery {
  path: string;
  headers: [name: string, value: HeaderValue][];
  body: string;
  notes: string[];
}

export interface SigningSettings {
  /** The platforms that are enabled here, with their settings. */
  platforms: readonly EnabledPlatform[];
  /**
   * Whether the command may carry credentials (EnableX's password, OpenVidu 2's headers) or fresh
   * signatures and tokens: only when the dashboard needs a sign-in. On an open dashboard either would
   * let anyone who can open the page post genuine-looking webhooks.
   */
  signedIn: boolean;
}

const OPEN_DASHBOARD =
  'The dashboard has no password (DASHBOARD_PASSWORD), so roomwatch does not hand out fresh signatures or credentials: anyone who can open it could post webhooks with them. Sign in on a protected dashboard for a ready-signed command, or';

/** How to deliver this webhook again now, or why it cannot be done. */
export async function redeliveryFor(event: StoredWebhook, settings: SigningSettings, now: number): Promise<Redelivery | { unavailable: string }> {
  const body = textOf(event.body);
  if (body === undefined) return { unavailable: 'the stored body is not UTF-8 text, so a shell command cannot carry the same bytes' };
  const platform = settings.platforms.find((candidate) => candidate.id === event.source);
  if (!platform) {
    const known = platformById(event.source);
    if (!known) return { unavailable: `no webhook path for source ${String(event.source)}` };
    return { unavailable: `${known.id} webhooks are not enabled here: set ${known.settings.enabledBy} to deliver this one again` };
  }
  let signed;
  try {
    signed = await platform.sign(body, now);
  } catch (error) {
    return { unavailable: `it cannot be signed with the settings here: ${(error as Error).message}` };
  }
  const credentials = settings.signedIn ? [] : platform.credentialHeaders(now);
  const headers: Redelivery['headers'] = Object.entries(signed.headers).map(([name, value]) => {
    if (name.toLowerCase() === 'content-type') return [name, event.headers['content-type'] ?? value];
    const credential = credentials.find((candidate) => candidate.header.toLowerCase() === name.toLowerCase());
    return [name, credential ? { variable: credential.variable } : value];
  });
  const unsigned = credentials.length === 0 ? [] : [`${OPEN_DASHBOARD} set ${credentials.map(({ variable, howTo }) => `${variable} to ${howTo}`).join(', and ')} first.`];
  return {
    path: platform.platform.webhookPaths[0],
    headers,
    body: signed.body,
    notes: [...unsigned, ...platform.redeliveryNotes({ seq: event.seq, signedIn: settings.signedIn, now })],
  };
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

function textOf(body: Buffer): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}
