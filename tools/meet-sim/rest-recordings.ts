// /api/v1/recordings (../../../shared/protocols/openvidu-meet.md §4.2, §4.3, §4.5): list with the version's
// roomId filter, get, delete (terminal only), playback URL and media (with Range).
import type { Request } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { checkApiKey } from './auth.js';
import type { SimContext } from './context.js';
import { wireContext } from './context.js';
import {
  invalidRecordingSecret,
  rangeNotSatisfiable,
  recordingNotFound,
  recordingNotStopped,
  unprocessable,
} from './errors.js';
import { parseRecordingId, sanitizeRoomId } from './ids.js';
import { parseByteRange, recordingMediaBytes } from './media.js';
import type { JsonObject, RecordingRecord } from './model.js';
import { isTerminal } from './model.js';
import type { Cursor } from './pagination.js';
import { cursorComparator, paginate, parsePageRequest } from './pagination.js';
import { commaList, queryString } from './query.js';
import { projectFields, recordingPlaybackUrl, recordingToWire } from './shapes.js';
import { parseOr422 } from './validation.js';

const STATUSES = ['starting', 'active', 'ending', 'complete', 'failed', 'aborted', 'limit_reached'] as const;

export function recordingRoutes(ctx: SimContext): Router {
  const recordings = Router();
  const requireKey = (req: Request) => checkApiKey(req, ctx.apiKey);

  const render = (recording: RecordingRecord, req: Request): JsonObject => {
    const roomName = ctx.state.findRoom(recording.roomId)?.roomName ?? '';
    return projectFields(recordingToWire(recording, roomName, wireContext(ctx)), commaList(req, 'fields'));
  };

  /** Finds the recording of the path, after the id-format check that turns malformed ids into 422. */
  const recordingParam = (req: Request): RecordingRecord => {
    const recordingId = String(req.params.recordingId ?? '').trim();
    const parts = parseRecordingId(recordingId);
    if (!parts) throw unprocessable([{ field: 'recordingId', message: 'recordingId does not follow the expected format' }]);
    const recording = ctx.state.findRecording(`${sanitizeRoomId(parts.roomId)}--${parts.egressId}--${parts.uid}`);
    if (!recording) throw recordingNotFound(recordingId);
    return recording;
  };

  /** §4.5: API key, or the recording's secret for anonymous playback. */
  const requireKeyOrSecret = (req: Request, recording: RecordingRecord) => {
    const secret = queryString(req, 'secret');
    if (secret === undefined) return requireKey(req);
    if (secret !== recording.secrets.public && secret !== recording.secrets.private) {
      throw invalidRecordingSecret(recording.recordingId, secret);
    }
  };

  recordings.get('/', (req, res) => {
    requireKey(req);
    const pageRequest = parsePageRequest(req.query as Record<string, unknown>);
    const { list, cursorOf, descending } = sortedRecordings(ctx, req);
    const page = paginate(list, cursorOf, cursorComparator(descending), pageRequest);
    res.json({
      recordings: page.items.map((recording) => render(recording, req)),
      pagination: { isTruncated: page.isTruncated, nextPageToken: page.nextPageToken, maxItems: pageRequest.maxItems },
    });
  });

  recordings.get('/:recordingId', (req, res) => {
    const recording = recordingParam(req);
    requireKeyOrSecret(req, recording);
    res.json(render(recording, req));
  });

  recordings.delete('/:recordingId', (req, res) => {
    requireKey(req);
    const recording = recordingParam(req);
    // §4.3: only complete/failed/aborted/limit_reached can be deleted. No webhook (§7.2).
    if (!isTerminal(recording.status)) throw recordingNotStopped(recording.recordingId);
    ctx.state.removeRecording(recording.recordingId);
    res.json({ message: `Recording '${recording.recordingId}' deleted successfully` });
  });

  recordings.get('/:recordingId/url', (req, res) => {
    requireKey(req);
    const recording = recordingParam(req);
    const privateAccess = queryString(req, 'privateAccess')?.toLowerCase() === 'true';
    res.json({ url: recordingPlaybackUrl(recording, wireContext(ctx), privateAccess) });
  });

  recordings.get('/:recordingId/media', (req, res) => {
    const recording = recordingParam(req);
    requireKeyOrSecret(req, recording);
    if (!isTerminal(recording.status)) throw recordingNotStopped(recording.recordingId);
    const bytes = recordingMediaBytes(recording.recordingId);
    const range = parseByteRange(req.get('range'), bytes.length);
    if (range === 'unsatisfiable') {
      res.set('Content-Range', `bytes */${bytes.length}`);
      throw rangeNotSatisfiable(recording.recordingId, bytes.length);
    }
    res.set({ 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Cache-Control': 'public, max-age=3600' });
    if (!range) {
      res.status(200).send(bytes);
      return;
    }
    res.set('Content-Range', `bytes ${range.start}-${range.end}/${bytes.length}`);
    res.status(206).send(bytes.subarray(range.start, range.end + 1));
  });

  return recordings;
}

/**
 * 3.4 lists S3 keys `recordings/.metadata/<roomId>/<egressId>/…` (by roomId, then egress) and filters by
 * prefix; 3.5+ filters roomId exactly and sorts by `sortField`, newest first (§4.2).
 */
function sortedRecordings(ctx: SimContext, req: Request) {
  const { roomId, status, sortField, sortOrder } = parseOr422(
    z.object({
      roomId: z.string().optional(),
      status: z.enum(STATUSES).optional(),
      sortField: z.enum(['startDate', 'roomName', 'duration', 'size']).default('startDate'),
      sortOrder: z.enum(['asc', 'desc']).default('desc'),
    }),
    {
      roomId: queryString(req, 'roomId'),
      status: ctx.version === '3.4' ? undefined : queryString(req, 'status'),
      sortField: ctx.version === '3.4' ? undefined : queryString(req, 'sortField'),
      sortOrder: ctx.version === '3.4' ? undefined : queryString(req, 'sortOrder'),
    },
  );
  let list = ctx.state.allRecordings();
  if (roomId !== undefined) list = list.filter((r) => ctx.profile.matchesRecordingRoomFilter(r.roomId, roomId));
  if (status) list = list.filter((r) => r.status === status);

  let cursorOf: (recording: RecordingRecord) => Cursor;
  let descending = false;
  if (ctx.version === '3.4') {
    cursorOf = (r) => [r.roomId, r.egressId];
  } else {
    const roomName = (r: RecordingRecord) => ctx.state.findRoom(r.roomId)?.roomName ?? '';
    cursorOf = (r) => [sortField === 'roomName' ? roomName(r) : (r[sortField] ?? 0), r.recordingId];
    descending = sortOrder === 'desc';
  }
  const compare = cursorComparator(descending);
  return { list: list.sort((a, b) => compare(cursorOf(a), cursorOf(b))), cursorOf, descending };
}
