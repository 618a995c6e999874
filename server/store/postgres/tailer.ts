// Follows the log from PostgreSQL: every entry after its cursor, once, in sequence order, whoever wrote
// it. The store's committed-entries feed is this, on the writing instance too (one path).
//
// A NOTIFY is only a wake-up; what counts is the read of `seq > cursor`. So nothing is lost when a
// notification is (the LISTEN connection died, or reconnected between a commit and its NOTIFY): the tailer
// also reads every poll interval, and again right after it (re)starts listening. The poll's read runs on
// the LISTEN connection itself, so it is also the ping that finds a connection that died silently: a read
// that gets no answer in time throws the connection away and opens another.
import type { StoredEvent } from '../../domain/events.js';
import { connect, type ConnectionSettings, type Sql } from './connection.js';
import { LOG_CHANNEL } from './locks.js';
import { toStoredEvent, type PgEventRow } from './event-rows.js';

/** Entries read per query; a long catch-up goes page by page. */
const PAGE = 500;
/** The first wait after a failed read; it doubles with each failure that follows. */
const RETRY_MS = 100;

export interface TailerOptions {
  /** Read this often even without a notification (a lost NOTIFY costs at most this delay). */
  pollMs: number;
  /** A read that takes longer than this means the connection is dead. */
  readTimeoutMs: number;
  /** Called with each page of new entries, in order; the cursor moves past them once it returns. */
  deliver: (entries: StoredEvent[]) => void;
  /** The connection failed; the tailer keeps trying. */
  onError?: (error: unknown) => void;
}

export class Tailer {
  private sql: Sql | undefined;
  private listening = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private pending = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly settings: ConnectionSettings,
    private cursor: number,
    private readonly options: TailerOptions,
  ) {}

  /**
   * Resolves once the entries up to `seq` have been delivered, or after `maxWaitMs` (the entries are
   * committed either way; a tailer that cannot read now delivers them later).
   */
  delivered(seq: number, maxWaitMs: number): Promise<void> {
    if (this.cursor >= seq || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { seq, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve();
      }, maxWaitMs);
      this.waiters.add(waiter);
      this.poke();
    });
  }

  private readonly waiters = new Set<{ seq: number; resolve: () => void }>();

  /**
   * Delivers committed entries read elsewhere (by this instance's writer): `entries` follow `after` without
   * a gap. What the cursor has passed is skipped; entries that would leave a gap are left for a read.
   */
  offer(after: number, entries: readonly StoredEvent[]): void {
    if (this.closed || after > this.cursor) return;
    this.take(entries);
  }

  /** Delivers the entries after the cursor, moves it, and answers whoever waited for them. */
  private take(entries: readonly StoredEvent[]): void {
    const fresh = entries.filter((entry) => entry.seq > this.cursor);
    if (fresh.length === 0) return;
    this.cursor = fresh.at(-1)!.seq;
    this.options.deliver(fresh);
    for (const waiter of this.waiters) {
      if (waiter.seq > this.cursor) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** The last sequence number delivered. */
  get position(): number {
    return this.cursor;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Reads now rather than at the next poll (after a local commit, for instance). */
  poke(): void {
    this.pending = true;
    this.wake?.();
  }

  private open(): Sql {
    return connect(this.url, 'tailer', this.settings, {
      // The payload is the commit's last seq: one this instance's writer has already handed over (its own
      // commit) needs no read. Any other, or one that cannot be read, wakes the tailer.
      onnotify: (_channel, payload) => {
        if (!(Number(payload) <= this.cursor)) this.poke();
      },
      // The server ended the session: its LISTEN went with it. Listen again, then read what was missed.
      onclose: () => {
        this.listening = false;
        this.poke();
      },
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      // A wake-up that arrives from here on asks for another read after this one.
      this.pending = false;
      try {
        this.sql ??= this.open();
        const sql = this.sql;
        await this.withinTimeout(sql, async () => {
          if (!this.listening) {
            await sql.unsafe(`LISTEN ${LOG_CHANNEL}`);
            this.listening = true;
          }
          await this.readAll(sql);
        });
        failures = 0;
      } catch (error) {
        if (this.closed) break;
        this.options.onError?.(error);
        this.listening = false;
        // Try again soon (the server may be back), then less and less often, up to the poll interval.
        failures++;
        await this.sleep(Math.min(this.options.pollMs, RETRY_MS * 2 ** Math.min(failures - 1, 5)));
        continue;
      }
      await this.sleep(this.options.pollMs);
    }
  }

  private async readAll(sql: Sql): Promise<void> {
    for (;;) {
      const rows = await sql<PgEventRow[]>`
        SELECT seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body
        FROM events WHERE seq > ${this.cursor} ORDER BY seq LIMIT ${PAGE}`;
      if (rows.length === 0 || this.closed) return;
      // The writer may have offered some of them while this read was under way.
      this.take(rows.map(toStoredEvent));
      if (rows.length < PAGE) return;
    }
  }

  /**
   * Runs `work`; when it hangs past the read timeout, throws the client away (the next round opens another).
   * A connection that failed outright needs nothing: the client opens a new one for the next query.
   */
  private async withinTimeout(sql: Sql, work: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), this.options.readTimeoutMs);
    });
    try {
      const outcome = await Promise.race([work(), timedOut]);
      if (outcome !== 'timed out') return;
      if (this.sql === sql) {
        this.sql = undefined;
        this.listening = false;
        // Its queries fail as it goes; the rounds that follow use the new client.
        sql.end({ timeout: 0 }).catch(() => {});
      }
      throw new Error(`the log tailer's connection did not answer within ${this.options.readTimeoutMs} ms`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the poll interval or a wake-up, whichever comes first; not at all when one came meanwhile. */
  private sleep(ms: number): Promise<void> {
    if (this.pending || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
    this.wake?.();
    await this.running;
    await this.sql?.end({ timeout: 1 });
  }
}
