// What an operator should check when a webhook is refused: one sentence per reason, naming the setting
// on each side. Each platform declares its own (platforms/<id>/hints.ts, from ../shared/protocols/); the
// bounds of the intake itself (size, depth, time, memory) read the same for every platform, below.
import type { Config } from '../config.js';
import { MAX_JSON_DEPTH } from '../domain/json-depth.js';
import type { RejectReason } from './rejection.js';

export type WebhookLimits = Config['webhook'];

/** What a hint may quote. Never a secret: header names, times and the configured bounds only. */
export interface HintFacts {
  /** The adapter's detail, as in the answer's message (a header name, "not a JWT", …). */
  detail: string | undefined;
  /** Receive time minus the platform's own send time carried by the request (Meet's X-Timestamp), ms. */
  skewMs: number | undefined;
  limits: WebhookLimits;
}

export type Hint = string | ((facts: HintFacts) => string);
export type HintTable = Partial<Record<RejectReason, Hint>>;

/** Whole seconds, as a clock difference is read. */
export const seconds = (ms: number): number => Math.round(Math.abs(ms) / 1000);

const INTAKE_HINTS: HintTable = {
  missing_header: ({ detail }) =>
    `This platform always sends ${detail ?? 'its authentication header'}: check that this URL was given to the platform it names (each platform has its own path; GET it to see which).`,
  bad_json: 'The body is not a JSON object: check that this URL was given to the platform it names, and that nothing on the way rewrites bodies.',
  too_large: ({ limits }) =>
    limits.maxBytesInFlight < limits.maxBodyBytes
      ? `The body is over ${limits.maxBytesInFlight} bytes (MAX_WEBHOOK_BYTES_IN_FLIGHT, lower than MAX_WEBHOOK_BYTES): raise both if genuine webhooks are that large.`
      : `The body is over MAX_WEBHOOK_BYTES (${limits.maxBodyBytes} bytes): raise it if this platform's genuine webhooks are that large.`,
  too_deep: `The body nests JSON more than ${MAX_JSON_DEPTH} levels deep, which no platform does: it did not come from one; check who posts to this URL.`,
  request_timeout: ({ limits }) =>
    `The body did not arrive within WEBHOOK_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs} ms): a stalled sender, or a slow link or proxy; raise the setting only if genuine webhooks take that long.`,
  busy: ({ limits }) =>
    `More than MAX_WEBHOOK_BYTES_IN_FLIGHT (${limits.maxBytesInFlight} bytes) of webhook bodies were being received at once; platforms retry a 503. Raise it if genuine traffic reaches it; otherwise many stalled requests are holding this port.`,
};

const FALLBACK: Hint = 'See the reason and detail; each platform section of the README says which settings must match on both sides.';

/** The hint for one refusal: the platform's own for this reason, else the intake's. */
export function refusalHint(platformHints: HintTable, reason: RejectReason, facts: HintFacts): string {
  const hint = platformHints[reason] ?? INTAKE_HINTS[reason] ?? FALLBACK;
  return typeof hint === 'string' ? hint : hint(facts);
}
