// Many Server-Sent Events clients on raw sockets: each sends `GET /events`, waits for the response
// headers, then counts the webhook frames it receives (by distinct `id:`) and, when asked, how late each
// one arrived. Webhook frames are the default (unnamed) ones, as a Meet tutorial client sees them; named
// frames (`event: room`…) are counted apart. Works with a plain event stream and with one in chunked
// transfer encoding, since it only looks for blank-line-terminated frames and their fields.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ConnectOutcome {
  /** Clients that received `200` response headers. */
  connected: number;
  failed: number;
  firstFailure?: string;
  /** From the first connect until the last client received its response headers. */
  elapsedMs: number;
}

export interface DeliveryTally {
  clients: number;
  /** Webhook frames with an id above the last one the same client had seen, summed over clients. */
  distinctFrames: number;
  /** Fewest distinct webhook frames any one client received. */
  fewestPerClient: number;
  /** Webhook frames whose id a client had already seen (should stay 0). */
  repeatedFrames: number;
  /** Named frames (`event: room`, `event: recording`…), summed over clients: not webhook deliveries. */
  namedFrames: number;
  /** Streams the server ended while the bench was still listening. */
  closedByServer: number;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface SseClient {
  socket: net.Socket;
  streaming: boolean;
  /** Bytes after the last complete frame (or the partial response head). */
  pending: Buffer | null;
  lastId: number;
  distinctFrames: number;
  repeatedFrames: number;
  namedFrames: number;
  closedByServer: boolean;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const FRAME_END = Buffer.from('\n\n');
const ID_FIELD = Buffer.from('id: ');
const EVENT_FIELD = Buffer.from('event: ');
const SENT_AT_FIELD = Buffer.from('"sentAt":');
const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;
const POLL_MS = 20;

export class SseClientPool {
  private readonly clients: SseClient[] = [];
  /** Every socket opened and not yet closed, streaming or still connecting. */
  private readonly sockets = new Set<net.Socket>();
  private latencies: number[] = [];

  /** `trackLatency`: read `"sentAt"` from each frame's data and keep receive time − sentAt. */
  constructor(private readonly trackLatency: boolean) {}

  /**
   * Opens `count` streams with at most `concurrency` of them waiting for their response headers at a
   * time; resolves when every one has its headers or failed, or after `timeoutMs`.
   */
  connect(port: number, count: number, concurrency: number, timeoutMs: number): Promise<ConnectOutcome> {
    const request = Buffer.from(
      `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n`,
    );
    const startedAt = performance.now();
    let started = 0;
    let settled = 0;
    let connected = 0;
    let waiting = 0;
    let firstFailure: string | undefined;

    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        resolve({ connected, failed: settled - connected, firstFailure, elapsedMs: performance.now() - startedAt });
      };
      const timer = setTimeout(() => {
        firstFailure ??= `${count - settled} still waiting for response headers after ${timeoutMs} ms`;
        settled = count;
        finish();
      }, timeoutMs);

      const onSettled = (failure?: string) => {
        if (settled >= count) return;
        waiting--;
        settled++;
        if (failure === undefined) connected++;
        else firstFailure ??= failure;
        if (settled === count) finish();
        else openMore();
      };
      const openMore = () => {
        while (waiting < concurrency && started < count) {
          started++;
          waiting++;
          this.open(port, request, onSettled);
        }
      };
      openMore();
    });
  }

  tally(): DeliveryTally {
    let distinctFrames = 0;
    let fewestPerClient = Number.POSITIVE_INFINITY;
    let repeatedFrames = 0;
    let namedFrames = 0;
    let closedByServer = 0;
    for (const client of this.clients) {
      distinctFrames += client.distinctFrames;
      fewestPerClient = Math.min(fewestPerClient, client.distinctFrames);
      repeatedFrames += client.repeatedFrames;
      namedFrames += client.namedFrames;
      if (client.closedByServer) closedByServer++;
    }
    const clients = this.clients.length;
    return { clients, distinctFrames, fewestPerClient: clients === 0 ? 0 : fewestPerClient, repeatedFrames, namedFrames, closedByServer };
  }

  /** Waits until every client has `perClient` distinct frames (the tail of a run), or `timeoutMs`. */
  async waitForFrames(perClient: number, timeoutMs: number): Promise<DeliveryTally> {
    const deadline = performance.now() + timeoutMs;
    let tally = this.tally();
    while (tally.fewestPerClient < perClient && performance.now() < deadline) {
      await sleep(POLL_MS);
      tally = this.tally();
    }
    return tally;
  }

  latencySummary(): LatencySummary {
    const sorted = Float64Array.from(this.latencies).sort();
    const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? Number.NaN;
    return { samples: sorted.length, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) };
  }

  /** Forgets latency samples taken so far (after a warm-up); frame counts are kept. */
  clearLatencySamples(): void {
    this.latencies = [];
  }

  /** Resets every stream, so that closing thousands of them leaves no sockets in TIME_WAIT. */
  disconnectAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    this.clients.length = 0;
  }

  private open(port: number, request: Buffer, onSettled: (failure?: string) => void): void {
    const socket = net.connect({ host: '127.0.0.1', port });
    this.sockets.add(socket);
    // A failed connect emits both 'error' and 'close': report each client once.
    let reported = false;
    const report = (failure?: string) => {
      if (reported) return;
      reported = true;
      onSettled(failure);
    };
    const client: SseClient = {
      socket,
      streaming: false,
      pending: null,
      lastId: 0,
      distinctFrames: 0,
      repeatedFrames: 0,
      namedFrames: 0,
      closedByServer: false,
    };
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      if (client.streaming) {
        this.readFrames(client, chunk);
        return;
      }
      const bytes = client.pending ? Buffer.concat([client.pending, chunk]) : chunk;
      const headEnd = bytes.indexOf(HEAD_END);
      if (headEnd < 0) {
        client.pending = bytes;
        return;
      }
      const statusLine = bytes.toString('latin1', 0, bytes.indexOf('\r\n'));
      if (!statusLine.startsWith('HTTP/1.1 200')) {
        socket.destroy();
        report(`GET /events answered "${statusLine}"`);
        return;
      }
      client.streaming = true;
      client.pending = null;
      this.clients.push(client);
      report();
      this.readFrames(client, bytes.subarray(headEnd + HEAD_END.length));
    });
    socket.on('error', (error) => report(error.message));
    socket.on('close', () => {
      this.sockets.delete(socket);
      report('connection closed before the response headers');
      // After disconnectAll() the client is no longer counted, so this only marks the server's closes.
      if (client.streaming) client.closedByServer = true;
    });
  }

  private readFrames(client: SseClient, chunk: Buffer): void {
    const bytes = client.pending ? Buffer.concat([client.pending, chunk]) : chunk;
    const receivedAt = this.trackLatency ? performance.timeOrigin + performance.now() : 0;
    let start = 0;
    for (let end = bytes.indexOf(FRAME_END, start); end >= 0; end = bytes.indexOf(FRAME_END, start)) {
      this.readFrame(client, bytes, start, end, receivedAt);
      start = end + FRAME_END.length;
    }
    client.pending = start < bytes.length ? bytes.subarray(start) : null;
  }

  /** One frame in bytes[start, end): counts its id and, when tracked, how long it took to arrive. */
  private readFrame(client: SseClient, bytes: Buffer, start: number, end: number, receivedAt: number): void {
    const idAt = findField(bytes, ID_FIELD, start, end);
    // Comments (heartbeats) and `retry:` frames carry no id.
    if (idAt < 0) return;
    if (findField(bytes, EVENT_FIELD, start, end) >= 0) {
      client.namedFrames++;
      return;
    }
    const id = readNumber(bytes, idAt + ID_FIELD.length, end);
    if (id > client.lastId) {
      client.lastId = id;
      client.distinctFrames++;
    } else {
      client.repeatedFrames++;
    }
    if (!this.trackLatency) return;
    const sentAtAt = bytes.indexOf(SENT_AT_FIELD, start);
    if (sentAtAt >= 0 && sentAtAt < end) this.latencies.push(receivedAt - readNumber(bytes, sentAtAt + SENT_AT_FIELD.length, end));
  }
}

/** Where a line of the frame bytes[start, end) starts with the field `name`, or -1. Never reads past the frame. */
function findField(bytes: Buffer, name: Buffer, start: number, end: number): number {
  for (let line = start; line < end; ) {
    if (name.compare(bytes, line, Math.min(line + name.length, end)) === 0) return line;
    const lineEnd = bytes.indexOf(NEWLINE, line);
    if (lineEnd < 0) break;
    line = lineEnd + 1;
  }
  return -1;
}

/** The decimal number (digits and one optional fraction) that starts at `from`. */
function readNumber(bytes: Buffer, from: number, end: number): number {
  let to = from;
  while (to < end) {
    const byte = bytes[to]!;
    if ((byte < DIGIT_0 || byte > DIGIT_9) && byte !== DOT) break;
    to++;
  }
  return Number(bytes.toString('latin1', from, to));
}
