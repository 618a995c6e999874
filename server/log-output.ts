// Where log lines go: a file descriptor (stdout), written without ever holding up the event loop.
// Why not pino's default destination (sonic-boom): a failed write (ENOSPC on a full disk, EIO) becomes an
// uncaught exception, and pino's exit hook then calls flushSync, which retries that write forever; the
// process keeps its port bound and answers nothing, so no supervisor restarts it. Here a write that fails
// drops its lines and counts them, a slow output queues up to a bound and drops beyond it, and nothing waits.
import fs from 'node:fs';

/** Lines queued while the output is slow; past this, new lines are dropped (and counted). */
const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;
/** How long to wait before writing again to an output that said "try again" (a non-blocking pipe). */
const BUSY_RETRY_MS = 20;

export class LogOutput {
  /** Lines dropped so far because the output failed or could not keep up. */
  dropped = 0;
  private queue: string[] = [];
  private queuedBytes = 0;
  private writing = false;
  private readonly dropListeners: ((lines: number) => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly fd = 1,
    private readonly maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES,
  ) {}

  /** Called with the number of lines each time some are dropped. */
  onDropped(listener: (lines: number) => void): void {
    this.dropListeners.push(listener);
  }

  /** One log line, as pino hands it over. Never blocks and never throws. */
  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.queuedBytes + bytes > this.maxQueuedBytes) return this.drop(1);
    this.queue.push(line);
    this.queuedBytes += bytes;
    if (!this.writing) this.writeQueued();
  }

  /** Resolves once everything queued is written or dropped, or after `timeoutMs` (a stuck output). */
  drain(timeoutMs: number): Promise<void> {
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private writeQueued(): void {
    const lines = this.queue;
    this.queue = [];
    // Where each line ends in the chunk, to count the lines a failed or partial write loses.
    const ends: number[] = [];
    let total = 0;
    for (const line of lines) ends.push((total += Buffer.byteLength(line)));
    this.writing = true;
    this.writeChunk(Buffer.from(lines.join('')), 0, ends);
  }

  private writeChunk(chunk: Buffer, offset: number, ends: number[]): void {
    fs.write(this.fd, chunk, offset, chunk.length - offset, null, (error, written) => {
      if (error && (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK')) {
        setTimeout(() => this.writeChunk(chunk, offset, ends), BUSY_RETRY_MS).unref();
        return;
      }
      const done = error ? offset : offset + written;
      if (!error && done < chunk.length) return this.writeChunk(chunk, done, ends);
      if (error) this.drop(ends.filter((end) => end > done).length);
      this.queuedBytes -= chunk.length;
      this.writing = false;
      if (this.queue.length > 0) this.writeQueued();
      else for (const wake of this.idleWaiters.splice(0)) wake();
    });
  }

  private drop(lines: number): void {
    this.dropped += lines;
    for (const listener of this.dropListeners) listener(lines);
  }
}
