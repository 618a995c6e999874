// One webhook POST as a platform makes it: the bytes and headers given, a per-attempt timeout, the
// answer's body discarded. A transport failure (refused, reset, timed out) is reported, not thrown,
// because what happens next is each platform's own rule.
export type AttemptResult = { status: number; retryAfter?: string } | { failure: string };

export async function postAttempt(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  inFlight: Set<AbortController>,
): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  timer.unref();
  inFlight.add(controller);
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
    await response.body?.cancel().catch(() => undefined);
    const retryAfter = response.headers.get('retry-after');
    return { status: response.status, ...(retryAfter !== null && { retryAfter }) };
  } catch (error) {
    if (timedOut) return { failure: `read timed out after ${timeoutMs} ms` };
    const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    return { failure: code ?? (error instanceof Error ? error.message : String(error)) };
  } finally {
    clearTimeout(timer);
    inFlight.delete(controller);
  }
}
