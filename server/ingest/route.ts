// POST /webhook[/<source>]: raw bytes → source adapter → event log → 200 after the commit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SourceAdapter } from './sources/source.js';
import type { EventLog } from '../store/event-log.js';
import type { Logger } from '../logger.js';
import type { IngestStats } from './stats.js';
import { REJECTIONS, WebhookRejection, type RejectReason } from './rejection.js';
import { RequestAborted, readBody } from './raw-body.js';
import { sendJson, type PlainHandler } from '../http.js';
import express, { type Router } from 'express';
import { PLATFORM_PATHS } from './sources/index.js';

export interface WebhookHandlerOptions {
  events: EventLog;
  stats: IngestStats;
  log: Logger;
  maxBodyBytes: number;
  /** Told of every refusal (the inspector keeps a small log of them, without their bodies). */
  onRefused?: (refusal: Refusal) => void;
  /** The clock a refusal's time is read from: the event log's, so the inspector orders both alike. */
  now?: () => number;
}

export interface Refusal {
  source: SourceAdapter['id'];
  reason: RejectReason;
  detail: string | undefined;
  ip: string | undefined;
  at: number;
  headers: IncomingMessage['headers'];
}

/** The handler for one source's webhook path. */
export function webhookHandler(source: SourceAdapter, { events, stats, log, maxBodyBytes, onRefused, now = Date.now }: WebhookHandlerOptions): PlainHandler {
  const refuse = (req: IncomingMessage, res: ServerResponse, reason: RejectReason, detail?: string) => {
    const ip = clientAddress(req);
    stats.countRefusal(reason);
    log.warn({ source: source.id, reason, detail, ip }, 'webhook refused');
    onRefused?.({ source: source.id, reason, detail, ip, at: now(), headers: req.headers });
    const { status, message } = REJECTIONS[reason];
    // A refused body may not have been read to its end: close rather than drain it.
    const headers: Record<string, string> = req.complete ? {} : { Connection: 'close' };
    sendJson(res, status, { error: reason, message: detail ? `${message} (${detail})` : message }, headers);
  };

  return async (req, res) => {
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof WebhookRejection) return refuse(req, res, error.reason, error.detail);
      if (error instanceof RequestAborted) return void res.destroy();
      throw error;
    }

    const verdict = await source.verify({ headers: req.headers, body, receivedAt: Date.now() });
    if (!verdict.accepted) return refuse(req, res, verdict.reason, verdict.detail);

    let outcomes;
    try {
      outcomes = await events.append(verdict.events);
    } catch (error) {
      // Not acknowledged, so the platform will retry: nothing is lost.
      log.error({ err: error, source: source.id }, 'storage failed; the webhook was not acknowledged');
      return sendJson(res, 503, { error: 'storage_unavailable', message: 'the event store cannot write right now; retry later' });
    }
    const stored: number[] = [];
    const repeated: number[] = [];
    for (const outcome of outcomes) (outcome.status === 'stored' ? stored : repeated).push(outcome.seq);
    stats.stored += stored.length;
    stats.repeats += repeated.length;
    if (repeated.length > 0) log.info({ source: source.id, seq: repeated }, 'repeated delivery acknowledged, not stored again');
    else log.debug({ source: source.id, seq: stored }, 'webhook stored');
    sendJson(res, 200, { stored, repeated });
  };
}

/** The caller, as ngrok or a local proxy on loopback reports it, else the socket's peer. */
function clientAddress(req: IncomingMessage): string | undefined {
  const peer = req.socket.remoteAddress;
  const forwarded = req.headers['x-forwarded-for'];
  const fromLoopback = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  return fromLoopback && typeof forwarded === 'string' ? forwarded.split(',').at(-1)!.trim() : peer;
}

/**
 * The paths of platforms that are not configured answer 404 and say how to enable them (enabled ones
 * never get here: they are plain routes in front of express). Nothing is open by accident.
 */
export function disabledSourceRoutes(): Router {
  const router = express.Router();
  for (const [platform, { paths, enabledBy }] of Object.entries(PLATFORM_PATHS)) {
    router.post([...paths], (_req, res) => {
      res.status(404).json({ error: 'source_not_enabled', message: `${platform} webhooks are not enabled: set ${enabledBy}` });
    });
  }
  return router;
}
