// How a `webhook` frame carries the stored body: the JSON text itself, spliced in unchanged, when it is
// JSON nested no deeper than MAX_SPLICED_DEPTH; otherwise the body as a JSON string, flagged
// `payloadIsText`. Nothing here re-serializes a parsed payload: JSON.stringify recurses and overflows the
// stack on a body nested a few thousand levels deep, and an old store may hold such bodies.

/**
 * Deepest payload spliced into a frame as JSON. Real platform payloads nest fewer than 10 levels; 64 is
 * the nesting limit intake enforces, so only entries stored before that limit existed are sent as text.
 */
export const MAX_SPLICED_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

export interface WebhookDescription {
  source: string;
  type: string;
  roomId: string | null;
  body: Buffer;
  /** The body as the source adapter parsed it (fresh entries only): undefined when it was not JSON. */
  parsed?: unknown;
}

/** The `data:` of a `webhook` frame: `{"source":…,"type":…,"roomId":…,"payload":…}`. Never throws. */
export function webhookFrameData({ source, type, roomId, body, parsed }: WebhookDescription): string {
  const head = JSON.stringify({ source, type, roomId });
  const text = body.toString('utf8');
  if (!nestedDeeperThan(body, MAX_SPLICED_DEPTH) && (parsed !== undefined || isJson(text))) {
    return `${head.slice(0, -1)},"payload":${text}}`;
  }
  return `${head.slice(0, -1)},"payload":${JSON.stringify(text)},"payloadIsText":true}`;
}

/**
 * True when brackets outside JSON strings open more than `limit` levels at some point. One pass over the
 * bytes, stopping early: no parsing, no recursion. UTF-8 continuation bytes never equal an ASCII byte,
 * so scanning bytes is exact.
 */
export function nestedDeeperThan(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

/** Only called on text nested at most MAX_SPLICED_DEPTH deep, so parsing it is cheap and safe. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
