// Hashes, HMACs and constant-time comparisons, for the platforms that sign or share a secret.
// Comparisons are constant-time over equal lengths.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function hmacSha256(key: string, ...parts: (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * True when `expected` equals HMAC-SHA256(key, parts) for one of `keys` (several during a key
 * rotation). Every key is tried, whatever matched, so the time taken does not say which one did.
 * Callers validate the signature's format first, so lengths always match.
 */
export function matchesAnyKey(keys: readonly string[], parts: (string | Buffer)[], expected: Buffer): boolean {
  let matched = false;
  for (const key of keys) {
    const actual = hmacSha256(key, ...parts);
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) matched = true;
  }
  return matched;
}

export function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Equal texts, compared in constant time whatever their lengths (their digests are compared). */
export function sameText(actual: string, expected: string): boolean {
  return timingSafeEqual(sha256(actual), sha256(expected));
}

/** A key that is the same for the very same delivery, for platforms without an event id. */
export function deliveryHash(body: Buffer): string {
  return sha256(body).toString('hex');
}
