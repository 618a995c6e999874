// GET /events: the Server-Sent Events stream, resumable with Last-Event-ID or ?since=. `?epoch=` names the
// store the cursor is from (the page takes it from /api/state); EventSource reconnects keep the URL, so it
// comes with every Last-Event-ID too. A cursor from another store gets `resync`.
import { openEventStream } from './connection.js';
import type { LiveHub } from './hub.js';
import { sendJson, type PlainHandler } from '../http.js';

const SEQUENCE = /^\d{1,15}$/;

export interface EventsHandlerOptions {
  /** Why the request may not open the stream (a host that is not allowed, no session), or undefined. */
  refuse: (req: Parameters<PlainHandler>[0]) => { status: number; body: unknown } | undefined;
  /** Adds the CORS headers for an allowed cross-site caller, if any are configured. */
  cors?: (req: Parameters<PlainHandler>[0], res: Parameters<PlainHandler>[1]) => void;
}

export function eventsHandler(hub: LiveHub, { refuse, cors }: EventsHandlerOptions): PlainHandler {
  return (req, res) => {
    cors?.(req, res);
    const refusal = refuse(req);
    if (refusal) return sendJson(res, refusal.status, refusal.body);
    const query = new URL(req.url!, 'http://roomwatch').searchParams;
    const since = query.get('since');
    const epoch = query.get('epoch') ?? undefined;
    if (since !== null && !SEQUENCE.test(since)) {
      return sendJson(res, 400, { error: 'bad_cursor', message: '?since= must be a sequence number (0 for everything kept)' });
    }
    // The browser resends the last id it saw; it wins over ?since=, which only serves a first connect.
    // An id we cannot read (from some other server) is treated as unusable and gets a resync frame.
    const lastEventId = req.headers['last-event-id'];
    let cursor: number | null = since === null ? null : Number(since);
    if (typeof lastEventId === 'string' && lastEventId !== '') {
      cursor = SEQUENCE.test(lastEventId) ? Number(lastEventId) : Number.MAX_SAFE_INTEGER;
    }
    hub.attach(openEventStream(res), cursor, epoch);
  };
}
