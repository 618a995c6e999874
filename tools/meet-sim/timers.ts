// Every timer a simulator starts (Meet's here, and the other platforms' in ../platform-sim) goes through one TimerSet, so stop() can clear them all. They are
// unref'd: a pending retry or recording step never keeps a process (or a test run) alive on its own.

export class TimerSet {
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Runs `run` after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void {
    if (this.stopped) return () => undefined;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.pending.add(timer);
    return () => {
      clearTimeout(timer);
      this.pending.delete(timer);
    };
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
  }
}
