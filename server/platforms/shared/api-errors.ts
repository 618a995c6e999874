// How a platform's REST API fails, for the dashboard: its own answer (a 4xx is the user's to read, a
// 5xx a bad gateway from here), or no answer at all (503, saying where roomwatch looked). Each error
// carries what the one error handler (server/http-errors.ts) needs, so that it names no platform.

/** The platform answered with an error status; `code` is its own error name (e.g. Meet's `room_has_recordings`). */
export class PlatformApiError extends Error {
  override name = 'PlatformApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The platform did not answer (refused, timed out, not its API). */
export class PlatformUnreachableError extends Error {
  override name = 'PlatformUnreachableError';
  /** e.g. `meet_unreachable`. */
  readonly code: string;
  constructor(
    platform: { id: string; label: string },
    readonly url: string,
    reason: string,
  ) {
    super(`${platform.label} at ${url} is not answering: ${reason}`);
    this.code = `${platform.id}_unreachable`;
  }
}

/** Why a fetch failed, in a few words. */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is it running?)';
  if (cause?.code === 'ENOTFOUND') return 'host name not found';
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
