// The event inspector's API: every stored webhook and refusal, newest first, and the same as a file;
// one webhook in detail with a ready-to-paste curl; and replay, which runs a stored webhook through the
// projection again.
import express, { type Router } from 'express';
import type { LoggedNote, Store, StoredWebhook } from '../store/store.js';
import { projectWebhook } from '../domain/projection.js';
import { ApiError } from '../api-error.js';
import { parseExportQuery, parseListingQuery } from './listing-query.js';
import { streamExport } from './export-stream.js';
import { curlCommand, redeliveryFor, type SigningSettings } from './curl.js';
import type { EventDetail, ReplayResult } from './types.js';

export interface InspectorRoutesOptions {
  store: Pick<Store, 'listEvents' | 'listEventsWithBodies' | 'webhook' | 'writeRows'>;
  signing: SigningSettings;
}

const SEQUENCE = /^\d{1,15}$/;

export function inspectorRoutes({ store, signing }: InspectorRoutesOptions): Router {
  const router = express.Router();

  router.get('/api/events', async (req, res) => {
    res.json(await store.listEvents(parseListingQuery(req.query as Record<string, unknown>)));
  });

  // Before /api/events/:seq, which would take `export` for a sequence number.
  router.get('/api/events/export', async (req, res) => {
    const { format, filter } = parseExportQuery(req.query as Record<string, unknown>);
    await streamExport(res, store, format, filter);
  });

  router.get('/api/events/:seq', async (req, res) => {
    const event = await storedWebhook(req.params.seq);
    const body = event.body.toString('utf8');
    // The request's own scheme and host: the command reaches this roomwatch the way the page does.
    const delivery = await redeliveryFor(event, signing, Date.now());
    const detail: EventDetail = {
      seq: event.seq,
      source: event.source,
      type: event.type,
      roomId: event.roomId,
      createdAt: event.createdAt,
      receivedAt: event.receivedAt,
      repeats: event.repeats,
      lastRepeatAt: event.lastRepeatAt,
      headers: event.headers,
      body,
      bodyIsJson: parsesAsJson(body),
      curl: 'unavailable' in delivery ? null : curlCommand(`${req.protocol}://${req.get('host')}`, delivery),
      curlNotes: 'unavailable' in delivery ? [delivery.unavailable] : delivery.notes,
    };
    res.json(detail);
  });

  router.post('/api/events/:seq/replay', async (req, res) => {
    const event = await storedWebhook(req.params.seq);
    let logged;
    try {
      // One commit: the replay note first, then the rows it changed. Order-safety still holds, so an
      // old event replayed over a newer row changes nothing.
      logged = await store.writeRows((rows) => projectWebhook(event, rows), { note: replayNote(event) });
    } catch (error) {
      throw new ApiError(422, 'projection_failed', `#${event.seq} could not be projected again: ${error instanceof Error ? error.message : String(error)}`);
    }
    const result: ReplayResult = { replayedAs: logged[0]!.seq, changes: logged.length - 1 };
    res.json(result);
  });

  return router;

  async function storedWebhook(param: string | undefined): Promise<StoredWebhook> {
    if (param === undefined || !SEQUENCE.test(param)) throw new ApiError(400, 'invalid_seq', 'an event is named by its sequence number, e.g. /api/events/42');
    const event = await store.webhook(Number(param));
    if (!event) throw new ApiError(404, 'not_found', `no stored webhook #${param} (it may have been pruned)`);
    return event;
  }
}

/**
 * The log entry that marks a replay (streamed as a frame named `replay`, never as a default frame, so a
 * Meet tutorial client does not take it for a new webhook). The payload is spliced in as its original
 * text when that is JSON, so its bytes are the ones received.
 */
function replayNote(event: StoredWebhook): LoggedNote {
  const text = event.body.toString('utf8');
  const payload = parsesAsJson(text) ? text.trim() : JSON.stringify(text);
  const fields = JSON.stringify({ replayOf: event.seq, source: event.source, type: event.type, roomId: event.roomId });
  const body = `${fields.slice(0, -1)},"payload":${payload}}`;
  return { source: event.source, type: 'replay', roomId: event.roomId, body: Buffer.from(body) };
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
