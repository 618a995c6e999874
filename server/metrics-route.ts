// GET /metrics, for Prometheus. Who may read it:
// - METRICS_TOKEN set: `Authorization: Bearer <token>` (a scraper has no session), or a signed-in session
//   when DASHBOARD_PASSWORD is set;
// - only DASHBOARD_PASSWORD set: a signed-in session, as for /api;
// - neither: anyone who can reach the port, as for /api.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Metrics } from './metrics.js';

export interface MetricsAccess {
  /** METRICS_TOKEN. */
  token: string | undefined;
  /** Whether a request carries a dashboard session; undefined when there is no password. */
  isSignedIn: ((req: IncomingMessage) => boolean) | undefined;
}

export function metricsRoute(metrics: Metrics, { token, isSignedIn }: MetricsAccess): RequestHandler {
  const tokenDigest = token === undefined ? undefined : sha256(Buffer.from(token, 'utf8'));
  const open = tokenDigest === undefined && isSignedIn === undefined;
  const needs = [isSignedIn && 'a signed-in session (/login)', tokenDigest && 'Authorization: Bearer <METRICS_TOKEN>'].filter(Boolean).join(' or ');

  return (req, res, next) => {
    const allowed = open || (tokenDigest !== undefined && bearerMatches(req.headers.authorization, tokenDigest)) || Boolean(isSignedIn?.(req));
    if (!allowed) {
      if (tokenDigest) res.set('WWW-Authenticate', 'Bearer realm="roomwatch metrics"');
      res.status(401).json({ error: 'unauthenticated', message: `GET /metrics needs ${needs}` });
      return;
    }
    metrics.scrape().then(({ contentType, text }) => {
      res.set('Cache-Control', 'no-store').type(contentType).send(text);
    }, next);
  };
}

/**
 * Compares the header's raw bytes (node keeps them as latin1 characters) with the token, in constant time:
 * digests of equal length, so neither the length nor the content leaks through timing.
 */
function bearerMatches(header: string | undefined, tokenDigest: Buffer): boolean {
  if (header === undefined || !/^bearer /i.test(header)) return false;
  return timingSafeEqual(sha256(Buffer.from(header.slice(7), 'latin1')), tokenDigest);
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
