// GET /events: the Server-Sent Events stream, resumable with Last-Event-ID or ?since=.
import express, { type Router } from 'express';
import { openEventStream } from './connection.js';
import type { LiveHub } from './hub.js';

const SEQUENCE = /^\d{1,15}$/;

export function liveRoutes(hub: LiveHub): Router {
  const router = express.Router();
  router.get('/events', (req, res) => {
    const since = typeof req.query.since === 'string' ? req.query.since : undefined;
    if (since !== undefined && !SEQUENCE.test(since)) {
      res.status(400).json({ error: 'bad_cursor', message: '?since= must be a sequence number (0 for everything kept)' });
      return;
    }
    // The browser resends the last id it saw; it wins over ?since=, which only serves a first connect.
    // An id we cannot read (from some other server) is treated as unusable and gets a resync frame.
    const lastEventId = req.headers['last-event-id'];
    let cursor: number | null = since === undefined ? null : Number(since);
    if (typeof lastEventId === 'string' && lastEventId !== '') {
      cursor = SEQUENCE.test(lastEventId) ? Number(lastEventId) : Number.MAX_SAFE_INTEGER;
    }
    hub.attach(openEventStream(req, res), cursor);
  });
  return router;
}
