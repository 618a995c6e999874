// Posting a platform's webhook to roomwatch with the authentication that platform uses
// (../shared/protocols/providers.md §1.2, §2.2, §3, §4), or on purpose a wrong one. The signing helpers
// are roomwatch's own exports, the credentials the same settings roomwatch reads.
import { loadConfig, type Config } from '../../server/config.js';
import { RejectReason } from '../../server/ingest/rejection.js';
import { basicAuthorization } from '../../server/ingest/sources/enablex.js';
import { PLATFORM_PATHS } from '../../server/ingest/sources/index.js';
import { signLiveKitWebhook } from '../../server/ingest/sources/livekit.js';
import { signLiveSwitchWebhook } from '../../server/ingest/sources/liveswitch.js';

export type Platform = keyof typeof PLATFORM_PATHS;
export const PLATFORMS = Object.keys(PLATFORM_PATHS) as Platform[];

/** Each platform's credentials, as roomwatch's configuration holds them (unset = platform off). */
export type PlatformCredentials = Config['sources'];

/** A wrong authentication, sent on purpose. */
export type Tamper = 'bad-signature' | 'missing-auth' | 'stale' | 'future';

/** What roomwatch answers to each wrong authentication (server/ingest/rejection.ts); absent = not applicable. */
export const EXPECTED_REFUSAL: Record<Platform, Partial<Record<Tamper, RejectReason>>> = {
  // A wrong value of the configured header; no header at all.
  openvidu: { 'bad-signature': RejectReason.HeaderMismatch, 'missing-auth': RejectReason.MissingHeader },
  // A token signed with another secret; none; one that expired; one not valid yet (nbf ahead).
  livekit: {
    'bad-signature': RejectReason.InvalidToken,
    'missing-auth': RejectReason.MissingHeader,
    stale: RejectReason.ExpiredToken,
    future: RejectReason.InvalidToken,
  },
  liveswitch: { 'bad-signature': RejectReason.SignatureMismatch, 'missing-auth': RejectReason.MissingHeader },
  enablex: { 'bad-signature': RejectReason.BadCredentials, 'missing-auth': RejectReason.MissingHeader },
};

/** What each platform sends besides authentication. */
export const SENDER_HEADERS: Readonly<Record<Platform, Readonly<Record<string, string>>>> = {
  // Apache HttpClient's default User-Agent: expected, never captured (§1.2, §5.4).
  openvidu: { 'Content-Type': 'application/json', 'User-Agent': 'Apache-HttpClient/4.5.14 (Java/11.0.25)' },
  livekit: { 'Content-Type': 'application/webhook+json', 'User-Agent': 'LiveKit' },
  // Not documented (§3, §4): plain JSON is assumed.
  liveswitch: { 'Content-Type': 'application/json' },
  enablex: { 'Content-Type': 'application/json' },
};

/** The platform's webhook path on a roomwatch at `baseUrl`, e.g. http://localhost:6080/webhook/livekit. */
export function webhookUrl(baseUrl: string, platform: Platform): string {
  return `${baseUrl.replace(/\/+$/, '')}${PLATFORM_PATHS[platform].paths[0]}`;
}

/** Why a webhook cannot be prepared: credentials not set, or a wrong authentication that does not apply. */
export class DeliveryProblem extends Error {
  override name = 'DeliveryProblem';
}

/** The platform's credentials from the environment (and .env, when the caller loaded it), read as roomwatch reads them. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformCredentials {
  return loadConfig(env).sources;
}

/** Throws a DeliveryProblem naming the settings to set when the platform's credentials are missing. */
export function requireCredentials<P extends Platform>(platform: P, credentials: PlatformCredentials): NonNullable<PlatformCredentials[P]> {
  const own = credentials[platform];
  if (own === undefined) {
    throw new DeliveryProblem(
      `${platform} credentials are not set: set ${PLATFORM_PATHS[platform].enabledBy} (in the environment or .env), the same settings roomwatch uses`,
    );
  }
  return own as NonNullable<PlatformCredentials[P]>;
}

export interface PrepareOptions {
  credentials: PlatformCredentials;
  tamper?: Tamper;
  /** The sender's clock (LiveKit's token times); default now. */
  now?: number;
}

