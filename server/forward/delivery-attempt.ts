// One attempt at delivering a stored webhook to a target: signed now, as its platform would sign it, with
// the delivery id; success is any 2xx (as every platform counts it). Redirects are not followed (a 3xx is
// an answer to fix in FORWARD_TO, and a POST followed as a GET would lose the body).
import type { EnabledPlatform } from '../platforms/index.js';
import type { ForwardEntry } from '../store/forwarding-store.js';
import { postForStatus } from './http-post.js';

/** The header that names a delivery: the webhook's seq in roomwatch's log, the same at every attempt. */
export const DELIVERY_HEADER = 'X-Roomwatch-Delivery';

export type AttemptOutcome =
  | { ok: true; status: number; latencyMs: number }
  /**
   * `gone`: the target answered 410 and wants nothing more; `unsignable`: roomwatch cannot sign it (its
   * platform is no longer configured), so trying again cannot help.
   */
  | { ok: false; status: number | undefined; latencyMs: number; error: string; gone: boolean; unsignable?: boolean };

/** Longest error text kept: a target's words are not ours to store in full. */
const MAX_ERROR_CHARS = 200;

export async function attemptDelivery(
  url: string,
  entry: ForwardEntry,
  platform: EnabledPlatform | undefined,
  { now, timeoutMs, stop }: { now: number; timeoutMs: number; /** Aborts the attempt when roomwatch stops. */ stop: AbortSignal },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!platform) return failure(undefined, 0, `${entry.source} webhooks are not enabled here any more, so roomwatch cannot sign this one`, true);
  let signed;
  try {
    signed = await platform.sign(entry.body.toString('utf8'), now, { keepBody: true });
  } catch (error) {
    return failure(undefined, 0, `cannot sign it: ${(error as Error).message}`, true);
  }
  try {
    const response = await postForStatus(url, { ...signed.headers, [DELIVERY_HEADER]: String(entry.seq), 'User-Agent': 'roomwatch' }, signed.body, {
      timeoutMs,
      signal: stop,
    });
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, latencyMs: elapsed() };
    return failure(response.status, elapsed(), `answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  } catch (error) {
    return failure(undefined, elapsed(), describeNetworkError(error, timeoutMs));
  }
}

function failure(status: number | undefined, latencyMs: number, error: string, unsignable = false): AttemptOutcome {
  return { ok: false, status, latencyMs, error: error.slice(0, MAX_ERROR_CHARS), gone: status === 410, unsignable };
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const { name, message, code: ownCode, cause } = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (name === 'AbortError') return 'roomwatch stopped during the attempt';
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms (FORWARD_TIMEOUT_MS)`;
  const code = ownCode ?? cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the app running and listening there?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name could not be resolved';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || message === 'socket hang up') return 'the connection was closed before an answer';
  return `network error: ${cause?.message ?? message ?? String(error)}`;
}
