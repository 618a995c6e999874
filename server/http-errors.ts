// The one error handler: typed errors become status codes; nothing unexpected leaks its details.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from './logger.js';
import type { IngestStats } from './ingest/stats.js';
import { REJECTIONS, RejectReason, WebhookRejection } from './ingest/rejection.js';

interface HttpishError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

export function errorHandler(log: Logger, stats: IngestStats): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const err = (error ?? {}) as HttpishError;
    const rejection =
      error instanceof WebhookRejection ? error : err.type === 'entity.too.large' ? new WebhookRejection(RejectReason.TooLarge) : null;
    if (rejection) {
      stats.countRefusal(rejection.reason);
      log.warn({ path: req.path, reason: rejection.reason, detail: rejection.detail, ip: req.ip }, 'webhook refused');
      // A refused body may not have been read: close the connection rather than drain it.
      res.set('Connection', 'close');
      res.status(REJECTIONS[rejection.reason].status).json({ error: rejection.reason, message: rejection.message });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      // body-parser and express client errors (aborted request, unsupported encoding…).
      res.status(err.status).json({ error: err.type ?? 'bad_request', message: err.expose ? err.message : 'bad request' });
      return;
    }
    if (isSqliteError(error)) {
      log.error({ err: error, path: req.path }, 'storage failed; nothing was acknowledged');
      res.status(503).json({ error: 'storage_unavailable', message: 'the event store cannot write right now; retry later' });
      return;
    }
    log.error({ err: error, path: req.path }, 'unexpected error');
    if (!res.headersSent) res.status(500).json({ error: 'internal', message: 'unexpected error; see the server log' });
  };
}

function isSqliteError(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code?.toString().startsWith('SQLITE_') === true;
}
