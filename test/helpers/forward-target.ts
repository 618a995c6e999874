// An app behind roomwatch, for forwarding tests: a real HTTP server on 127.0.0.1 that keeps every request
// it gets (headers, raw body) and answers as the test says, at once or later.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  /** X-Roomwatch-Delivery, as a number. */
  delivery: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** The answer to a request: a status, or a promise of one (to hold the request open). */
export type Answer = (request: ReceivedDelivery, index: number) => number | Promise<number>;

export interface ForwardTarget {
  url: string;
  received: ReceivedDelivery[];
  /** Changes how later requests are answered. */
  answerWith(answer: Answer): void;
  /** Resolves once `check` holds for the requests received so far. */
  waitFor(check: (received: ReceivedDelivery[]) => boolean, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

export async function startForwardTarget(answer: Answer = () => 200, path = '/webhook'): Promise<ForwardTarget> {
  const received: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  let current = answer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedDelivery = {
        delivery: Number(req.headers['x-roomwatch-delivery']),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      // Asked first, so that a test's own record of its answers is complete when its waiters look.
      const answer = current(request, received.length);
      received.push(request);
      for (const wake of waiters) wake();
      void Promise.resolve(answer).then(
        (status) => {
          if (!res.destroyed) res.writeHead(status).end();
        },
        () => res.destroy(),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answerWith: (next) => {
      current = next;
    },
    waitFor: (check, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const test = () => {
          if (!check(received)) return;
          cleanup();
          resolve(received);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the target did not get what was expected within ${timeoutMs} ms; got deliveries ${JSON.stringify(received.map((r) => r.delivery))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(test);
        };
        waiters.add(test);
        test();
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The delivery ids received, in order. */
export const deliveryIds = (received: ReceivedDelivery[]) => received.map((request) => request.delivery);
