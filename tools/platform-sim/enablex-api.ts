// The part of EnableX's Server API that roomwatch calls, served over HTTP for tests and the demo, in the
// shapes of EnableX's Server API docs ("Server API for Video Application Server", "Get Room
// Information", "Requesting CDR for a Specific Period / for a Room / for a Room and Period"):
// - HTTP Basic with the project's APP_ID:APP_KEY on every route;
// - success: HTTP 200 and JSON with `result` 0 (rooms) or "0" (CDR, as the docs print it);
// - errors: JSON `{result, error, desc}` (documented), with HTTP 401 for other credentials, 404 for an
//   unknown room or route, 400 for a bad date (the status codes and result values are assumed: the docs
//   give only the error body's keys);
// - no paging: the docs describe none for these routes, so every list comes whole.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

export interface EnableXApiModel {
  /** The project's credentials; undefined: every call is refused. */
  credentials(): { appId: string; appKey: string } | undefined;
  /** A room as `GET /rooms/{room_id}` gives it, or undefined. */
  room(roomId: string): Record<string, unknown> | undefined;
  /** Every call record of the project, oldest first. */
  callRecords(): Record<string, unknown>[];
}

export interface EnableXApiServer {
  /** e.g. http://127.0.0.1:41234 (what ENABLEX_API_URL takes; routes are under /video/v2). */
  url: string;
  /** Every request's method and path, in order (for tests that count calls). */
  requests(): string[];
  close(): Promise<void>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function serveEnableXApi(model: EnableXApiModel, { port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<EnableXApiServer> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push(`${req.method} ${path}`);
    const answer = (status: number, body: Record<string, unknown>) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const refuse = (status: number, error: string, desc: string) => answer(status, { result: status, error, desc });

    if (!authorized(req.headers.authorization, model.credentials())) return refuse(401, 'Unauthorized', 'Invalid APP_ID or APP_KEY');
    if (req.method !== 'GET') return refuse(404, 'Not Found', `${req.method} ${path} is not a route of this API`);
    let parts: string[];
    try {
      parts = path.split('/').filter(Boolean).map((part) => decodeURIComponent(part));
    } catch {
      return refuse(400, 'Bad Request', `${path} is not a valid path`);
    }
    if (parts[0] !== 'video' || parts[1] !== 'v2') return refuse(404, 'Not Found', `${path} is not a route of this API`);
    const [, , resource, ...rest] = parts;

    if (resource === 'rooms' && rest.length === 1) {
      const room = model.room(rest[0]!);
      return room ? answer(200, { result: 0, room }) : refuse(404, 'Not Found', `Room ${rest[0]} not found`);
    }
    if (resource === 'cdr') {
      const [kind, ...args] = rest;
      const records = model.callRecords();
      const dates = kind === 'period' && args.length === 2 ? args : kind === 'room-period' && args.length === 3 ? args.slice(1) : [];
      if (dates.some((date) => !DATE.test(date))) return refuse(400, 'Bad Request', 'Dates must be YYYY-MM-DD');
      const roomId = kind === 'room' && args.length === 1 ? args[0] : kind === 'room-period' && args.length === 3 ? args[0] : undefined;
      if (kind === 'period' ? args.length !== 2 : roomId === undefined) return refuse(404, 'Not Found', `${path} is not a route of this API`);
      const [from, to] = dates;
      const cdr = records.filter((record) => {
        const date = String(record.trans_date).slice(0, 10);
        const room = (record.room as { room_id?: string } | undefined)?.room_id;
        return (roomId === undefined || room === roomId) && (from === undefined || (date >= from && date <= to!));
      });
      return answer(200, { result: '0', cdr });
    }
    return refuse(404, 'Not Found', `${path} is not a route of this API`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function authorized(header: string | undefined, credentials: { appId: string; appKey: string } | undefined): boolean {
  if (!credentials || !header?.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice('Basic '.length), 'base64');
  const expected = Buffer.from(`${credentials.appId}:${credentials.appKey}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
