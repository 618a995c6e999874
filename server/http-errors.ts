// The express app's one error handler: typed errors become their status and `{ error, message }`,
// client errors keep their status, anything unexpected is a 500 that says where to look, and nothing
// leaks its details.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from './logger.js';
import { ApiError } from './api-error.js';
import { PlatformApiError, PlatformUnreachableError } from './platforms/shared/api-errors.js';

interface HttpishError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof ApiError) {
      res.status(error.status).json({ error: error.code, message: error.message, ...error.extra });
      return;
    }
    if (error instanceof PlatformUnreachableError) {
      res.status(503).json({ error: error.code, message: error.message });
      return;
    }
    if (error instanceof PlatformApiError) {
      // A platform's own 4xx reasons are for the user; its 5xx are a bad gateway from here, and so is its 401:
      // roomwatch's credentials were refused, not the user's (a 401 sends the page to the sign-in form).
      res.status(error.status >= 500 || error.status === 401 ? 502 : error.status).json({ error: error.code, message: error.message });
      return;
    }
    const err = (error ?? {}) as HttpishError;
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      // body-parser and express client errors (malformed JSON, too large, aborted…).
      res.status(err.status).json({ error: err.type ?? 'bad_request', message: err.expose ? err.message : 'bad request' });
      return;
    }
    log.error({ err: error, path: req.path }, 'unexpected error');
    if (!res.headersSent) res.status(500).json({ error: 'internal', message: 'unexpected error; see the server log' });
  };
}
