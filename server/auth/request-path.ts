// Paths that mean something else once decoded and normalised are refused before any route or the sign-in
// gate sees them. Static serving decodes `%2e`/`%2f` and resolves `..`, while routing and the gate read the
// raw path: `/vendor/..%2fapp.js` looked open to the gate and served /app.js. With these refused, the raw
// path the gate decides on is the path that gets served. No browser sends them: it resolves dot segments
// itself and never encodes a slash it means as one.
import type { NextFunction, Request, Response } from 'express';

const ENCODED_SEPARATOR_OR_NUL = /%(2f|5c|00)|\\/i;
const DOT_SEGMENT = /\/\.{1,2}(\/|$)/;

/** Why a raw request path is ambiguous, or undefined when it reads the same decoded and normalised. */
export function pathAmbiguity(rawPath: string): string | undefined {
  if (!rawPath.startsWith('/')) return 'the request target must be a path that starts with /';
  if (ENCODED_SEPARATOR_OR_NUL.test(rawPath)) return 'encoded slashes, backslashes and NUL bytes are not accepted in a path';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return 'the path has a malformed %-escape';
  }
  if (DOT_SEGMENT.test(decoded)) return 'dot segments (/./ and /../) are not accepted; ask for the resolved path';
  return undefined;
}

/** Express middleware: 400 for an ambiguous path, before routing and the gate. */
export function refuseAmbiguousPaths() {
  return (req: Request, res: Response, next: NextFunction) => {
    const url = req.originalUrl;
    const query = url.indexOf('?');
    const problem = pathAmbiguity(query === -1 ? url : url.slice(0, query));
    if (!problem) return next();
    res.status(400).json({ error: 'bad_path', message: problem });
  };
}
