// One keep-alive HTTP/1.1 connection that sends webhook requests one at a time, as Meet does (no
// pipelining), and reads back only what the bench needs from each response: its status code.
import net from 'node:net';

/** A status code, or the error that ended the request (connection reset, refused…). */
export type RequestOutcome = number | Error;

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

export class WebhookConnection {
  private socket: net.Socket;
  private received: Buffer | null = null;
  private onResponse: ((outcome: RequestOutcome) => void) | null = null;

  constructor(private readonly port: number) {
    this.socket = this.connect();
  }

  /** Opens a connection and waits until it is established, so connecting stays out of measured windows. */
  static async open(port: number): Promise<WebhookConnection> {
    const connection = new WebhookConnection(port);
    await new Promise<void>((resolve, reject) => {
      connection.socket.once('connect', resolve);
      connection.socket.once('error', reject);
    });
    return connection;
  }

  get busy(): boolean {
    return this.onResponse !== null;
  }

  /** Writes one complete request; `onResponse` is called once, with the status or the error. */
  send(request: Buffer, onResponse: (outcome: RequestOutcome) => void): void {
    if (this.onResponse) throw new Error('a request is already in flight on this connection');
    // The server closes idle keep-alive connections (5 s by default): open a new one when needed.
    if (this.socket.destroyed) this.socket = this.connect();
    this.onResponse = onResponse;
    this.socket.write(request);
  }

  close(): void {
    this.socket.destroy();
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: '127.0.0.1', port: this.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    // Events of a replaced socket must not end the request of its successor.
    socket.on('error', (error) => {
      if (socket === this.socket) this.finish(error);
    });
    socket.on('close', () => {
      if (socket === this.socket) this.finish(new Error('connection closed before the response'));
    });
    return socket;
  }

  private read(chunk: Buffer): void {
    const bytes = this.received ? Buffer.concat([this.received, chunk]) : chunk;
    this.received = bytes;
    const headEnd = bytes.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = bytes.toString('latin1', 0, headEnd);
    const length = CONTENT_LENGTH.exec(head)?.[1];
    if (length === undefined) {
      this.socket.destroy();
      this.finish(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const end = headEnd + HEAD_END.length + Number(length);
    if (bytes.length < end) return;
    this.received = bytes.length > end ? bytes.subarray(end) : null;
    // "HTTP/1.1 200 OK": the code is always at bytes 9–11.
    this.finish(Number(head.slice(9, 12)));
  }

  private finish(outcome: RequestOutcome): void {
    const onResponse = this.onResponse;
    if (!onResponse) return;
    this.onResponse = null;
    if (outcome instanceof Error) this.received = null;
    onResponse(outcome);
  }
}
