// HMAC helpers shared by the source adapters. Comparisons are constant-time over equal lengths.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function hmacSha256(key: string, ...parts: (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * True when `expected` equals HMAC-SHA256(key, parts) for one of `keys` (several during a key
 * rotation). Callers validate the signature's format first, so lengths always match.
 */
export function matchesAnyKey(keys: readonly string[], parts: (string | Buffer)[], expected: Buffer): boolean {
  let matched = false;
  for (const key of keys) {
    const actual = hmacSha256(key, ...parts);
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) matched = true;
  }
  return matched;
}

/** First value of a header (Node lower-cases names and joins repeats with ", "). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The listed headers that are present, for storing with the event. */
export function pickHeaders(
  headers: Record<string, string | string[] | undefined>,
  names: readonly string[],
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

export function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Equal texts, compared in constant time whatever their lengths (their digests are compared). */
export function sameText(actual: string, expected: string): boolean {
  return timingSafeEqual(sha256(actual), sha256(expected));
}

/** The header names kept with an event; values of those in `masked` are replaced, never stored. */
export function keptHeaders(
  headers: Record<string, string | string[] | undefined>,
  plain: readonly string[],
  masked: readonly string[],
): Record<string, string> {
  const kept = pickHeaders(headers, plain);
  for (const name of masked) if (headerValue(headers, name) !== undefined) kept[name] = '[masked]';
  return kept;
}
