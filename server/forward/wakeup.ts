// A wait that something else can cut short: a queue waits for new webhooks or for its next try, and a
// commit, a redelivery or a stop wakes it. A ring while nobody waits is kept for the next wait, so that a
// commit between "nothing to do" and the wait is never missed.

export class Wakeup {
  private waiter: (() => void) | undefined;
  private rung = false;

  /** Resolves at the next ring, or after `ms` when given. */
  wait(ms?: number): Promise<void> {
    if (this.rung) {
      this.rung = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
    });
  }

  ring(): void {
    if (this.waiter) this.waiter();
    else this.rung = true;
  }
}
