// What a simulated sender did, attempt by attempt, so that tests and the demo can see retries, losses
// and drops the way the platform's own logs would show them. One log for every simulator; a platform may
// add fields of its own to each entry (Meet: the event's timestamp and signature).

export interface Attempt {
  platform: string;
  /** One number per POSTed payload (an event, or a LiveSwitch batch); its retries share it. */
  delivery: number;
  /** The event names the payload carries. */
  events: string[];
  url: string;
  /** 1 for the first try; 0 for an event dropped before any try (LiveKit's queue limits). */
  attempt: number;
  /** Whether the sender considers the payload delivered after this attempt (each platform's own rule). */
  ok: boolean;
  /** What happens next: nothing (done), another attempt, or the payload is given up. */
  next: 'done' | 'retry' | 'lost';
  status?: number;
  /** The reason the platform would log: network error, unexpected status, dropped. */
  error?: string;
  /** A 2xx the simulator treated as lost on purpose, to deliver a duplicate (Meet's `duplicateNext`). */
  retriedAnyway?: true;
  body: string;
  headers: Record<string, string>;
  sentAt: number;
  durationMs: number;
}

/** The log keeps this many attempts; a long demo run must not grow without bound. */
const LOG_LIMIT = 10_000;

export class AttemptLog<Entry extends Attempt = Attempt> {
  private readonly entries: Entry[] = [];
  private readonly listeners = new Set<(attempt: Entry) => void>();
  private sequence = 0;

  nextDelivery(): number {
    return ++this.sequence;
  }

  record(attempt: Entry): void {
    this.entries.push(attempt);
    if (this.entries.length > LOG_LIMIT) this.entries.splice(0, this.entries.length - LOG_LIMIT);
    for (const listener of this.listeners) listener({ ...attempt });
  }

  all(): Entry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  onAttempt(listener: (attempt: Entry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first attempt (already logged or coming) that satisfies `check`. */
  waitFor(check: (attempt: Entry) => boolean, timeoutMs = 10_000): Promise<Entry> {
    const found = this.entries.find(check);
    if (found) return Promise.resolve({ ...found });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stopListening();
        reject(new Error(`no matching webhook attempt within ${timeoutMs} ms; log: ${JSON.stringify(this.entries.map((e) => [e.events, e.status ?? e.error]))}`));
      }, timeoutMs);
      timer.unref();
      const stopListening = this.onAttempt((attempt) => {
        if (!check(attempt)) return;
        clearTimeout(timer);
        stopListening();
        resolve(attempt);
      });
    });
  }

  /** Forgets the attempts logged so far (listeners stay). */
  clear(): void {
    this.entries.length = 0;
  }

  /** No more listeners (the simulator stops). */
  unsubscribeAll(): void {
    this.listeners.clear();
  }
}
