// The dashboard's JSON API: the current rows (webhook-derived, merged with REST reads) and the actions
// that go through the Meet REST API. Every change an action causes is logged and streamed like any other.
import express, { type Router } from 'express';
import type { DashboardSnapshot, RecordingRow, RoomRow, RowChange } from '../domain/rows.js';
import type { MeetRoom } from '../domain/meet.js';
import { restRoomChange } from '../domain/meet-projection.js';
import type { EventLog } from '../store/event-log.js';
import type { RowStore } from '../store/row-store.js';
import { MeetApiError, type MeetClient } from './client.js';
import { ApiError } from '../api-error.js';
import type { Reconciler } from './reconcile.js';

export interface DashboardRoutesOptions {
  client: MeetClient;
  rows: RowStore;
  events: EventLog;
  reconciler: Reconciler;
  authRequired: boolean;
}

/** Meet ids are `[A-Za-z0-9_-]`, recording ids join three of them with `--` (§2.4, §2.6). */
const ID = /^[A-Za-z0-9_-]{1,300}$/;
const WITH_MEETING = ['force', 'when_meeting_ends', 'fail'];
const WITH_RECORDINGS = ['force', 'close', 'fail'];

export function dashboardRoutes({ client, rows, events, reconciler, authRequired }: DashboardRoutesOptions): Router {
  const router = express.Router();
  const json = express.json({ limit: '16kb' });
  const liveRooms = () => rows.allRooms().filter((row) => !row.removed);
  const liveRecordings = (roomId?: string) =>
    rows.allRecordings().filter((row) => !row.removed && (roomId === undefined || row.roomId === roomId));
  const record = (changes: RowChange[]) => events.commitChanges(() => rows.write(changes));

  router.get('/api/state', (_req, res) => {
    // Rows and sequence are read in one synchronous step: nothing can be committed in between.
    const snapshot: DashboardSnapshot = {
      seq: events.latestSeq(),
      rooms: liveRooms(),
      recordings: liveRecordings(),
      meet: { ...reconciler.status, webComponentUrl: client.webComponentUrl },
      auth: { required: authRequired },
    };
    res.json(snapshot);
  });

  router.get('/api/rooms', (_req, res) => {
    res.json({ rooms: liveRooms(), seq: events.latestSeq() });
  });

  router.post('/api/rooms', json, async (req, res) => {
    const roomName = typeof req.body?.roomName === 'string' ? req.body.roomName.trim() : '';
    if (roomName.length === 0 || roomName.length > 50) {
      throw new ApiError(400, 'invalid_room_name', 'roomName is required, 1 to 50 characters');
    }
    const started = Date.now();
    const room = await client.createRoom(roomName);
    const change = restRoomChange(room, rows.room('meet', room.roomId), started, Date.now());
    if (change) record([change]);
    res.status(201).json({ room: rows.room('meet', room.roomId) ?? null });
  });

  router.delete('/api/rooms/:roomId', async (req, res) => {
    const roomId = checkedId(req.params.roomId, 'room id');
    const withMeeting = optionalChoice(req.query.withMeeting, 'withMeeting', WITH_MEETING);
    const withRecordings = optionalChoice(req.query.withRecordings, 'withRecordings', WITH_RECORDINGS);
    let answer;
    try {
      answer = await client.deleteRoom(roomId, { withMeeting, withRecordings });
    } catch (error) {
      if (error instanceof MeetApiError && error.status === 409) {
        throw new ApiError(409, error.code, error.message, { options: deletionOptions(error.code) });
      }
      throw error;
    }
    const outcome = typeof answer.body.successCode === 'string' ? answer.body.successCode : 'room_deleted';
    const current = rows.room('meet', roomId);
    if (current && /_deleted$/.test(outcome) && !/scheduled/.test(outcome)) {
      record([{ kind: 'room', row: { ...current, updatedAt: Date.now(), removed: true } }]);
    } else if (isRoom(answer.body.room)) {
      const change = restRoomChange(answer.body.room, current, Date.now(), Date.now());
      if (change) record([change]);
    }
    // Recordings deleted or a room closed with it: Meet sends no webhook for those (§4.4).
    reconciler.refreshSoon(300);
    res.status(answer.status).json({ outcome, message: answer.body.message ?? outcome });
  });

  router.get('/api/recordings', (req, res) => {
    const roomId = typeof req.query.roomId === 'string' && req.query.roomId !== '' ? req.query.roomId : undefined;
    res.json({ recordings: liveRecordings(roomId), seq: events.latestSeq() });
  });

  router.delete('/api/recordings/:recordingId', async (req, res) => {
    const recordingId = checkedId(req.params.recordingId, 'recording id');
    const body = await client.deleteRecording(recordingId).catch((error: unknown) => {
      if (error instanceof MeetApiError && error.status === 404) markRecordingRemoved(recordingId);
      throw error;
    });
    markRecordingRemoved(recordingId);
    res.json({ message: body.message ?? 'Recording deleted' });
  });

  router.get('/api/recordings/:recordingId/url', async (req, res) => {
    const url = await client.recordingUrl(checkedId(req.params.recordingId, 'recording id'));
    res.json({ url });
  });

  router.post('/api/reconcile', (_req, res) => {
    void reconciler.run();
    res.status(202).json({ message: 'reading rooms and recordings from the Meet API' });
  });

  return router;

  function markRecordingRemoved(recordingId: string): void {
    const row: RecordingRow | undefined = rows.recording('meet', recordingId);
    if (row && !row.removed) record([{ kind: 'recording', row: { ...row, updatedAt: Date.now(), removed: true } }]);
  }
}

/** What the user can choose instead when Meet refuses a plain delete (409, §4.4). */
function deletionOptions(code: string): { withMeeting?: string; withRecordings?: string; label: string }[] {
  const meeting = [
    { withMeeting: 'when_meeting_ends', label: 'Delete it when the meeting ends' },
    { withMeeting: 'force', label: 'End the meeting and delete it now' },
  ];
  const recordings = [
    { withRecordings: 'close', label: 'Close the room and keep its recordings' },
    { withRecordings: 'force', label: 'Delete the room and its recordings' },
  ];
  if (code === 'room_has_active_meeting') return meeting;
  if (code === 'room_has_recordings') return recordings;
  return [
    { withMeeting: 'when_meeting_ends', withRecordings: 'close', label: 'Close it when the meeting ends, keep the recordings' },
    { withMeeting: 'force', withRecordings: 'close', label: 'End the meeting now, close the room, keep the recordings' },
    { withMeeting: 'force', withRecordings: 'force', label: 'End the meeting now, delete the room and its recordings' },
  ];
}

function checkedId(value: string | undefined, what: string): string {
  if (value === undefined || !ID.test(value)) throw new ApiError(400, 'invalid_id', `that is not a valid ${what}`);
  return value;
}

function optionalChoice(value: unknown, name: string, allowed: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new ApiError(400, 'invalid_option', `${name} must be one of ${allowed.join(', ')}`);
  }
  return value;
}

function isRoom(value: unknown): value is MeetRoom {
  return typeof value === 'object' && value !== null && typeof (value as RoomRow).roomId === 'string';
}
