// Posting a platform's webhook to roomwatch with the authentication that platform uses, signed by
// roomwatch's own signing (the registry's `sign`, server/platforms/<id>/sign.ts) with the same settings
// roomwatch reads, or on purpose a wrong one.
import { loadConfig } from '../../server/config.js';
import type { SourceId } from '../../server/platforms/catalog.js';
import { enable, platformById, type PlatformSettingsById } from '../../server/platforms/index.js';
import type { Platform } from '../../server/platforms/types.js';
import { postWebhook } from '../delivery/post.js';
import { catalogueOf, type Tamper } from './catalogue.js';

export type { Tamper };

/** The platform's webhook path on a roomwatch at `baseUrl`, e.g. http://localhost:6080/webhook/<platform>. */
export function webhookUrl(baseUrl: string, platform: string): string {
  const known = platformById(platform);
  if (!known) throw new DeliveryProblem(`no platform ${platform}`);
  return `${baseUrl.replace(/\/+$/, '')}${known.webhookPaths[0]}`;
}

/** Why a webhook cannot be prepared: settings not set, or a wrong authentication that does not apply. */
export class DeliveryProblem extends Error {
  override name = 'DeliveryProblem';
}

/** Every platform's settings from the environment (and .env, when the caller loaded it), read as roomwatch reads them. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformSettingsById {
  return loadConfig(env).platforms;
}

export interface PrepareOptions {
  settings: PlatformSettingsById;
  tamper?: Tamper;
  /** The sender's clock (Meet's creationDate, LiveKit's token times); default now. */
  now?: number;
}

export interface PreparedWebhook {
  platform: SourceId;
  body: string;
  /** Everything the sender puts on the request, authentication included. */
  headers: Record<string, string>;
}

/** The request a platform would send with this body; re-sending it as is is what a retry does. */
export async function prepareWebhook(id: SourceId, body: string, { settings, tamper, now = Date.now() }: PrepareOptions): Promise<PreparedWebhook> {
  const platform = platformById(id)! as Platform<unknown>;
  const catalogue = catalogueOf(id);
  const own = settings[id];
  if (own === undefined) {
    throw new DeliveryProblem(`${id} credentials are not set: set ${platform.settings.enabledBy} (in the environment or .env), the same settings roomwatch uses`);
  }
  if (tamper !== undefined && catalogue.refusals[tamper] === undefined) {
    throw new DeliveryProblem(`--${tamper} does not apply to ${id}: ${id} webhooks carry no timestamp or token lifetime to get wrong`);
  }
  const enabled = enable(platform, own);
  if (tamper !== undefined && enabled.requiredHeaders.length === 0) {
    throw new DeliveryProblem(`the ${id} settings here require no authentication header, so roomwatch accepts any ${id} POST: there is nothing to get wrong or leave out`);
  }
  const signer = tamper === 'bad-signature' ? enable(platform, catalogue.wrongSettings(own)) : enabled;
  const shift = tamper === 'stale' || tamper === 'future' ? (catalogue.clockShiftMs?.[tamper] ?? 0) : 0;
  const signed = await signer.sign(body, now + shift);
  const headers: Record<string, string> = { ...signed.headers, ...catalogue.senderHeaders };
  if (tamper === 'missing-auth') {
    for (const name of enabled.requiredHeaders) for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  }
  return { platform: id, body: signed.body, headers };
}

export interface WebhookAnswer {
  status: number;
  text: string;
  /** The answer's `error` (roomwatch's refusal reason), when there is one. */
  error?: string;
}

/** One POST of a prepared webhook. Throws when nothing answers (the caller decides what a failure means). */
export async function sendWebhook(url: string, webhook: Pick<PreparedWebhook, 'body' | 'headers'>, { timeoutMs = 5000 }: { timeoutMs?: number } = {}): Promise<WebhookAnswer> {
  const result = await postWebhook(url, webhook, { timeoutMs, readAnswer: true });
  if ('failure' in result) throw new Error(result.failure.timedOut ? `no answer within ${timeoutMs} ms` : (result.failure.code ?? result.failure.message));
  const text = result.text ?? '';
  let error: string | undefined;
  try {
    const json = JSON.parse(text) as { error?: unknown };
    if (typeof json.error === 'string') error = json.error;
  } catch {
    // not JSON: no reason to report
  }
  return { status: result.status, text, ...(error !== undefined && { error }) };
}

export interface DeliverOptions extends PrepareOptions {
  /** roomwatch's base URL (the platform's path is added) or, with `exactUrl`, the full webhook URL. */
  url: string;
  exactUrl?: boolean;
  timeoutMs?: number;
}

/** Prepares and posts one webhook of `platform` to roomwatch, correctly authenticated unless `tamper` says otherwise. */
export async function deliver(platform: SourceId, body: string, options: DeliverOptions): Promise<WebhookAnswer> {
  const webhook = await prepareWebhook(platform, body, options);
  return sendWebhook(options.exactUrl ? options.url : webhookUrl(options.url, platform), webhook, options);
}
