// /api/v1/rooms (../../../shared/protocols/openvidu-meet.md §4.2–§4.5): create, list, get, config, status,
// delete one or many. Bodies and codes as Meet's room.controller.
import type { Request } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import type { SimContext } from './context.js';
import { wireContext } from './context.js';
import { MeetError, unprocessable } from './errors.js';
import { sanitizeRoomId } from './ids.js';
import type { JsonObject, RoomRecord } from './model.js';
import type { Cursor } from './pagination.js';
import { cursorComparator, paginate, parsePageRequest } from './pagination.js';
import { commaList, queryString } from './query.js';
import { parseRoomOptions } from './room-options.js';
import { projectFields, roomToWire } from './shapes.js';
import { parseOr422 } from './validation.js';

const deletionPoliciesSchema = z.object({
  withMeeting: z.enum(['force', 'when_meeting_ends', 'fail']).default('fail'),
  withRecordings: z.enum(['force', 'close', 'fail']).default('fail'),
});

const statusBodySchema = z.object({ status: z.enum(['open', 'closed']) });

export function roomRoutes(ctx: SimContext): Router {
  const rooms = Router();

  /** 3.8 leaves config/roles out of REST answers unless `extraFields` asks (§2.8); 3.4 always has config. */
  const render = (room: RoomRecord, req: Request): JsonObject => {
    const extra = commaList(req, 'extraFields', 'x-extrafields') ?? [];
    const parts = ctx.version === '3.4' ? undefined : { config: extra.includes('config'), roles: extra.includes('roles') };
    const fields = commaList(req, 'fields', ctx.version === '3.4' ? undefined : 'x-fields');
    return projectFields(roomToWire(room, wireContext(ctx), parts), fields);
  };

  rooms.post('/', (req, res) => {
    const room = ctx.meetings.createRoom(parseRoomOptions(ctx.version, req.body, ctx.now, { refuseRemovedFields: ctx.refuseRemovedFields }));
    res.location(`${ctx.publicUrl}${ctx.basePath}/api/v1/rooms/${room.roomId}`);
    res.status(201).json(render(room, req));
  });

  rooms.get('/', (req, res) => {
    const pageRequest = parsePageRequest(req.query as Record<string, unknown>);
    const { list, cursorOf, descending } = sortedRooms(ctx, req);
    const page = paginate(list, cursorOf, cursorComparator(descending), pageRequest);
    res.json({
      rooms: page.items.map((room) => render(room, req)),
      pagination: { isTruncated: page.isTruncated, nextPageToken: page.nextPageToken, maxItems: pageRequest.maxItems },
    });
  });

  rooms.delete('/', (req, res) => {
    const roomIds = (commaList(req, 'roomIds') ?? []).map(sanitizeRoomId).filter((id) => id !== '');
    if (roomIds.length === 0) {
      throw unprocessable([{ field: 'roomIds', message: 'At least one valid roomId is required after sanitization' }]);
    }
    const policies = parseOr422(deletionPoliciesSchema, req.query);
    const successful: JsonObject[] = [];
    const failed: JsonObject[] = [];
    for (const roomId of [...new Set(roomIds)]) {
      try {
        const { plan, room } = ctx.meetings.deleteRoom(roomId, policies);
        const entry: JsonObject = { roomId, successCode: plan.successCode, message: plan.message };
        if (plan.includesRoom && room) entry.room = render(room, req);
        successful.push(entry);
      } catch (error) {
        if (!(error instanceof MeetError)) throw error;
        failed.push({ roomId, error: error.error, message: error.message });
      }
    }
    if (failed.length === 0) {
      res.json({ message: 'All rooms successfully processed for deletion', successful });
    } else {
      res.status(400).json({ message: `${failed.length} room(s) failed to process while deleting`, successful, failed });
    }
  });

  rooms.get('/:roomId', (req, res) => {
    res.json(render(ctx.state.getRoom(roomIdParam(req)), req));
  });

  rooms.get('/:roomId/config', (req, res) => {
    res.json(ctx.state.getRoom(roomIdParam(req)).config);
  });

  rooms.put('/:roomId/status', (req, res) => {
    const roomId = roomIdParam(req);
    const { status } = parseOr422(statusBodySchema, req.body ?? {});
    const { room, updated } = ctx.meetings.setStatus(roomId, status);
    const message = updated
      ? `Room '${roomId}' ${status} successfully`
      : `Room '${roomId}' scheduled to be closed when the meeting ends`;
    res.status(updated ? 200 : 202).json({ message, room: render(room, req) });
  });

  rooms.delete('/:roomId', (req, res) => {
    const roomId = roomIdParam(req);
    const policies = parseOr422(deletionPoliciesSchema, req.query);
    const { plan, room } = ctx.meetings.deleteRoom(roomId, policies);
    const body: JsonObject = { successCode: plan.successCode, message: plan.message };
    if (plan.includesRoom && room) body.room = render(room, req);
    res.status(plan.httpStatus).json(body);
  });

  return rooms;
}

/** Path room ids are stripped to `[A-Za-z0-9_-]` first, as Meet's validators do. */
export function roomIdParam(req: Request): string {
  const roomId = sanitizeRoomId(String(req.params.roomId ?? ''));
  if (roomId === '') {
    throw unprocessable([{ field: 'roomId', message: 'roomId cannot be empty after sanitization' }]);
  }
  return roomId;
}

/** 3.4 lists in S3 key order (by roomId); 3.5+ sorts by `sortField`, newest first by default (§4.2). */
function sortedRooms(ctx: SimContext, req: Request) {
  let list = ctx.state.allRooms();
  if (ctx.version === '3.4') {
    const cursorOf = (room: RoomRecord): Cursor => [room.roomId];
    const compare = cursorComparator(false);
    return { list: list.sort((a, b) => compare(cursorOf(a), cursorOf(b))), cursorOf, descending: false };
  }
  const { status, sortField, sortOrder } = parseOr422(
    z.object({
      status: z.enum(['open', 'active_meeting', 'closed']).optional(),
      sortField: z.enum(['creationDate', 'roomName', 'autoDeletionDate']).default('creationDate'),
      sortOrder: z.enum(['asc', 'desc']).default('desc'),
    }),
    { status: queryString(req, 'status'), sortField: queryString(req, 'sortField'), sortOrder: queryString(req, 'sortOrder') },
  );
  if (status) list = list.filter((room) => room.status === status);
  const cursorOf = (room: RoomRecord): Cursor => [room[sortField] ?? 0, room.roomId];
  const descending = sortOrder === 'desc';
  const compare = cursorComparator(descending);
  return { list: list.sort((a, b) => compare(cursorOf(a), cursorOf(b))), cursorOf, descending };
}
