// The HTTP front door. The two routes on the hot path, webhooks in and the event stream out, are
// plain node:http handlers; everything else (dashboard, API, sign-in) goes to the express app.
// Why: express re-prototypes every req/res and keeps its router state alive for each open stream;
// measured here that cost ~40% of webhook throughput and doubled the memory per SSE client
// (../shared/DESIGN.md, "Performance notes"; `npm run bench`).
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Logger } from './logger.js';

export type PlainHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** `METHOD /path` → handler; the path is matched exactly, without its query string. */
export type PlainRoutes = Record<string, PlainHandler>;

export function createRequestListener(routes: PlainRoutes, app: Express, log: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const handler = routes[`${req.method} ${path}`];
    if (!handler) {
      app(req, res);
      return;
    }
    try {
      const pending = handler(req, res);
      if (pending) pending.catch((error: unknown) => failed(error, req, res, log));
    } catch (error) {
      failed(error, req, res, log);
    }
  };
}

/**
 * Node's defaults let a client take 60 s over its headers and 300 s over a request, holding memory all the
 * while. Headers are small on every route, so they get the webhook deadline; webhook bodies have that
 * deadline too (ingest/raw-body.ts, with a JSON answer); the dashboard's requests are small JSON. `/events`
 * is a long response, not a long request: none of these touches it once its headers are in.
 */
export function serverTimeouts(webhookTimeoutMs: number): ServerOptions {
  return {
    headersTimeout: webhookTimeoutMs,
    requestTimeout: Math.max(OTHER_REQUEST_TIMEOUT_MS, 2 * webhookTimeoutMs),
    // How often Node looks for requests past those times (30 s by default, which would triple them).
    connectionsCheckingInterval: Math.min(1000, webhookTimeoutMs),
  };
}

/** A backstop for requests that are not webhooks; a webhook's own, shorter deadline answers first. */
const OTHER_REQUEST_TIMEOUT_MS = 30_000;

/** A JSON answer with a known length, written in one go. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function failed(error: unknown, req: IncomingMessage, res: ServerResponse, log: Logger): void {
  log.error({ err: error, path: req.url }, 'unexpected error');
  if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'unexpected error; see the server log' });
  else res.destroy();
}
