// How many wrong dashboard passwords are tolerated: a few per address, and a bound over all addresses
// together, so that a caller who rotates addresses (IPv6 ranges, a botnet, a forged X-Forwarded-For
// through a trusted proxy) still guesses slowly. Each is a fixed window that starts at its first failure.
// Memory is bounded: failures are only recorded while sign-in is open, which the overall bound caps, and
// expired windows are dropped as new ones start.

export interface SignInRules {
  /** Wrong passwords from one address per window; the next try gets 429. */
  perAddress: number;
  /** Wrong passwords from all addresses together per window; then every try gets 429 until it ends. */
  overall: number;
  windowMs: number;
  /** At most this many addresses are remembered; the oldest is forgotten first. */
  maxAddresses: number;
}

export const SIGN_IN_RULES: SignInRules = { perAddress: 10, overall: 100, windowMs: 5 * 60_000, maxAddresses: 10_000 };

interface Window {
  count: number;
  since: number;
}

export class SignInLimit {
  // Insertion order is window start order (a new window is deleted and set again): the oldest come first.
  private readonly byAddress = new Map<string, Window>();
  private overall: Window = { count: 0, since: Number.NEGATIVE_INFINITY };

  constructor(private readonly rules: SignInRules = SIGN_IN_RULES) {}

  /** How long `address` must wait before its next try, in ms; 0 when it may try now. */
  waitMs(address: string, now: number): number {
    const { perAddress, overall } = this.rules;
    const everyone = this.full(this.overall, overall, now) ? this.endOf(this.overall) - now : 0;
    const own = this.byAddress.get(address);
    const mine = own && this.full(own, perAddress, now) ? this.endOf(own) - now : 0;
    return Math.max(everyone, mine);
  }

  /** Counts a wrong password; says whether it is the one that pauses sign-in for everyone. */
  recordFailure(address: string, now: number): { pausedForEveryone: boolean } {
    this.forgetExpired(now);
    this.overall = this.current(this.overall, now) ? { count: this.overall.count + 1, since: this.overall.since } : { count: 1, since: now };
    const own = this.byAddress.get(address);
    if (own && this.current(own, now)) {
      own.count++;
    } else {
      this.byAddress.delete(address);
      if (this.byAddress.size >= this.rules.maxAddresses) this.byAddress.delete(this.byAddress.keys().next().value!);
      this.byAddress.set(address, { count: 1, since: now });
    }
    return { pausedForEveryone: this.overall.count === this.rules.overall };
  }

  /** A right password clears its address's failures (not the overall count: that bounds guessing). */
  recordSuccess(address: string): void {
    this.byAddress.delete(address);
  }

  /** Addresses with failures remembered (for tests and metrics). */
  get trackedAddresses(): number {
    return this.byAddress.size;
  }

  private forgetExpired(now: number): void {
    for (const [address, window] of this.byAddress) {
      if (this.current(window, now)) break;
      this.byAddress.delete(address);
    }
  }

  private current(window: Window, now: number): boolean {
    return now - window.since < this.rules.windowMs;
  }

  private full(window: Window, limit: number, now: number): boolean {
    return this.current(window, now) && window.count >= limit;
  }

  private endOf(window: Window): number {
    return window.since + this.rules.windowMs;
  }
}
