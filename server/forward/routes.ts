// The forwarding API: each target's state (GET /api/forwarding), one webhook's deliveries for the
// inspector (GET /api/forwarding/events/:seq), and sending one stored webhook again
// (POST /api/forwarding/redeliver/:seq, to every target that wants it, or ?target=<n> for one), and
// resuming a target stopped by a 410 Gone (POST /api/forwarding/targets/:n/resume).
import express, { type Router } from 'express';
import { ApiError } from '../api-error.js';
import type { Forwarder } from './forwarder.js';
import type { EventDeliveries, ForwardingOverview } from './api-types.js';

const SEQUENCE = /^\d{1,15}$/;
const TARGET_INDEX = /^\d{1,4}$/;

export function forwardingRoutes(forwarder: Forwarder): Router {
  const router = express.Router();

  router.get('/api/forwarding', async (_req, res) => {
    const overview: ForwardingOverview = { enabled: forwarder.enabled, ...(await forwarder.status()) };
    res.json(overview);
  });

  router.get('/api/forwarding/events/:seq', async (req, res) => {
    const seq = sequence(req.params.seq);
    const deliveries = await forwarder.deliveriesOf(seq);
    if (!deliveries) throw new ApiError(404, 'not_found', `no stored webhook #${seq}`);
    const body: EventDeliveries = { seq, deliveries };
    res.json(body);
  });

  router.post('/api/forwarding/redeliver/:seq', async (req, res) => {
    const seq = sequence(req.params.seq);
    if (!forwarder.enabled) throw new ApiError(409, 'forwarding_off', 'no forwarding target is configured: set FORWARD_TO');
    const target = req.query.target;
    if (target !== undefined && (typeof target !== 'string' || !TARGET_INDEX.test(target))) {
      throw new ApiError(400, 'bad_target', 'target must be the number of a target in FORWARD_TO, from 1');
    }
    const result = await forwarder.redeliver(seq, target === undefined ? undefined : Number(target));
    switch (result.status) {
      case 'queued':
        res.status(202).json({ seq, queued: result.targets });
        return;
      case 'pending':
        throw new ApiError(409, 'already_pending', `webhook #${seq} is still pending for target ${result.targets.join(', ')}: it is delivered in its turn`);
      case 'no_target':
        throw new ApiError(404, 'no_target', target === undefined ? `no target wants webhook #${seq} (see their sources and events)` : `there is no target ${target} in FORWARD_TO`);
      case 'not_found':
        throw new ApiError(404, 'not_found', `no stored webhook #${seq}`);
    }
  });

  router.post('/api/forwarding/targets/:index/resume', async (req, res) => {
    if (!TARGET_INDEX.test(req.params.index)) throw new ApiError(400, 'bad_target', 'target must be the number of a target in FORWARD_TO, from 1');
    const index = Number(req.params.index);
    switch (await forwarder.resume(index)) {
      case 'resumed':
        res.status(202).json({ resumed: index });
        return;
      case 'not_stopped':
        throw new ApiError(409, 'not_stopped', `target ${index} is not stopped: it is delivered to already`);
      case 'no_target':
        throw new ApiError(404, 'no_target', `there is no target ${index} in FORWARD_TO`);
    }
  });

  return router;
}

function sequence(text: string): number {
  if (!SEQUENCE.test(text)) throw new ApiError(400, 'bad_seq', 'the webhook is named by its sequence number');
  return Number(text);
}
