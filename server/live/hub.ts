// The live hub: every open /events stream, fed from the event log. A client that connects with a
// cursor first catches up from the store, a byte-bounded step at a time, then receives live frames; no
// gap, no repeat. One entry that cannot become a frame, or one client whose stream fails, is logged and
// skipped or closed: the other entries and the other clients never notice.
import type { Connection } from './connection.js';
import { HEARTBEAT_FRAME, eventFrame, resyncFrame, retryFrame, type StreamedEntry } from './frames.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/** What the hub needs from the store to replay what a client missed (server/store/store.ts). */
export interface ReplaySource {
  /** Whose sequence numbers these are: a cursor from another store (a wiped and refilled one) gets `resync`. */
  readonly epoch: string;
  /** Up to `limit` entries after `seq`, oldest first, stopping after the one that takes their bodies to `maxBytes`. */
  readEntriesAfter(seq: number, budget: { limit: number; maxBytes: number }): Promise<StreamedEntry[]>;
  latestSeq(): Promise<number>;
  prunedThrough(): Promise<number>;
}

export interface LiveHubOptions {
  heartbeatMs: number;
  retryMs: number;
  /**
   * A client whose unsent bytes pass this is disconnected; it reconnects and resumes. A catch-up step
   * reads from the store only what fits in half of it (plus one entry), so a replay never gets a client
   * dropped and never holds more than that in memory per client.
   */
  maxBufferBytes: number;
  /** Most entries read from the store per catch-up step (the byte budget usually stops a step first). */
  replayPageSize?: number;
  /** The store's newest sequence number when the hub starts: live publishing continues from there. */
  latestSeq: number;
  log: Logger;
  /** Frames written, clients dropped, open streams and the replay backlog. */
  metrics?: Metrics;
}

export type DropReason = 'slow' | 'error';

interface Client {
  readonly connection: Connection;
  /** Sequence number of the last event this client was sent. */
  cursor: number;
  /** False while catching up from the store; live frames are then skipped (the store has them). */
  live: boolean;
  closed: boolean;
}

