// One webhook POST, as Meet's `sendRequest` makes it (../../../shared/protocols/openvidu-meet.md §1.2, §1.5):
// global fetch (undici, redirects followed), three headers, a per-attempt timeout, body never read.
import type { TimerSet } from './timers.js';

export interface SignedWebhook {
  url: string;
  timestamp: number;
  signature: string;
  body: string;
}

export interface AttemptResult {
  /** Any 2xx (§1.5: `response.ok`, not only 200). */
  ok: boolean;
  status?: number;
  statusText?: string;
  /** Why no response arrived (network error, timeout, shutdown). */
  failure?: string;
}

export async function postWebhook(
  webhook: SignedWebhook,
  timeoutMs: number,
  timers: TimerSet,
  abortOnStop: Set<AbortController>,
): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const cancelTimeout = timers.after(timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  abortOnStop.add(controller);
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Timestamp': String(webhook.timestamp),
        'X-Signature': webhook.signature,
      },
      body: webhook.body,
      signal: controller.signal,
    });
    // Meet never reads the answer; discarding it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    return { ok: response.ok, status: response.status, statusText: response.statusText };
  } catch (error) {
    return { ok: false, failure: timedOut ? `Request timed out after ${timeoutMs / 1000} seconds` : networkFailure(error) };
  } finally {
    cancelTimeout();
    abortOnStop.delete(controller);
  }
}

/** The `<reason>` of Meet's "Webhook URL '<url>' is invalid: <reason>" (§1.8, `errorInvalidWebhookUrl`). */
export function rejectionReason(result: AttemptResult): string {
  if (result.failure !== undefined) return result.failure;
  const status = `${result.status} ${result.statusText ?? ''}`.trim();
  if (result.status !== undefined && result.status >= 500) return `Server error (${status})`;
  if (result.status !== undefined && result.status >= 400) return `Client error (${status})`;
  return `Unexpected response (${status})`;
}

function networkFailure(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Domain name could not be resolved';
  if (code === 'ECONNREFUSED') return 'Connection refused by server';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'Connection reset by server';
  if (/CERT|SSL|TLS/.test(code)) return 'SSL/TLS certificate error';
  if (error instanceof Error && error.name === 'AbortError') return 'Connection failed: aborted';
  if (typeof cause?.message === 'string') return `Network error: ${cause.message}`;
  return `Connection failed: ${error instanceof Error ? error.message : String(error)}`;
}
