// The memory that webhook bodies may hold at once, over all requests (MAX_WEBHOOK_BYTES_IN_FLIGHT).
// Without it, many senders that announce a body and then stall keep the server's memory as long as
// they like. A request claims what it announces (Content-Length), or its bytes as they arrive, and gives
// it all back when it is answered or goes away.

export class BodyBudget {
  private held = 0;

  constructor(readonly limit: number) {}

  /** Bytes claimed by requests being read or handled now. */
  get bytesHeld(): number {
    return this.held;
  }

  /** A new, empty claim for one request. */
  claim(): BodyClaim {
    return new BodyClaim(this);
  }

  /** @internal Takes `bytes` more if they fit. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  /** @internal */
  give(bytes: number): void {
    this.held -= bytes;
  }
}

/** What one request holds of the budget. */
export class BodyClaim {
  private bytes = 0;

  constructor(private readonly budget: BodyBudget) {}

  /** Grows the claim to `total` bytes; false (and unchanged) when the budget cannot give that much. */
  cover(total: number): boolean {
    if (total <= this.bytes) return true;
    if (!this.budget.take(total - this.bytes)) return false;
    this.bytes = total;
    return true;
  }

  /** Gives everything back; safe to call more than once. */
  release(): void {
    this.budget.give(this.bytes);
    this.bytes = 0;
  }
}
