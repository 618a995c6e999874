// Signed, expiring session tokens for the dashboard. Stateless: the HMAC key is derived from
// DASHBOARD_PASSWORD, so changing the password signs everybody out.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'roomwatch_session';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export class Sessions {
  private readonly key: Buffer;
  private readonly passwordDigest: Buffer;

  constructor(password: string) {
    this.key = createHmac('sha256', password).update('roomwatch session v1').digest();
    this.passwordDigest = sha256(password);
  }

  /** Constant-time: compares digests, so neither length nor content leaks through timing. */
  passwordMatches(candidate: string): boolean {
    return timingSafeEqual(sha256(candidate), this.passwordDigest);
  }

  issue(now = Date.now()): string {
    const expires = now + SESSION_TTL_MS;
    return `${expires}.${this.sign(expires)}`;
  }

  isValid(token: string | undefined, now = Date.now()): boolean {
    const match = token && /^(\d{13,16})\.([0-9a-f]{64})$/.exec(token);
    if (!match) return false;
    const expires = Number(match[1]);
    return expires > now && timingSafeEqual(Buffer.from(match[2]!, 'hex'), Buffer.from(this.sign(expires), 'hex'));
  }

  private sign(expires: number): string {
    return createHmac('sha256', this.key).update(String(expires)).digest('hex');
  }
}

/**
 * The raw value of one cookie from a Cookie header. Not percent-decoded: a session token is digits, a
 * dot and hex, so it never needs decoding, and decoding a stray value such as `%` would throw.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
