// How a frame reaches a browser: straight to the socket of a plain HTTP/1.1 response.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The hub's whole view of one client. */
export interface Connection {
  write(chunk: Buffer): void;
  /** Bytes accepted by write() and not yet handed to the kernel. */
  readonly buffered: number;
  onDrain(callback: () => void): void;
  onClose(callback: () => void): void;
  close(): void;
}

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  // The body has no length and no chunks: it ends when the connection does, so say so.
  Connection: 'close',
};

/** A class, not closures: thousands of idle streams each keep one small object. */
class SocketConnection implements Connection {
  constructor(private readonly socket: Socket) {}
  write(chunk: Buffer): void {
    this.socket.write(chunk);
  }
  get buffered(): number {
    return this.socket.writableLength;
  }
  onDrain(callback: () => void): void {
    this.socket.once('drain', callback);
  }
  onClose(callback: () => void): void {
    this.socket.once('close', callback);
  }
  close(): void {
    this.socket.destroy();
  }
}

/**
 * Sends the event-stream headers and hands back the socket as a Connection. The response has no
 * chunked framing, so each frame is written to the socket as is: one buffer, no per-client encoding.
 */
export function openEventStream(res: ServerResponse): Connection {
  res.removeHeader('Transfer-Encoding');
  res.writeHead(200, STREAM_HEADERS);
  res.flushHeaders();
  const socket = res.socket!;
  socket.setNoDelay(true);
  socket.setTimeout(0);
  return new SocketConnection(socket);
}
