// GET /api/platforms/:platform/recordings/:id/media: a finished recording's file, relayed from the
// platform for the page's <video> (platforms whose files need the platform's own credentials: OpenVidu 2's
// Basic auth, which must never reach a browser). It streams: bytes go out as they come in, at the pace the
// browser reads them, and nothing is buffered whole; a single `Range` is passed on, so seeking works
// (206); the browser leaving stops the fetch.
import express, { type Router } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ApiError } from '../api-error.js';
import type { ManagedPlatform } from '../platforms/managed.js';

/** One range, as players send it (`bytes=0-`, `bytes=1000-1999`, `bytes=-500`); anything else is ignored. */
const SINGLE_RANGE = /^bytes=(\d{1,15})?-(\d{1,15})?$/;
/** What a player may be given; anything else (an error page…) is relayed as opaque bytes. */
const MEDIA_TYPE = /^(video|audio)\/[\w.+-]{1,60}$|^application\/(zip|octet-stream)$/;
const RELAYED_HEADERS = ['content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag'];

export function recordingMediaRoutes(managed: readonly ManagedPlatform[]): Router {
  const router = express.Router();

  router.get('/api/platforms/:platform/recordings/:recordingId/media', async (req, res) => {
    const platform = managed.find((candidate) => candidate.id === req.params.platform);
    if (!platform?.api.recordingMedia) {
      throw new ApiError(404, 'no_playback', `roomwatch does not relay recordings of ${String(req.params.platform)}`);
    }
    const recordingId = req.params.recordingId;
    if (!platform.api.idPattern.test(recordingId)) throw new ApiError(400, 'invalid_id', `that is not a valid ${platform.label} recording id`);
    const asked = req.get('range');
    const range = asked !== undefined && SINGLE_RANGE.test(asked.trim()) && asked.trim() !== 'bytes=-' ? asked.trim() : undefined;

    const gone = new AbortController();
    res.once('close', () => gone.abort(new Error('the browser closed the connection')));
    const upstream = await platform.api.recordingMedia(recordingId, range, gone.signal);
    if (upstream.status !== 200 && upstream.status !== 206 && upstream.status !== 416) {
      await upstream.body?.cancel();
      throw new ApiError(502, 'media_unavailable', `${platform.label} answered ${upstream.status} for the file of recording ${recordingId}`);
    }
    const type = upstream.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    res.status(upstream.status);
    res.set('Content-Type', type !== undefined && MEDIA_TYPE.test(type) ? type : 'application/octet-stream');
    // Behind the dashboard's sign-in: no shared cache may keep it.
    res.set('Cache-Control', 'private, no-store');
    for (const name of RELAYED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) res.set(name, value);
    }
    if (!upstream.body) {
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>), res);
    } catch {
      // The browser went away (seeking aborts the previous request), or the platform did: either way the
      // response is over; the status has been sent, so there is nothing more to say.
      res.destroy();
    }
  });

  return router;
}
