// One leader among the instances on a database: whoever holds a session advisory lock on its own
// dedicated connection. PostgreSQL releases the lock when that session ends (the instance died, was
// killed, or lost its connection), and another instance's next try takes it.
//
// The lock lives exactly as long as the session that took it, so each check asks for the backend's pid:
// a connection the client library quietly re-opened is another session, which does not hold the lock.
import { connect, type ConnectionSettings, type Sql } from './connection.js';
import { LEADER_LOCK } from './locks.js';

/** A check that takes longer than this ends the leadership (another instance may have the lock by then). */
const CHECK_TIMEOUT_MS = 5000;

export type LeadershipListener = (leading: boolean) => void;

export class LeaderLock {
  private sql: Sql;
  private leadingPid: number | undefined;
  private readonly listeners: LeadershipListener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly settings: ConnectionSettings,
    private readonly options: { checkIntervalMs: number; onError?: (error: unknown) => void },
  ) {
    this.sql = this.open();
  }

  private open(): Sql {
    // Only the session of the current client holds the lock; a client given up may close at any time.
    const sql: Sql = connect(this.url, 'leader', this.settings, { onclose: () => sql === this.sql && this.lost() });
    return sql;
  }

  /** Starts trying (at once, then every check interval). */
  start(): Promise<void> {
    const tick = () => {
      this.checking = this.check();
      void this.checking.finally(() => {
        if (!this.closed) this.timer = setTimeout(tick, this.options.checkIntervalMs);
      });
    };
    tick();
    return this.checking;
  }

  isLeader(): boolean {
    return this.leadingPid !== undefined;
  }

  onChange(listener: LeadershipListener): void {
    this.listeners.push(listener);
  }

  private async check(): Promise<void> {
    // A check that gets no answer (a connection that died silently) counts as a lost session.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Error(`the leader connection did not answer within ${CHECK_TIMEOUT_MS} ms`);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timedOut), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.checkSession(), deadline]);
    } catch (error) {
      this.lost();
      if (this.closed) return;
      this.options.onError?.(error);
      if (error === timedOut) {
        // Its session may be alive and still hold the lock: ending the client releases it for the others.
        this.sql.end({ timeout: 0 }).catch(() => {});
        this.sql = this.open();
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private async checkSession(): Promise<void> {
    const sql = this.sql;
    if (this.leadingPid === undefined) {
      const [row] = await sql<{ acquired: boolean; pid: number }[]>`
        SELECT pg_try_advisory_lock(${LEADER_LOCK}::bigint) AS acquired, pg_backend_pid() AS pid`;
      // Taken on a client given up meanwhile: that client's end releases it.
      if (row?.acquired && !this.closed && sql === this.sql) this.become(row.pid);
    } else {
      // A ping: a connection that died silently, or was replaced, ends the leadership here.
      const [row] = await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      if (row?.pid !== this.leadingPid) this.lost();
    }
  }

  private become(pid: number): void {
    this.leadingPid = pid;
    this.tell(true);
  }

  private lost(): void {
    if (this.leadingPid === undefined) return;
    this.leadingPid = undefined;
    this.tell(false);
  }

  private tell(leading: boolean): void {
    for (const listener of this.listeners) listener(leading);
  }

  /** Gives up leadership (the session ends, so the lock goes with it) and stops trying. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.checking;
    this.lost();
    await this.sql.end({ timeout: 1 });
  }
}
