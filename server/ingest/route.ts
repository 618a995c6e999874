// POST /webhook[/<source>]: raw bytes → source adapter → event log → 200 after the commit.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SourceAdapter } from './sources/source.js';
import type { EventLog } from '../store/event-log.js';
import type { Logger } from '../logger.js';
import type { IngestStats } from './stats.js';
import { REJECTIONS, RejectReason, WebhookRejection } from './rejection.js';

export interface WebhookRoutesOptions {
  /** Route path → the adapter that authenticates and parses what arrives there. */
  sources: Record<string, SourceAdapter>;
  events: EventLog;
  stats: IngestStats;
  log: Logger;
  maxBodyBytes: number;
}

const EMPTY = Buffer.alloc(0);

export function webhookRoutes({ sources, events, stats, log, maxBodyBytes }: WebhookRoutesOptions): Router {
  const router = express.Router();
  // Every content type is read as bytes: the signature covers the body exactly as sent.
  const rawBody = express.raw({ type: () => true, limit: maxBodyBytes });
  // body-parser reads an oversized body to its end before refusing it; a declared length is refused at once.
  const refuseDeclaredOversize = (req: Request, _res: Response, next: NextFunction) => {
    const declared = Number(req.headers['content-length']);
    next(declared > maxBodyBytes ? new WebhookRejection(RejectReason.TooLarge, `${declared} bytes`) : undefined);
  };

  for (const [path, source] of Object.entries(sources)) {
    router.post(path, refuseDeclaredOversize, rawBody, async (req: Request, res: Response) => {
      const body = Buffer.isBuffer(req.body) ? req.body : EMPTY;
      const verdict = source.verify({ headers: req.headers, body, receivedAt: Date.now() });
      if (!verdict.accepted) {
        stats.countRefusal(verdict.reason);
        log.warn({ source: source.id, reason: verdict.reason, detail: verdict.detail, ip: req.ip }, 'webhook refused');
        const { status, message } = REJECTIONS[verdict.reason];
        res.status(status).json({ error: verdict.reason, message: verdict.detail ? `${message} (${verdict.detail})` : message });
        return;
      }

      const outcomes = await events.append(verdict.events);
      const stored: number[] = [];
      const repeated: number[] = [];
      for (const outcome of outcomes) (outcome.status === 'stored' ? stored : repeated).push(outcome.seq);
      stats.stored += stored.length;
      stats.repeats += repeated.length;
      if (repeated.length > 0) log.info({ source: source.id, seq: repeated }, 'repeated delivery acknowledged, not stored again');
      log.debug({ source: source.id, seq: stored, type: verdict.events.map((e) => e.type) }, 'webhook stored');
      res.status(200).json({ stored, repeated });
    });
  }
  return router;
}
