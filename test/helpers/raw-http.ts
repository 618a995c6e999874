// One HTTP request sent exactly as written: the path as-is (fetch resolves dot segments), any Host header
// (fetch cannot set it), and optionally from another loopback address. A stream's body is not awaited.
import http from 'node:http';

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Local address to connect from, e.g. 127.0.0.2, to play a proxy on another address. */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The whole body; empty for an event stream, which is closed once its headers arrive. */
  body: string;
}

export function rawRequest(baseUrl: string, path: string, { method = 'GET', headers = {}, body, localAddress }: RawRequest = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path, method, headers, localAddress, agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      if (String(response.headers['content-type']).startsWith('text/event-stream')) {
        response.destroy();
        resolve({ status, headers: response.headers, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A wrong or right password sent to /login, the way the login form sends it. */
export function signInRequest(baseUrl: string, password: string, options: Omit<RawRequest, 'body' | 'method'> = {}): Promise<RawResponse> {
  return rawRequest(baseUrl, '/login', {
    ...options,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    body: new URLSearchParams({ password }).toString(),
  });
}
