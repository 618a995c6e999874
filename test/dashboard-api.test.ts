import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, eventually, type Stack } from './helpers/stack.js';
import { startTestServer } from './helpers/server.js';
import { freePort } from './helpers/process.js';
import { startMeetSimulator } from '../tools/meet-sim/index.js';
import { meetingStarted, post } from './helpers/meet.js';
import { openSse } from './helpers/sse.js';
import type { DashboardSnapshot, RecordingRow, RoomRow } from '../server/domain/rows.js';

const getJson = async <T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> => {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
};
const state = (stack: Stack) => getJson<DashboardSnapshot>(`${stack.roomwatch.url}/api/state`).then((r) => r.body);
const roomIn = (snapshot: DashboardSnapshot, roomId: string) => snapshot.rooms.find((r) => r.roomId === roomId);

for (const version of ['3.8', '3.4'] as const) {
  describe(`against a Meet ${version}`, () => {
    let stack: Stack;
    before(async () => {
      // The simulator refuses fields its version removed (3.8: config.recording.allowAccessTo), so a
      // create body written for another version fails here instead of being silently trimmed.
      stack = await startStack({ meet: { version, refuseRemovedFields: true } });
    });
    after(() => stack.dispose());

    test('finds the API by itself and says it is reachable, with the web component URL', async () => {
      const snapshot = await eventually(() => state(stack), (s) => s.meet.state === 'reachable');
      assert.equal(snapshot.meet.url, stack.meet.apiUrl);
      assert.equal(snapshot.meet.webComponentUrl, stack.meet.webComponentUrl);
    });

    test('GET /api/rooms lists rooms with source, id, name, status and time; meetings flip the status', async () => {
      const room = stack.meet.createRoom('Daily Standup');
      await fetch(`${stack.roomwatch.url}/api/reconcile`, { method: 'POST' });
      const listed = await eventually(
        () => getJson<{ rooms: RoomRow[] }>(`${stack.roomwatch.url}/api/rooms`).then((r) => r.body.rooms),
        (rooms) => rooms.some((r) => r.roomId === room.roomId),
      );
      const row = listed.find((r) => r.roomId === room.roomId)!;
      assert.deepEqual([row.source, row.roomName, row.status], ['meet', 'Daily Standup', 'open']);
      assert.ok(row.updatedAt > 0);
      assert.ok(row.links.moderator?.startsWith(stack.meet.url));

      stack.meet.join(room.roomId);
      await eventually(() => state(stack), (s) => roomIn(s, room.roomId)?.status === 'active_meeting');
      stack.meet.leave(room.roomId);
      await eventually(() => state(stack), (s) => roomIn(s, room.roomId)?.status === 'open');
    });

    test('a room created from the dashboard is created in Meet and streamed to every browser', async () => {
      const sse = await openSse(`${stack.roomwatch.url}/events`);
      const { status, body } = await getJson<{ room: RoomRow }>(`${stack.roomwatch.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roomName: 'Design Review' }),
      });
      assert.equal(status, 201, JSON.stringify(body));
      assert.equal(body.room.roomName, 'Design Review');
      const created = stack.meet.rooms().find((r) => r.roomId === body.room.roomId);
      // The room Meet made records, as the tutorial's does: at 3.4 for admin, moderator and speaker.
      const recording = (created?.room.config as { recording?: Record<string, unknown> } | undefined)?.recording;
      assert.equal(recording?.enabled, true);
      if (version === '3.4') assert.equal(recording?.allowAccessTo, 'admin_moderator_speaker');
      else assert.ok(!('allowAccessTo' in recording!), 'no field 3.8 removed');
      const frames = await sse.waitFor((all) => all.some((f) => f.event === 'room' && JSON.parse(f.data).roomId === body.room.roomId));
      assert.ok(frames.find((f) => f.event === 'room')!.id);
      sse.close();
    });

    test('deleting a room with recordings offers Meet’s options, and the chosen one is applied', async () => {
      const room = stack.meet.createRoom('Has Recordings');
      stack.meet.addCompletedRecording(room.roomId, 30);
      await fetch(`${stack.roomwatch.url}/api/reconcile`, { method: 'POST' });
      await eventually(() => state(stack), (s) => s.recordings.some((r) => r.roomId === room.roomId));

      const refused = await getJson<{ error: string; message: string; options: { withRecordings?: string; label: string }[] }>(
        `${stack.roomwatch.url}/api/rooms/${encodeURIComponent(room.roomId)}`,
        { method: 'DELETE' },
      );
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error, 'room_has_recordings');
      assert.ok(refused.body.message.length > 0);
      assert.deepEqual(refused.body.options.map((o) => o.withRecordings), ['close', 'force']);

      const done = await getJson<{ outcome: string }>(`${stack.roomwatch.url}/api/rooms/${encodeURIComponent(room.roomId)}?withRecordings=force`, {
        method: 'DELETE',
      });
      assert.equal(done.status, 200);
      assert.equal(done.body.outcome, 'room_and_recordings_deleted');
      const after = await eventually(() => state(stack), (s) => !roomIn(s, room.roomId) && !s.recordings.some((r) => r.roomId === room.roomId));
      assert.equal(roomIn(after, room.roomId), undefined);
    });

    test('recordings follow the four webhooks, filter by room, give a playback URL and can be deleted', async () => {
      const room = stack.meet.createRoom('Recorded');
      const other = stack.meet.createRoom('Other');
      stack.meet.join(room.roomId);
      const recordingId = await stack.meet.startRecording(room.roomId);
      await stack.meet.stopRecording(recordingId);
      const done = await eventually(
        () => getJson<{ recordings: RecordingRow[] }>(`${stack.roomwatch.url}/api/recordings?roomId=${encodeURIComponent(room.roomId)}`),
        (r) => r.body.recordings.some((rec) => rec.recordingId === recordingId && rec.status === 'complete'),
      );
      const row = done.body.recordings.find((r) => r.recordingId === recordingId)!;
      assert.ok(row.size! > 0 && row.duration! > 0 && row.startedAt! > 0 && row.endedAt! > row.startedAt!);
      const forOther = await getJson<{ recordings: RecordingRow[] }>(`${stack.roomwatch.url}/api/recordings?roomId=${encodeURIComponent(other.roomId)}`);
      assert.deepEqual(forOther.body.recordings, []);

      const url = await getJson<{ url: string }>(`${stack.roomwatch.url}/api/recordings/${encodeURIComponent(recordingId)}/url`);
      assert.match(url.body.url, new RegExp(`/recording/${recordingId}\\?secret=`));

      const deleted = await fetch(`${stack.roomwatch.url}/api/recordings/${encodeURIComponent(recordingId)}`, { method: 'DELETE' });
      assert.equal(deleted.status, 200);
      const after = await state(stack);
      assert.ok(!after.recordings.some((r) => r.recordingId === recordingId));
      stack.meet.leave(room.roomId);
    });

    test('a room deleted in Meet without any webhook disappears at the next reconciliation', async () => {
      const room = stack.meet.createRoom('Short Lived');
      await fetch(`${stack.roomwatch.url}/api/reconcile`, { method: 'POST' });
      await eventually(() => state(stack), (s) => Boolean(roomIn(s, room.roomId)));
      const meetDelete = await fetch(`${stack.meet.apiUrl}/rooms/${room.roomId}`, { method: 'DELETE', headers: { 'X-API-KEY': stack.meet.apiKey } });
      assert.equal(meetDelete.status, 200);
      await fetch(`${stack.roomwatch.url}/api/reconcile`, { method: 'POST' });
      await eventually(() => state(stack), (s) => !roomIn(s, room.roomId));
    });
  });
}

describe("every platform's status and its API's actions, through the registry", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { LIVESWITCH_SHARED_SECRET: 'ls-secret' } });
  });
  after(() => stack.dispose());

  test('/api/state has a status per platform: enabled or not, and the REST API roomwatch uses and where', async () => {
    const snapshot = await eventually(() => state(stack), (s) => s.platforms.meet?.api?.state === 'reachable');
    assert.deepEqual(Object.keys(snapshot.platforms), ['meet', 'openvidu', 'livekit', 'liveswitch', 'enablex']);
    assert.deepEqual(snapshot.platforms.meet, { enabled: true, api: { ...snapshot.meet } });
    assert.equal(snapshot.platforms.meet!.api!.url, stack.meet.apiUrl);
    assert.deepEqual(snapshot.platforms.liveswitch, { enabled: true, api: null });
    assert.deepEqual(snapshot.platforms.openvidu, { enabled: false, api: null });
  });

  test("a platform's action runs through the generic route, and the rows it changes are streamed", async () => {
    const room = stack.meet.createRoom('Acted On');
    stack.meet.join(room.roomId);
    const recordingId = await stack.meet.startRecording(room.roomId);
    await stack.meet.stopRecording(recordingId);
    await eventually(() => state(stack), (s) => s.recordings.some((r) => r.recordingId === recordingId && r.status === 'complete'));
    const sse = await openSse(`${stack.roomwatch.url}/events`);
    const act = (platform: string, action: string, body: unknown) =>
      getJson<{ error?: string; message?: string }>(`${stack.roomwatch.url}/api/platforms/${platform}/actions/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const done = await act('meet', 'deleteRecording', { id: recordingId });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.ok(!stack.meet.room(room.roomId).recordings.some((r) => r.recordingId === recordingId), 'deleted in Meet');
    await sse.waitFor((all) => all.some((f) => f.event === 'recording' && JSON.parse(f.data).recordingId === recordingId && JSON.parse(f.data).removed));
    sse.close();

    // What the route refuses, before any platform is asked.
    assert.deepEqual([(await act('liveswitch', 'deleteRoom', { id: 'x' })).status, (await act('liveswitch', 'deleteRoom', { id: 'x' })).body.error], [404, 'no_platform_api']);
    assert.deepEqual([(await act('meet', 'explode', { id: 'x' })).status, (await act('meet', 'explode', { id: 'x' })).body.error], [404, 'no_such_action']);
    assert.deepEqual([(await act('meet', 'toString', { id: 'x' })).status, (await act('meet', 'toString', { id: 'x' })).body.error], [404, 'no_such_action']);
    assert.deepEqual([(await act('meet', 'deleteRoom', { id: '../x' })).status, (await act('meet', 'deleteRoom', { id: '../x' })).body.error], [400, 'invalid_id']);
    stack.meet.leave(room.roomId);
  });
});

describe('path and query values', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.dispose());

  test('an id that could walk to another Meet endpoint is refused before anything is sent', async () => {
    // An encoded slash is refused for every path, before routing (auth/request-path.ts); the rest by the route.
    for (const [id, error] of [['..%2Frecordings', 'bad_path'], ['a%2Fb', 'bad_path'], ['room%3Fx%3D1', 'invalid_id'], ['x y', 'invalid_id']]) {
      const response = await fetch(`${stack.roomwatch.url}/api/rooms/${id}`, { method: 'DELETE' });
      assert.equal(response.status, 400, id);
      assert.equal(((await response.json()) as { error: string }).error, error, id);
    }
  });

  test('an unknown deletion option is a 400 naming the allowed values', async () => {
    const response = await fetch(`${stack.roomwatch.url}/api/rooms/abc?withMeeting=now`, { method: 'DELETE' });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /withMeeting must be one of force, when_meeting_ends, fail/);
  });

  test('a room name is validated before Meet is asked', async () => {
    const response = await fetch(`${stack.roomwatch.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roomName: '   ' }),
    });
    assert.equal(response.status, 400);
  });
});

describe('when the Meet API does not answer', () => {
  test('the dashboard works from webhooks and says where it looked', async () => {
    const port = await freePort();
    const server = await startTestServer({ OV_MEET_SERVER_URL: `http://127.0.0.1:${port}` });
    try {
      const delivery = meetingStarted('offline_room-k3j9x0q2m7a1b4c');
      assert.equal((await post(server.url, delivery)).status, 200);
      const snapshot = await eventually(
        () => getJson<DashboardSnapshot>(`${server.url}/api/state`).then((r) => r.body),
        (s) => s.meet.state === 'unreachable',
      );
      assert.equal(snapshot.meet.url, `http://127.0.0.1:${port}/api/v1`);
      assert.match(snapshot.meet.error!, /not answering: connection refused/);
      assert.equal(snapshot.rooms.find((r) => r.roomId === 'offline_room-k3j9x0q2m7a1b4c')?.status, 'active_meeting');

      const create = await getJson<{ error: string; message: string }>(`${server.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roomName: 'Nope' }),
      });
      assert.equal(create.status, 503);
      assert.equal(create.body.error, 'meet_unreachable');
      assert.match(create.body.message, new RegExp(`OpenVidu Meet at http://127\\.0\\.0\\.1:${port} is not answering`));
    } finally {
      await server.dispose();
    }
  });

  test('when it answers again, browsers are told and what webhooks missed heals', async () => {
    const port = await freePort();
    const server = await startTestServer({ OV_MEET_SERVER_URL: `http://127.0.0.1:${port}`, OV_MEET_API_PATH: '/meet/api/v1' });
    const sse = await openSse(`${server.url}/events`);
    const meet = await startMeetSimulator({ port }); // no webhooks: everything it does is missed
    try {
      await eventually(() => getJson<DashboardSnapshot>(`${server.url}/api/state`).then((r) => r.body), (s) => s.meet.state === 'unreachable');
      const room = meet.createRoom('Missed');
      meet.join(room.roomId);
      await fetch(`${server.url}/api/reconcile`, { method: 'POST' });
      const frames = await sse.waitFor((all) => all.some((f) => f.event === 'room' && JSON.parse(f.data).roomId === room.roomId));
      const status = frames.filter((f) => f.event === 'meet').map((f) => JSON.parse(f.data).state);
      assert.deepEqual(status.slice(-1), ['reachable']);
      const row = frames.filter((f) => f.event === 'room').map((f) => JSON.parse(f.data) as RoomRow).find((r) => r.roomId === room.roomId);
      assert.equal(row!.status, 'active_meeting');
    } finally {
      sse.close();
      await meet.stop();
      await server.dispose();
    }
  });

  test('missed webhooks heal at the next REST read', async () => {
    const stack = await startStack({ env: { OV_MEET_API_PATH: '/meet/api/v1' } });
    try {
      await eventually(() => state(stack), (s) => s.meet.state === 'reachable');
      const sse = await openSse(`${stack.roomwatch.url}/events`);
      stack.meet.setWebhooksEnabled(false); // webhooks lost
      const room = stack.meet.createRoom('Missed');
      stack.meet.join(room.roomId);
      await fetch(`${stack.roomwatch.url}/api/reconcile`, { method: 'POST' });
      await eventually(() => state(stack), (s) => roomIn(s, room.roomId)?.status === 'active_meeting');
      await sse.waitFor((frames) => frames.some((f) => f.event === 'room' && JSON.parse(f.data).roomId === room.roomId));
      sse.close();
    } finally {
      await stack.dispose();
    }
  });
});
