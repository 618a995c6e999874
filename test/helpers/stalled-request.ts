// A POST whose body is not sent (or only partly): for tests that watch what the server does with a
// request that is still being written, as a stalled or hostile sender leaves it.
import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: Record<string, unknown>;
}

export interface StalledRequest {
  /** The server's answer, whenever it comes. */
  answer: Promise<Answer>;
  /** Resolves when the connection is closed (by either side). */
  closed: Promise<void>;
  /** Drops the connection (an answer that has not come by then never will). */
  abort(): void;
}

/**
 * Sends the request line and headers at once, then `firstBytes` of the body (none by default) and nothing
 * more. Without a content-length header the body is sent chunked.
 */
export function stalledPost(url: string, headers: Record<string, string>, firstBytes = ''): StalledRequest {
  const request = http.request(url, { method: 'POST', headers, agent: false });
  const closed = new Promise<void>((resolve) => request.once('close', () => resolve()));
  let responded = false;
  let aborted = false;
  const answer = new Promise<Answer>((resolve, reject) => {
    request.once('response', (response) => {
      responded = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode!, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
      response.once('error', reject);
    });
    // The server may close right after its answer while we are still writing: only an error before it
    // counts, and not one we caused.
    request.on('error', (error) => {
      if (!responded && !aborted) reject(error);
    });
  });
  request.flushHeaders();
  if (firstBytes !== '') request.write(firstBytes);
  return {
    answer,
    closed,
    abort: () => {
      aborted = true;
      request.destroy();
    },
  };
}
