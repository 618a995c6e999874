// Who may call the dashboard API from another site: nobody, unless CORS_ORIGINS lists them.
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** CORS headers for the listed origins only (with credentials, for the session cookie). */
export function corsFor(origins: string[]): RequestHandler | null {
  return origins.length === 0 ? null : cors({ origin: origins, credentials: true });
}

/** The same headers for a plain node:http GET (no preflight: those go through express). */
export function corsHeadersFor(origins: string[]): ((req: IncomingMessage, res: ServerResponse) => void) | undefined {
  const middleware = corsFor(origins);
  if (!middleware) return undefined;
  return (req, res) => middleware(req as Request, res as Response, () => undefined);
}

/**
 * Refuses state-changing requests sent by a page of another site (a browser always says where from
 * in Origin). Without it an open dashboard could be driven by any web page its user visits.
 */
export function refuseCrossSiteWrites(allowed: string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (SAFE_METHODS.has(req.method) || origin === undefined) return next();
    if (origin === `${req.protocol}://${req.get('host')}` || allowed.includes(origin)) return next();
    res.status(403).json({ error: 'cross_site', message: `requests from ${origin} are refused; list it in CORS_ORIGINS to allow it` });
  };
}
