// One webhook POST as a platform makes it: the bytes and headers given, a per-attempt timeout, the
// answer discarded (or read, for the trigger, which prints it). A transport failure (refused, reset,
// timed out) is reported, not thrown: what happens next is each platform's own rule (./policies.ts).
import type { TimerSet } from './timers.js';

export interface PostFailure {
  /** Node's error code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…), when there is one. */
  code: string | undefined;
  /** The underlying cause's message when there is one, else the error's. */
  message: string;
  causeMessage: boolean;
  timedOut: boolean;
  /** Aborted by the sender (stopped), not by the timeout. */
  aborted: boolean;
}

export type PostResult =
  | { status: number; statusText: string; retryAfter?: string; text?: string }
  | { failure: PostFailure };

export interface PostOptions {
  timeoutMs: number;
  /** The timeout is a timer of this set, so a simulator's idle() waits for attempts in flight. */
  timers?: TimerSet;
  /** Aborted when the sender stops. */
  inFlight?: Set<AbortController>;
  /** Keep the answer's text (the trigger prints it); platforms never read it. */
  readAnswer?: boolean;
}

export async function postWebhook(url: string, { body, headers }: { body: string; headers: Record<string, string> }, options: PostOptions): Promise<PostResult> {
  const controller = new AbortController();
  let timedOut = false;
  const onTimeout = () => {
    timedOut = true;
    controller.abort();
  };
  let cancelTimeout: () => void;
  if (options.timers) cancelTimeout = options.timers.after(options.timeoutMs, onTimeout);
  else {
    const timer = setTimeout(onTimeout, options.timeoutMs);
    timer.unref();
    cancelTimeout = () => clearTimeout(timer);
  }
  options.inFlight?.add(controller);
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
    const text = options.readAnswer ? await response.text() : (await response.body?.cancel().catch(() => undefined), undefined);
    const retryAfter = response.headers.get('retry-after');
    return { status: response.status, statusText: response.statusText, ...(retryAfter !== null && { retryAfter }), ...(text !== undefined && { text }) };
  } catch (error) {
    const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    const causeMessage = typeof cause?.message === 'string';
    const message = causeMessage ? String(cause!.message) : error instanceof Error ? error.message : String(error);
    const aborted = !timedOut && error instanceof Error && error.name === 'AbortError';
    return { failure: { code, message, causeMessage, timedOut, aborted } };
  } finally {
    cancelTimeout();
    options.inFlight?.delete(controller);
  }
}

/** A failure in a few words, as the platform simulators log it. */
export function failureText(failure: PostFailure, timeoutMs: number): string {
  return failure.timedOut ? `read timed out after ${timeoutMs} ms` : (failure.code ?? failure.message);
}
