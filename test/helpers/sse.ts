// A Server-Sent Events client over plain HTTP that keeps the raw bytes and the parsed frames,
// so tests can assert on exactly what a browser would receive.
import http from 'node:http';

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
  retry?: number;
}

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  frames: SseFrame[];
  /** Comment lines (heartbeats) seen so far. */
  comments: number;
  raw(): string;
  /** Resolves once `predicate` holds for the frames received, or rejects after `timeoutMs`. */
  waitFor(predicate: (frames: SseFrame[]) => boolean, timeoutMs?: number): Promise<SseFrame[]>;
  waitForClose(timeoutMs?: number): Promise<void>;
  closed: boolean;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      let buffer = '';
      let pending: SseFrame = { data: '' };
      let hasData = false;
      const waiters = new Set<() => void>();
      const notify = () => waiters.forEach((waiter) => waiter());

      const client: SseClient = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        frames: [],
        comments: 0,
        closed: false,
        raw: () => Buffer.concat(chunks).toString('utf8'),
        waitFor: (predicate, timeoutMs = 5000) =>
          new Promise((done, fail) => {
            const check = () => {
              if (predicate(client.frames)) {
                clearTimeout(timer);
                waiters.delete(check);
                done(client.frames);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`timed out waiting for SSE frames; got ${client.frames.length}: ${client.raw().slice(-500)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        waitForClose: (timeoutMs = 5000) =>
          new Promise((done, fail) => {
            const check = () => {
              if (client.closed) {
                clearTimeout(timer);
                waiters.delete(check);
                done();
              }
            };
            const timer = setTimeout(() => fail(new Error('timed out waiting for the stream to close')), timeoutMs);
            waiters.add(check);
            check();
          }),
        close: () => request.destroy(),
      };

      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        buffer += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            if (hasData || pending.id !== undefined || pending.event !== undefined) {
              client.frames.push(pending);
            }
            pending = { data: '' };
            hasData = false;
          } else if (line.startsWith(':')) {
            client.comments++;
          } else {
            const colon = line.indexOf(':');
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') {
              pending.data = hasData ? `${pending.data}\n${value}` : value;
              hasData = true;
            } else if (field === 'id') pending.id = value;
            else if (field === 'event') pending.event = value;
            else if (field === 'retry') pending.retry = Number(value);
          }
        }
        notify();
      });
      const onClose = () => {
        client.closed = true;
        notify();
      };
      response.on('close', onClose);
      response.on('error', onClose);
      resolve(client);
    });
    request.on('error', reject);
  });
}

/** Frames that carry a webhook (have an id and are not resync frames). */
export const eventFrames = (frames: SseFrame[]) => frames.filter((f) => f.id !== undefined && f.event === undefined);
export const ids = (frames: SseFrame[]) => eventFrames(frames).map((f) => Number(f.id));
/** Ids of every stored entry streamed: webhooks and the room/recording changes they caused. */
export const entryIds = (frames: SseFrame[]) => frames.filter((f) => f.id !== undefined && f.event !== 'resync').map((f) => Number(f.id));
