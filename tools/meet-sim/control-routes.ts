// /_sim: the control surface over HTTP, so browser tests, the demo and the meeting page can drive the
// simulator. No auth, JSON, CORS open (it is a local test tool; Meet itself has nothing like it).
import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { z } from 'zod';
import type { SimControls } from './controls.js';
import { meetErrorHandler, pathNotFound } from './errors.js';
import { parseOr422 } from './validation.js';

const joinSchema = z.object({ name: z.string().max(100).optional(), role: z.enum(['moderator', 'speaker']).optional() });
const leaveSchema = z.object({ identity: z.string().optional() });
const stopSchema = z.object({ outcome: z.enum(['complete', 'failed', 'aborted', 'limit_reached']).optional() });
const webhookSchema = z.object({ url: z.url().nullable().optional(), enabled: z.boolean().optional() });
const countSchema = z.object({ count: z.number().int().min(0) });
const msSchema = z.object({ ms: z.number().min(0) });

const openCors: RequestHandler = (req, res, next) => {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
  });
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};

export function controlRoutes(controls: SimControls, info: () => object): Router {
  const sim = Router();
  // text/plain too: a sendBeacon() body may arrive that way, and a lost identity would make /leave
  // remove the wrong participant.
  sim.use(openCors, express.json({ type: ['application/json', 'text/plain'] }));
  const body = (value: unknown) => value ?? {};
  const param = (value: unknown) => String(value);

  sim.get('/', (_req, res) => {
    res.json(info());
  });
  sim.post('/reset', (_req, res) => {
    controls.reset();
    res.status(204).end();
  });

  sim.get('/rooms', (_req, res) => {
    res.json(controls.rooms());
  });
  sim.post('/rooms', (req, res) => {
    const { roomName, ...options } = body(req.body) as { roomName?: string };
    res.status(201).json(controls.createRoom(roomName, options));
  });
  sim.get('/rooms/:roomId', (req, res) => {
    res.json(controls.room(param(req.params.roomId)));
  });
  sim.post('/rooms/:roomId/start-meeting', (req, res) => {
    res.json(controls.startMeeting(param(req.params.roomId)));
  });
  sim.post('/rooms/:roomId/end-meeting', (req, res) => {
    controls.endMeeting(param(req.params.roomId));
    res.status(204).end();
  });
  sim.post('/rooms/:roomId/join', (req, res) => {
    res.status(201).json(controls.join(param(req.params.roomId), parseOr422(joinSchema, body(req.body))));
  });
  sim.post('/rooms/:roomId/leave', (req, res) => {
    const { identity } = parseOr422(leaveSchema, body(req.body));
    res.json({ left: controls.leave(param(req.params.roomId), identity) });
  });
  sim.post('/rooms/:roomId/recordings', async (req, res) => {
    res.status(201).json({ recordingId: await controls.startRecording(param(req.params.roomId)) });
  });

  sim.get('/recordings/:recordingId', (req, res) => {
    res.json(controls.recording(param(req.params.recordingId)));
  });
  sim.post('/recordings/:recordingId/stop', async (req, res) => {
    const { outcome } = parseOr422(stopSchema, body(req.body));
    res.json(await controls.stopRecording(param(req.params.recordingId), outcome));
  });

  sim.put('/webhook', (req, res) => {
    const { url, enabled } = parseOr422(webhookSchema, body(req.body));
    if (url !== undefined) controls.setWebhookUrl(url ?? undefined, enabled);
    else if (enabled !== undefined) controls.setWebhooksEnabled(enabled);
    res.json(info());
  });

  sim.get('/deliveries', (_req, res) => {
    res.json(controls.deliveries());
  });
  sim.delete('/deliveries', (_req, res) => {
    controls.clearDeliveries();
    res.status(204).end();
  });
  sim.post('/deliveries/duplicate-next', (req, res) => {
    controls.sendDuplicate(parseOr422(countSchema, body(req.body)).count);
    res.status(204).end();
  });
  sim.post('/deliveries/delay-next', (req, res) => {
    controls.delayNext(parseOr422(msSchema, body(req.body)).ms);
    res.status(204).end();
  });
  sim.post('/deliveries/backdate-next', (req, res) => {
    controls.backdateNext(parseOr422(msSchema, body(req.body)).ms);
    res.status(204).end();
  });
  sim.post('/deliveries/hold-next', (req, res) => {
    controls.holdAndReorder(parseOr422(countSchema, body(req.body)).count);
    res.status(204).end();
  });
  sim.post('/deliveries/release-held', (_req, res) => {
    controls.releaseHeld();
    res.status(204).end();
  });
  sim.post('/deliveries/:delivery/resend', (req, res) => {
    try {
      res.status(202).json({ delivery: controls.resendDelivery(Number(req.params.delivery)) });
    } catch {
      res.status(404).json({ error: 'Delivery Error', message: `No delivery #${param(req.params.delivery)} to re-send` });
    }
  });

  sim.use((_req, res) => {
    res.status(404).json(pathNotFound().toBody());
  });
  sim.use(meetErrorHandler);
  return sim;
}
