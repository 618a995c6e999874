// How a `webhook` frame carries the stored body: the JSON text itself, spliced in unchanged, when it is
// JSON nested no deeper than MAX_SPLICED_DEPTH; otherwise the body as a JSON string, flagged
// `payloadIsText`. Nothing here re-serializes a parsed payload: JSON.stringify recurses and overflows the
// stack on a body nested a few thousand levels deep, and an old store may hold such bodies.

import { MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/json-depth.js';

/**
 * Deepest payload spliced into a frame as JSON: the nesting limit intake enforces, so only entries stored
 * before that limit existed are sent as text.
 */
export const MAX_SPLICED_DEPTH = MAX_JSON_DEPTH;

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
  if (!nestsDeeperThan(body, MAX_SPLICED_DEPTH) && (parsed !== undefined || isJson(text))) {
    return `${head.slice(0, -1)},"payload":${text}}`;
  }
  return `${head.slice(0, -1)},"payload":${JSON.stringify(text)},"payloadIsText":true}`;
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
