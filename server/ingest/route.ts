// POST /webhook[/<source>]: the platform's headers → raw bytes, bounded in size, memory and time → JSON
// depth → the platform's check (platforms/<id>/verify.ts) → event log → 200 after the commit. Every
// refusal is typed, hinted, logged, counted and kept (without its body) for the inspector.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SourceId } from '../platforms/catalog.js';
import type { EnabledPlatform } from '../platforms/index.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { IngestStats } from './stats.js';
import type { BodyBudget } from './body-budget.js';
import { REJECTIONS, RejectReason, WebhookRejection } from './rejection.js';
import { RequestAborted, readBody } from './raw-body.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/json-depth.js';
import { refusalHint, type WebhookLimits } from './hints.js';
import { sendJson, type PlainHandler } from '../http.js';

export interface WebhookHandlerOptions {
  store: Pick<Store, 'append'>;
  stats: IngestStats;
  metrics: Metrics;
  log: Logger;
  limits: WebhookLimits;
  /** The memory bodies may hold at once, shared by every webhook path. */
  budget: BodyBudget;
  /** Who sent a request, as TRUST_PROXY allows X-Forwarded-For to say (server/client-address.ts). */
  clientAddress: (req: IncomingMessage) => string | undefined;
  /** Told of every refusal (the inspector keeps a small log of them, without their bodies). */
  onRefused?: (refusal: Refusal) => void;
  /** Told of retried deliveries acknowledged without being stored again, with when they came. */
  onRepeated?: (count: number, at: number) => void;
  /** The clock a refusal's time is read from: the event log's, so the inspector orders both alike. */
  now?: () => number;
}

export interface Refusal {
  source: SourceId;
  reason: RejectReason;
  detail: string | undefined;
  ip: string | undefined;
  at: number;
  headers: IncomingMessage['headers'];
  /** What the operator should check (./hints.ts). */
  hint?: string;
  /** The platform's own send time carried by the request (Meet's X-Timestamp), ms; not a secret. */
  timestamp?: number;
  /** `at` minus `timestamp`, ms: positive when the request is older than this host's clock. */
  skewMs?: number;
}

/** What to check when the store cannot write: the backend's own hint (PostgreSQL says so), else the disk. */
function storageHint(error: unknown): string {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return typeof hint === 'string' ? hint : 'See the error in the log: is the disk under DATA_DIR full or read-only?';
}

/** Asked of a platform that gets a 503; every platform retries one (../shared/protocols/). */
const RETRY_AFTER_SECONDS = '5';

/** The handler for one platform's webhook paths. */
export function webhookHandler(source: EnabledPlatform, { store, stats, metrics, log, limits, budget, clientAddress, onRefused, onRepeated, now = Date.now }: WebhookHandlerOptions): PlainHandler {
  const required = source.requiredHeaders.map((name) => [name, name.toLowerCase()] as const);
  // A body that can never fit in the in-flight budget is too large, not "busy" for ever.
  const maxBytes = Math.min(limits.maxBodyBytes, limits.maxBytesInFlight);
  const received = metrics.webhooksReceived.labels(source.id);
  const accepted = metrics.webhooksAccepted.labels(source.id);
  const repeated = metrics.webhooksRepeated.labels(source.id);

  const refuse = (req: IncomingMessage, res: ServerResponse, at: number, reason: RejectReason, detail?: string) => {
    const ip = clientAddress(req);
    const timestamp = source.sentAt(req.headers);
    const skewMs = timestamp === undefined ? undefined : at - timestamp;
    const hint = refusalHint(source.hints, reason, { detail, skewMs, limits });
    stats.countRefusal(reason);
    metrics.webhooksRefused.inc({ platform: source.id, reason });
    log.warn({ source: source.id, reason, detail, ip, timestamp, skewMs, hint }, 'webhook refused');
    onRefused?.({ source: source.id, reason, detail, ip, at, headers: req.headers, hint, timestamp, skewMs });
    const { status, message } = REJECTIONS[reason];
    const headers: Record<string, string> = {};
    // A refused body may not have been read to its end: close rather than drain it.
    if (!req.complete) headers.Connection = 'close';
    if (reason === RejectReason.Busy) headers['Retry-After'] = RETRY_AFTER_SECONDS;
    sendJson(res, status, { error: reason, message: detail ? `${message} (${detail})` : message, hint }, headers);
  };

  return async (req, res) => {
    const started = performance.now();
    const receivedAt = now();
    received.inc();
    // Before a byte of the body is read: a request without the platform's credentials holds no memory.
    for (const [name, key] of required) {
      if (req.headers[key] === undefined) return refuse(req, res, receivedAt, RejectReason.MissingHeader, name);
    }

    const claim = budget.claim();
    try {
      let body: Buffer;
      try {
        body = await readBody(req, { maxBytes, claim, timeoutMs: limits.requestTimeoutMs });
      } catch (error) {
        if (error instanceof WebhookRejection) return refuse(req, res, receivedAt, error.reason, error.detail);
        if (error instanceof RequestAborted) return void res.destroy();
        throw error;
      }
      // Before anything parses or re-serializes it.
      if (nestsDeeperThan(body, MAX_JSON_DEPTH)) return refuse(req, res, receivedAt, RejectReason.TooDeep, `more than ${MAX_JSON_DEPTH} levels`);

      const verdict = await source.verify({ headers: req.headers, body, receivedAt });
      if (!verdict.accepted) return refuse(req, res, receivedAt, verdict.reason, verdict.detail);

      let outcomes;
      try {
        outcomes = await store.append(verdict.events);
      } catch (error) {
        // Not acknowledged, so the platform will retry: nothing is lost.
        log.error({ err: error, source: source.id }, 'storage failed; the webhook was not acknowledged (the platform will retry)');
        return sendJson(
          res,
          503,
          { error: 'storage_unavailable', message: 'the event store cannot write right now; retry later', hint: storageHint(error) },
          { 'Retry-After': RETRY_AFTER_SECONDS },
        );
      }
      const storedSeqs: number[] = [];
      const repeatedSeqs: number[] = [];
      outcomes.forEach(({ status, seq }, i) => {
        const { type, roomId: room } = verdict.events[i]!;
        if (status === 'stored') {
          storedSeqs.push(seq);
          log.info({ source: source.id, type, room, seq }, 'webhook stored');
        } else {
          repeatedSeqs.push(seq);
          log.info({ source: source.id, type, room, seq }, 'repeated delivery acknowledged, not stored again');
        }
      });
      stats.stored += storedSeqs.length;
      stats.repeats += repeatedSeqs.length;
      if (storedSeqs.length > 0) accepted.inc(storedSeqs.length);
      if (repeatedSeqs.length > 0) {
        repeated.inc(repeatedSeqs.length);
        onRepeated?.(repeatedSeqs.length, receivedAt);
      }
      sendJson(res, 200, { stored: storedSeqs, repeated: repeatedSeqs });
      metrics.commitSeconds.observe((performance.now() - started) / 1000);
    } finally {
      claim.release();
    }
  };
}
