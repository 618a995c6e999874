// The live hub: every open /events stream, fed from the event log. A client that connects with a
// cursor first catches up from the store, page by page, then receives live frames; no gap, no repeat.
import type { Connection } from './connection.js';
import { HEARTBEAT_FRAME, eventFrame, resyncFrame, retryFrame } from './frames.js';
import type { StoredEvent } from '../domain/events.js';

/** What the hub needs from the store to replay what a client missed. */
export interface ReplaySource {
  readAfter(seq: number, limit: number): StoredEvent[];
  latestSeq(): number;
  prunedThrough(): number;
}

export interface LiveHubOptions {
  heartbeatMs: number;
  retryMs: number;
  /** A client whose unsent bytes pass this is disconnected; it reconnects and resumes. */
  maxBufferBytes: number;
  /** Events read from the store per catch-up step. */
  replayPageSize?: number;
  onClientDropped?: (reason: string) => void;
}

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
  /** Highest sequence number handed to publish(). */
  private publishedSeq: number;

  constructor(
    private readonly store: ReplaySource,
    private readonly options: LiveHubOptions,
  ) {
    this.retry = retryFrame(options.retryMs);
    this.pageSize = options.replayPageSize ?? 500;
    this.publishedSeq = store.latestSeq();
    this.heartbeat = setInterval(() => this.broadcast(HEARTBEAT_FRAME), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Starts streaming to a new client. `cursor` is the last sequence number it has (Last-Event-ID or
   * ?since=), or null for "from now on". An unusable cursor gets one `resync` frame, then live frames.
   */
  attach(connection: Connection, cursor: number | null): void {
    const client: Client = { connection, cursor: this.publishedSeq, live: true, closed: false };
    this.clients.add(client);
    connection.onClose(() => this.forget(client));
    connection.write(this.retry);
    if (cursor === null) return;

    const latest = this.store.latestSeq();
    if (cursor > latest) {
      connection.write(resyncFrame(latest, 'cursor is ahead of the store'));
    } else if (cursor < this.store.prunedThrough()) {
      connection.write(resyncFrame(latest, 'events after the cursor were pruned'));
    } else {
      client.cursor = cursor;
      client.live = false;
      this.catchUp(client);
    }
  }

  /** Sends newly stored events to every live client: each frame is built once, one write per client. */
  publish(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    const frames = events.map(eventFrame);
    const all = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    const first = events[0]!.seq;
    const last = events[events.length - 1]!.seq;
    this.publishedSeq = Math.max(this.publishedSeq, last);
    for (const client of this.clients) {
      if (!client.live || client.cursor >= last) continue;
      if (client.cursor < first) {
        client.connection.write(all);
      } else {
        // Only reachable when a catch-up read already sent part of this batch.
        const unsent = frames.filter((_, i) => events[i]!.seq > client.cursor);
        client.connection.write(Buffer.concat(unsent));
      }
      client.cursor = last;
      this.dropIfSlow(client);
    }
  }

  /** Closes every stream (at shutdown); clients reconnect and resume. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.connection.close();
    this.clients.clear();
  }

  private catchUp(client: Client): void {
    if (client.closed) return;
    const rows = this.store.readAfter(client.cursor, this.pageSize);
    // Stop a page early once half the buffer cap is queued, so a replay never gets a client dropped.
    const room = this.options.maxBufferBytes / 2 - client.connection.buffered;
    const frames: Buffer[] = [];
    let bytes = 0;
    for (const row of rows) {
      if (frames.length > 0 && bytes >= room) break;
      const frame = eventFrame(row);
      frames.push(frame);
      bytes += frame.length;
      client.cursor = row.seq;
    }
    if (frames.length > 0) client.connection.write(Buffer.concat(frames, bytes));
    const readAll = frames.length === rows.length && rows.length < this.pageSize;
    if (readAll && this.publishedSeq <= client.cursor) {
      // Same tick as the last read: every later publish() has a higher sequence number.
      client.live = true;
      return;
    }
    if (client.connection.buffered > 0) client.connection.onDrain(() => this.catchUp(client));
    else setImmediate(() => this.catchUp(client));
  }

  /** Writes a frame that is not in the store (a heartbeat, a status) to every live client. */
  broadcast(frame: Buffer): void {
    for (const client of this.clients) {
      if (!client.live) continue;
      client.connection.write(frame);
      this.dropIfSlow(client);
    }
  }

  private dropIfSlow(client: Client): void {
    if (client.connection.buffered <= this.options.maxBufferBytes) return;
    this.forget(client);
    client.connection.close();
    this.options.onClientDropped?.('send buffer over the limit');
  }

  private forget(client: Client): void {
    client.closed = true;
    this.clients.delete(client);
  }
}
