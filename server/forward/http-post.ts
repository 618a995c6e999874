// A POST whose answer only counts by its status, over node:http(s) with kept-alive connections: about
// half the CPU of fetch per request, which forwarding spends beside intake on the same thread. Bounded:
// the status line must come within `timeoutMs`, and an answer's body is drained (so that its connection
// serves the next delivery) only up to a size and a time, else the connection is dropped.
import http from 'node:http';
import https from 'node:https';

/** One connection per target is in use at a time (deliveries are in order); a few spare is plenty. */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }),
};
/** An answer's body bytes drained at most before its connection is dropped instead. */
const MAX_DRAINED_BYTES = 64 * 1024;

/** Rejected with this when no status line came within the time allowed. */
export class PostTimeoutError extends Error {
  override name = 'TimeoutError';
}

export interface PostAnswer {
  status: number;
  statusText: string;
}

export async function postForStatus(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<PostAnswer> {
  try {
    return await postOnce(url, headers, body, options);
  } catch (error) {
    // A kept-alive connection the target closed meanwhile (Node's documented race): once more, on a new one.
    if ((error as { reusedSocket?: boolean }).reusedSocket && (error as { code?: string }).code === 'ECONNRESET') return postOnce(url, headers, body, options);
    throw error;
  }
}

function postOnce(url: string, headers: Record<string, string>, body: string, { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal }): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const request = transport.request(target, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      agent: AGENTS[target.protocol as keyof typeof AGENTS],
      signal,
    });
    const timer = setTimeout(() => request.destroy(new PostTimeoutError()), timeoutMs);
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(Object.assign(error, { reusedSocket: request.reusedSocket }));
    });
    request.once('response', (response) => {
      clearTimeout(timer);
      resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' });
      let drained = 0;
      const giveUp = setTimeout(() => response.destroy(), timeoutMs);
      response.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > MAX_DRAINED_BYTES) response.destroy();
      });
      response.once('close', () => clearTimeout(giveUp));
      response.once('error', () => undefined);
    });
    request.end(body);
  });
}
