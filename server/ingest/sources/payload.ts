// Reading an authenticated body without trusting its shape: platforms whose payload we do not fully
// know (../shared/protocols/providers.md) get every body stored, understood or not.
import { sha256 } from '../signature.js';

export type JsonObject = Record<string, unknown>;

/** The parsed body, or undefined when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string, or a finite number as a string (ids arrive as either). */
export function idText(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A key that is the same for the very same delivery, for platforms without an event id. */
export function deliveryHash(body: Buffer): string {
  return sha256(body).toString('hex');
}
