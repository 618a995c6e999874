// The dashboard routes that only Meet has, as the page and the README know them: create a room,
// delete a room (with Meet's options when it refuses) or a recording, and a recording's URL to play it.
// Every change they cause is logged and streamed like any other.
import express, { type Router } from 'express';
import type { Store } from '../../store/store.js';
import { ApiError } from '../../api-error.js';
import type { PlatformAction } from '../types.js';
import type { MeetClient } from './client.js';
import { restRoomChange } from './reconcile.js';

export interface MeetRoutesOptions {
  client: MeetClient;
  store: Pick<Store, 'rows' | 'writeRows'>;
  actions: { deleteRoom: PlatformAction; deleteRecording: PlatformAction };
  idPattern: RegExp;
}

export function meetRoutes({ client, store, actions, idPattern }: MeetRoutesOptions): Router {
  const router = express.Router();
  const json = express.json({ limit: '16kb' });
  const checkedId = (value: string | undefined, what: string): string => {
    if (value === undefined || !idPattern.test(value)) throw new ApiError(400, 'invalid_id', `that is not a valid ${what}`);
    return value;
  };

  router.post('/api/rooms', json, async (req, res) => {
    const roomName = typeof req.body?.roomName === 'string' ? req.body.roomName.trim() : '';
    if (roomName.length === 0 || roomName.length > 50) {
      throw new ApiError(400, 'invalid_room_name', 'roomName is required, 1 to 50 characters');
    }
    const started = Date.now();
    const room = await client.createRoom(roomName);
    await store.writeRows((rows) => {
      const change = restRoomChange(room, rows.room('meet', room.roomId), started, Date.now());
      return change ? [change] : [];
    });
    res.status(201).json({ room: store.rows.room('meet', room.roomId) ?? null });
  });

  router.delete('/api/rooms/:roomId', async (req, res) => {
    const { status, body } = await actions.deleteRoom.run(checkedId(req.params.roomId, 'room id'), req.query as Record<string, string>);
    res.status(status).json(body);
  });

  router.delete('/api/recordings/:recordingId', async (req, res) => {
    const { status, body } = await actions.deleteRecording.run(checkedId(req.params.recordingId, 'recording id'), {});
    res.status(status).json(body);
  });

  router.get('/api/recordings/:recordingId/url', async (req, res) => {
    const url = await client.recordingUrl(checkedId(req.params.recordingId, 'recording id'));
    res.json({ url });
  });

  return router;
}
