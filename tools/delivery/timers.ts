// Every timer a simulator starts (Meet's in ../meet-sim, the other platforms' in ../platform-sim, and their
// senders' attempt timeouts and retry waits) goes through one TimerSet, so stop() can clear them all. They are
// unref'd: a pending retry or recording step never keeps a process (or a test run) alive on its own.

export class TimerSet {
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly emptied = new Set<() => void>();
  private stopped = false;

  /** Runs `run` after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void {
    if (this.stopped) return () => undefined;
    const timer = setTimeout(() => {
      this.forget(timer);
      run();
    }, ms);
    timer.unref();
    this.pending.add(timer);
    return () => {
      clearTimeout(timer);
      this.forget(timer);
    };
  }

  /**
   * Resolves once no timer is pending. Looked at only after the promise callbacks queued so far have run:
   * work that ends one step and schedules the next in the same turn (an attempt, then its retry) is busy.
   */
  async idle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.size > 0) {
      await new Promise<void>((resolve) => this.emptied.add(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Resolves after `ms`; never resolves once the set is cleared (the waiting work is abandoned). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.after(ms, resolve);
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  clear(): void {
    this.stopped = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    this.notifyEmptied();
  }

  private forget(timer: NodeJS.Timeout): void {
    this.pending.delete(timer);
    if (this.pending.size === 0) this.notifyEmptied();
  }

  private notifyEmptied(): void {
    for (const resolve of this.emptied) resolve();
    this.emptied.clear();
  }
}