export interface PreparedWebhook {
  platform: Platform;
  body: string;
  /** Everything the sender puts on the request, authentication included. */
  headers: Record<string, string>;
}

/** The request a platform would send with this body; re-sending it as is is what a retry does. */
export async function prepareWebhook(platform: Platform, body: string, { credentials, tamper, now = Date.now() }: PrepareOptions): Promise<PreparedWebhook> {
  if (tamper !== undefined && EXPECTED_REFUSAL[platform][tamper] === undefined) {
    throw new DeliveryProblem(`--${tamper} does not apply to ${platform}: ${platform} webhooks carry no timestamp or token lifetime to get wrong`);
  }
  const headers = { ...SENDER_HEADERS[platform] };
  const authentication = await authenticationHeaders(platform, body, credentials, tamper, now);
  if (tamper !== 'missing-auth') Object.assign(headers, authentication);
  return { platform, body, headers };
}

async function authenticationHeaders(
  platform: Platform,
  body: string,
  credentials: PlatformCredentials,
  tamper: Tamper | undefined,
  now: number,
): Promise<Record<string, string>> {
  const wrong = tamper === 'bad-signature';
  switch (platform) {
    case 'openvidu': {
      const { headers } = requireCredentials('openvidu', credentials);
      if (headers.length === 0 && tamper !== undefined) {
        throw new DeliveryProblem('OPENVIDU_WEBHOOK_HEADERS is [], so roomwatch accepts any OpenVidu POST: there is no header to get wrong or leave out');
      }
      // Wrong: the first configured header with another value (same length, last character changed).
      return Object.fromEntries(headers.map(([name, value], i) => [name, wrong && i === 0 ? changeLast(value) : value]));
    }
    case 'livekit': {
      const { apiKey, apiSecret } = requireCredentials('livekit', credentials);
      const secret = wrong ? `${apiSecret}-not-the-secret` : apiSecret;
      // LiveKit's tokens live 5 minutes; roomwatch allows 10 s of clock difference.
      const issuedAt = tamper === 'stale' ? now - 10 * 60_000 : tamper === 'future' ? now + 3 * 60_000 : now;
      return { Authorization: await signLiveKitWebhook({ apiKey, apiSecret: secret }, body, issuedAt, 300) };
    }
    case 'liveswitch': {
      const { sharedSecret } = requireCredentials('liveswitch', credentials);
      return { 'X-ApplicationSignature': signLiveSwitchWebhook(wrong ? `${sharedSecret}-not-the-secret` : sharedSecret, body) };
    }
    case 'enablex': {
      const { user, password } = requireCredentials('enablex', credentials);
      return { Authorization: basicAuthorization({ user, password: wrong ? `${password}-not-the-password` : password }) };
    }
  }
}

function changeLast(value: string): string {
  const last = value.at(-1)!;
  return value.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

export interface WebhookAnswer {
  status: number;
  text: string;
  /** The answer's `error` (roomwatch's refusal reason), when there is one. */
  error?: string;
}

/** One POST of a prepared webhook. Throws on network errors (the caller decides what a failure means). */
export async function postWebhook(url: string, webhook: Pick<PreparedWebhook, 'body' | 'headers'>, { timeoutMs = 5000 }: { timeoutMs?: number } = {}): Promise<WebhookAnswer> {
  const response = await fetch(url, { method: 'POST', headers: webhook.headers, body: webhook.body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let error: string | undefined;
  try {
    const json = JSON.parse(text) as { error?: unknown };
    if (typeof json.error === 'string') error = json.error;
  } catch {
    // not JSON: no reason to report
  }
  return { status: response.status, text, ...(error !== undefined && { error }) };
}

export interface DeliverOptions extends PrepareOptions {
  /** roomwatch's base URL (the platform's path is added) or, with `exactUrl`, the full webhook URL. */
  url: string;
  exactUrl?: boolean;
  timeoutMs?: number;
}

/** Prepares and posts one webhook of `platform` to roomwatch, correctly authenticated unless `tamper` says otherwise. */
export async function deliver(platform: Platform, body: string, options: DeliverOptions): Promise<WebhookAnswer> {
  const webhook = await prepareWebhook(platform, body, options);
  return postWebhook(options.exactUrl ? options.url : webhookUrl(options.url, platform), webhook, options);
}
