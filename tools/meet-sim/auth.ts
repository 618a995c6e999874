// `X-API-KEY` on the public API (../../../shared/protocols/openvidu-meet.md §4.1): one key, which also signs
// the webhooks (§1.9). Missing → 401 "Unauthorized", wrong → 401 "Invalid API key".
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { invalidApiKey, missingApiKey, unsupportedMediaType } from './errors.js';

/** Throws the 401 MeetError unless the request carries `apiKey`. */
export function checkApiKey(req: Request, apiKey: string): void {
  const presented = req.get('x-api-key');
  if (presented === undefined || presented === '') throw missingApiKey();
  const a = Buffer.from(presented);
  const b = Buffer.from(apiKey);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw invalidApiKey();
}

export function requireApiKey(apiKey: string): RequestHandler {
  return (req, _res, next) => {
    checkApiKey(req, apiKey);
    next();
  };
}

/** POST/PUT bodies must be JSON (Meet's content-type middleware); empty bodies pass. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && (req.method === 'POST' || req.method === 'PUT') && !req.is('application/json')) {
    throw unsupportedMediaType();
  }
  next();
};
