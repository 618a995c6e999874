// The public REST API under `<basePath>/api/v1` (../../../shared/protocols/openvidu-meet.md §4): JSON in and
// out, X-API-KEY on every route (recordings also take a playback secret), Meet's error bodies, and 404
// "API path not implemented" for anything else.
import express, { Router } from 'express';
import { requireApiKey, requireJsonBody } from './auth.js';
import type { SimContext } from './context.js';
import { apiPathNotFound, meetErrorHandler } from './errors.js';
import { recordingRoutes } from './rest-recordings.js';
import { roomRoutes } from './rest-rooms.js';

export function restApi(ctx: SimContext): Router {
  const api = Router();
  api.use(requireJsonBody, express.json());
  api.use('/rooms', requireApiKey(ctx.apiKey), roomRoutes(ctx));
  // Recording routes check the key themselves: media and info also accept `?secret=` (§4.5).
  api.use('/recordings', recordingRoutes(ctx));
  api.use(apiPathNotFound);
  api.use(meetErrorHandler);
  return api;
}