export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly retry: Buffer;
  private readonly pageSize: number;
  private readonly log: Logger;
  private readonly metrics: Metrics | undefined;
  /** Highest sequence number handed to publish(). */
  private publishedSeq: number;

  constructor(
    private readonly store: ReplaySource,
    private readonly options: LiveHubOptions,
  ) {
    this.retry = retryFrame(options.retryMs);
    this.pageSize = options.replayPageSize ?? 500;
    this.log = options.log;
    this.metrics = options.metrics;
    this.publishedSeq = options.latestSeq;
    this.heartbeat = setInterval(() => this.writeToLive(HEARTBEAT_FRAME, 0), options.heartbeatMs);
    this.heartbeat.unref();
    this.metrics?.read('roomwatch_sse_streams', () => this.clients.size);
    this.metrics?.read('roomwatch_sse_replay_backlog', () => this.replayBacklog());
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Starts streaming to a new client. `cursor` is the last sequence number it has (Last-Event-ID or
   * ?since=), or null for "from now on"; `epoch`, when the client says it, the store that cursor is from.
   * An unusable cursor gets one `resync` frame, then live frames.
   */
  attach(connection: Connection, cursor: number | null, epoch?: string): void {
    // Not live until its cursor is checked: publishes meanwhile are for the catch-up to send, or not at all.
    const client: Client = { connection, cursor: this.publishedSeq, live: cursor === null, closed: false };
    this.clients.add(client);
    connection.onClose(() => this.forget(client));
    connection.write(this.retry);
    if (cursor === null) return;
    this.resume(client, cursor, epoch).catch((error: unknown) => this.drop(client, 'error', error));
  }

  private async resume(client: Client, cursor: number, epoch: string | undefined): Promise<void> {
    const [latest, prunedThrough] = await Promise.all([this.store.latestSeq(), this.store.prunedThrough()]);
    if (client.closed) return;
    let reason: string | undefined;
    if (epoch !== undefined && epoch !== this.store.epoch) reason = 'cursor is from another store';
    else if (cursor > latest) reason = 'cursor is ahead of the store';
    else if (cursor < prunedThrough) reason = 'events after the cursor were pruned';
    if (reason === undefined) {
      client.cursor = cursor;
      this.catchUp(client);
      return;
    }
    // The resync frame's id is the position the client is now at: nothing at or before it follows.
    client.cursor = Math.max(this.publishedSeq, latest);
    client.live = true;
    this.writeResync(client, client.cursor, reason);
  }

  /** Sends newly stored events to every live client: each frame is built once, one write per client. */
  publish(entries: readonly StreamedEntry[]): void {
    if (entries.length === 0) return;
    const seqs: number[] = [];
    const frames: Buffer[] = [];
    for (const entry of entries) {
      const frame = this.frameOf(entry);
      if (frame === undefined) continue;
      seqs.push(entry.seq);
      frames.push(frame);
    }
    const last = entries[entries.length - 1]!.seq;
    this.publishedSeq = Math.max(this.publishedSeq, last);
    if (frames.length === 0) return;
    const all = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    const first = seqs[0]!;
    let written = 0;
    for (const client of this.clients) {
      if (!client.live || client.cursor >= last) continue;
      try {
        if (client.cursor < first) {
          client.connection.write(all);
          written += frames.length;
        } else {
          // Only reachable when a catch-up read already sent part of this batch.
          const unsent = frames.filter((_, i) => seqs[i]! > client.cursor);
          client.connection.write(Buffer.concat(unsent));
          written += unsent.length;
        }
        client.cursor = last;
        this.dropIfSlow(client);
      } catch (error) {
        this.drop(client, 'error', error);
      }
    }
    // One increment per publish, not one per client: the fan-out loop stays as cheap as it was.
    if (written > 0) this.metrics?.framesWritten.inc(written);
  }

  /** Writes a frame that is not in the store (a status, a refusal) to every live client. */
  broadcast(frame: Buffer): void {
    this.writeToLive(frame, 1);
  }

  /** Closes every stream (at shutdown); clients reconnect and resume. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.connection.close();
    this.clients.clear();
  }

  /** One catch-up step; whatever goes wrong in it closes this client only (it reconnects and resumes). */
  private catchUp(client: Client): void {
    if (client.closed) return;
    this.catchUpStep(client).catch((error: unknown) => this.drop(client, 'error', error));
  }

  private async catchUpStep(client: Client): Promise<void> {
    if (client.cursor < (await this.store.prunedThrough())) {
      // Retention ran while this client was catching up: what it still needed is gone, so say so
      // rather than skip ahead. It reloads its state and goes on live.
      const latest = await this.store.latestSeq();
      if (client.closed) return;
      client.cursor = Math.max(this.publishedSeq, latest);
      client.live = true;
      this.writeResync(client, client.cursor, 'events after the cursor were pruned');
      return;
    }
    // Read only what fits in half the buffer cap: the rest stays in the store, not in memory, and is
    // read once, after the client has taken this.
    const room = this.options.maxBufferBytes / 2 - client.connection.buffered;
    const entries = await this.store.readEntriesAfter(client.cursor, { limit: this.pageSize, maxBytes: room });
    if (client.closed) return;
    const frames: Buffer[] = [];
    let bytes = 0;
    for (const entry of entries) {
      const frame = this.frameOf(entry);
      if (frame !== undefined) {
        frames.push(frame);
        bytes += frame.length;
      }
      client.cursor = entry.seq;
    }
    if (frames.length > 0) {
      client.connection.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames, bytes));
      this.metrics?.framesWritten.inc(frames.length);
    }
    if (entries.length === 0 || client.cursor >= this.publishedSeq) {
      // Same tick as the read's answer: every later publish() has a higher sequence number, or only
      // entries this read already sent (publish() skips those by the cursor).
      client.live = true;
      return;
    }
    if (client.connection.buffered > 0) client.connection.onDrain(() => this.catchUp(client));
    else setImmediate(() => this.catchUp(client));
  }

  /** The entry's frame, or undefined (logged) when it cannot be built: clients then skip that entry. */
  private frameOf(entry: StreamedEntry): Buffer | undefined {
    try {
      return eventFrame(entry);
    } catch (error) {
      this.log.error({ err: error, seq: entry.seq, source: entry.source, type: entry.type }, 'a log entry could not be turned into an /events frame; streams skip it');
      return undefined;
    }
  }

  private writeResync(client: Client, latest: number, reason: string): void {
    client.connection.write(resyncFrame(latest, reason));
    this.metrics?.framesWritten.inc();
  }

  /** `frames` is what one write counts as: 0 for a heartbeat (a comment, not a frame), else 1. */
  private writeToLive(frame: Buffer, frames: number): void {
    let written = 0;
    for (const client of this.clients) {
      if (!client.live) continue;
      try {
        client.connection.write(frame);
        written += frames;
        this.dropIfSlow(client);
      } catch (error) {
        this.drop(client, 'error', error);
      }
    }
    if (written > 0) this.metrics?.framesWritten.inc(written);
  }

  private dropIfSlow(client: Client): void {
    if (client.connection.buffered > this.options.maxBufferBytes) this.drop(client, 'slow');
  }

  private drop(client: Client, reason: DropReason, error?: unknown): void {
    this.forget(client);
    client.connection.close();
    this.metrics?.clientsDropped.inc({ reason });
    if (reason === 'slow') this.log.info({ reason }, 'slow SSE client disconnected; it will reconnect and resume');
    else this.log.error({ err: error, cursor: client.cursor }, 'SSE client closed after an error while streaming to it; it will reconnect and resume');
  }

  private forget(client: Client): void {
    client.closed = true;
    this.clients.delete(client);
  }

  /** Entries that clients still catching up have to receive (the log has no holes above a cursor). */
  private replayBacklog(): number {
    let backlog = 0;
    for (const client of this.clients) if (!client.live) backlog += this.publishedSeq - client.cursor;
    return backlog;
  }
}
