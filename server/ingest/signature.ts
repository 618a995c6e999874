// HMAC helpers shared by the source adapters. Comparisons are constant-time over equal lengths.
import { createHmac, timingSafeEqual } from 'node:crypto';

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
