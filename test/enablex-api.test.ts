// EnableX through its Server API, against the simulator's (tools/platform-sim/enablex-api.ts) over real
// HTTP, with a real roomwatch: a closed session gets its room's name and who took part, a session whose
// roomdrop was lost appears, a refused key and an API that does not answer are said on the dashboard
// (with where roomwatch looked) while the rows stay as the webhooks made them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EnableXSimulator } from '../tools/platform-sim/enablex.js';
import type { EnableXSettings } from '../server/platforms/enablex/settings.js';
import type { DashboardSnapshot, RoomRow } from '../server/domain/rows.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { openSse, type SseFrame } from './helpers/sse.js';
import { unreachableUrl } from './helpers/unreachable.js';
import { eventually } from './helpers/stack.js';

const WEBHOOK = { user: 'enx', password: 'enx-password' };
const API = { appId: '5f1a2b3c4d5e6f7a8b9c0d1e', appKey: 'enx-app-key' };
const SETTINGS: EnableXSettings = { ...WEBHOOK, api: { ...API, url: '' } };

interface Setup {
  sim: EnableXSimulator;
  roomwatch: TestServer;
  apiUrl: string;
  dispose(): Promise<void>;
}

/** The simulator serving its API, and a roomwatch reading it (`env` overrides, e.g. another key). */
async function setUp(env: Record<string, string> = {}, { webhooks = true } = {}): Promise<Setup> {
  const sim = new EnableXSimulator({ settings: SETTINGS, filesStepMs: 20 });
  const apiUrl = await sim.serveApi();
  const roomwatch = await startTestServer({
    ENABLEX_WEBHOOK_USER: WEBHOOK.user,
    ENABLEX_WEBHOOK_PASSWORD: WEBHOOK.password,
    ENABLEX_APP_ID: API.appId,
    ENABLEX_APP_KEY: API.appKey,
    ENABLEX_API_URL: apiUrl,
    ...env,
  });
  if (webhooks) sim.setWebhookUrl(`${roomwatch.url}/webhook/enablex`);
  return {
    sim,
    roomwatch,
    apiUrl,
    dispose: async () => {
      sim.stop();
      await roomwatch.dispose();
    },
  };
}

const state = async (server: TestServer) => (await (await fetch(`${server.url}/api/state`)).json()) as DashboardSnapshot;
const roomFrames = (frames: SseFrame[]) => frames.filter((frame) => frame.event === 'room').map((frame) => JSON.parse(frame.data) as RoomRow);
const reconcileNow = (server: TestServer) => fetch(`${server.url}/api/reconcile`, { method: 'POST' });

/** A session of "Town Hall": Ana and Bruno (who calls twice), recorded. */
function townHall(sim: EnableXSimulator) {
  const session = sim.startSession('Town Hall');
  sim.join('Town Hall', 'Ana');
  sim.join('Town Hall', 'Bruno');
  sim.leave('Town Hall', 'Bruno');
  sim.join('Town Hall', 'Bruno');
  sim.startRecording('Town Hall');
  sim.endSession('Town Hall');
  return { ...session, key: `${session.roomId}:${session.confNum}` };
}

describe('EnableX Server API', () => {
  test('after roomdrop, the session gets its room name and who took part; its recordings get the name too', async () => {
    const { sim, roomwatch, apiUrl, dispose } = await setUp();
    try {
      await eventually(() => state(roomwatch), (s) => s.platforms.enablex?.api?.state === 'reachable');
      const sse = await openSse(`${roomwatch.url}/events`);
      const session = townHall(sim);
      // First the webhook's row, named by its hex id; a moment later (the read after a session ends) its name.
      const frames = await sse.waitFor((all) => roomFrames(all).some((row) => row.roomId === session.key && row.roomName === 'Town Hall'));
      const rows = roomFrames(frames).filter((row) => row.roomId === session.key);
      assert.deepEqual([rows[0]!.roomName, rows[0]!.status, rows[0]!.attendance], [session.roomId, 'closed', undefined]);
      const named = rows.at(-1)!;
      assert.equal(named.status, 'closed');
      assert.deepEqual(named.attendance, { count: 2, names: ['Ana', 'Bruno'] });
      sse.close();

      await sim.idle();
      const recordings = await eventually(
        () => state(roomwatch),
        (s) => s.recordings.length === 3 && s.recordings.every((r) => r.roomName === 'Town Hall'),
      );
      assert.deepEqual(recordings.recordings.map((r) => r.roomId), [session.key, session.key, session.key]);
      assert.equal(recordings.platforms.enablex!.api!.url, `${apiUrl}/video/v2`);
      assert.ok(sim.apiRequests().includes(`GET /video/v2/rooms/${session.roomId}`));
    } finally {
      await dispose();
    }
  });

  test('a session whose roomdrop never arrived appears at the next read, closed, named, with who took part', async () => {
    const { sim, roomwatch, dispose } = await setUp({}, { webhooks: false });
    try {
      await eventually(() => state(roomwatch), (s) => s.platforms.enablex?.api?.state === 'reachable');
      const session = townHall(sim);
      await sim.idle();
      assert.equal((await state(roomwatch)).rooms.length, 0);
      await reconcileNow(roomwatch);
      const healed = await eventually(() => state(roomwatch), (s) => s.rooms.length === 1);
      assert.deepEqual(
        healed.rooms.map((row) => [row.roomId, row.roomName, row.status, row.attendance]),
        [[session.key, 'Town Hall', 'closed', { count: 2, names: ['Ana', 'Bruno'] }]],
      );
    } finally {
      await dispose();
    }
  });

  test('no paging (EnableX documents none): 120 sessions in 24 rooms come in one CDR answer, each room is asked its name once', async () => {
    const { sim, roomwatch, dispose } = await setUp({}, { webhooks: false });
    try {
      await eventually(() => state(roomwatch), (s) => s.platforms.enablex?.api?.state === 'reachable');
      const before = sim.apiRequests().length;
      for (let round = 0; round < 5; round++) {
        for (let room = 0; room < 24; room++) {
          const name = `Room ${room}`;
          sim.startSession(name);
          sim.join(name, `Guest ${round}`);
          sim.endSession(name);
        }
      }
      await reconcileNow(roomwatch);
      const { rooms } = await eventually(() => state(roomwatch), (s) => s.rooms.length === 120, 10_000);
      assert.ok(rooms.every((row) => /^Room \d+$/.test(row.roomName) && row.status === 'closed' && row.attendance?.count === 1));
      const requests = sim.apiRequests().slice(before);
      assert.equal(requests.filter((request) => request.startsWith('GET /video/v2/cdr/period/')).length, 1);
      assert.equal(requests.filter((request) => request.startsWith('GET /video/v2/rooms/')).length, 24);
    } finally {
      await dispose();
    }
  });

  test('the roomdrop arriving after the read keeps the name and who took part', async () => {
    const { sim, roomwatch, dispose } = await setUp({}, { webhooks: false });
    try {
      const session = townHall(sim);
      await reconcileNow(roomwatch);
      await eventually(() => state(roomwatch), (s) => s.rooms.length === 1);
      // EnableX delivers it late (the simulator had nowhere to send it).
      assert.equal(sim.deliveries().length, 0);
      const body = JSON.stringify({ type: 'roomdrop', trans_date: Math.floor(Date.now() / 1000), app_id: API.appId, room_id: session.roomId, conf_num: session.confNum });
      const answer = await fetch(`${roomwatch.url}/webhook/enablex`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${WEBHOOK.user}:${WEBHOOK.password}`).toString('base64')}` },
        body,
      });
      assert.equal(answer.status, 200);
      const [row] = (await state(roomwatch)).rooms;
      assert.deepEqual([row!.roomName, row!.status, row!.attendance], ['Town Hall', 'closed', { count: 2, names: ['Ana', 'Bruno'] }]);
    } finally {
      await dispose();
    }
  });

  test("a room EnableX no longer has keeps its hex id; each room's name is asked once, not at every read", async () => {
    const { sim, roomwatch, dispose } = await setUp();
    try {
      const first = townHall(sim);
      await eventually(() => state(roomwatch), (s) => s.rooms.some((row) => row.roomName === 'Town Hall'));
      const lookups = () => sim.apiRequests().filter((request) => request.startsWith('GET /video/v2/rooms/')).length;
      const asked = lookups();
      const reads = sim.apiRequests().filter((request) => request.startsWith('GET /video/v2/cdr/period/')).length;
      await reconcileNow(roomwatch);
      await eventually(async () => sim.apiRequests().filter((request) => request.startsWith('GET /video/v2/cdr/period/')).length, (n) => n > reads);
      assert.equal(lookups(), asked);
      assert.equal((await state(roomwatch)).rooms.find((row) => row.roomId === first.key)!.roomName, 'Town Hall');

      // A room unknown to EnableX's API: a 404, the row keeps its id, the API stays reachable.
      const body = JSON.stringify({ type: 'roomdrop', trans_date: Math.floor(Date.now() / 1000), app_id: API.appId, room_id: 'ffffffffffffffffffffffff', conf_num: '1' });
      await fetch(`${roomwatch.url}/webhook/enablex`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${WEBHOOK.user}:${WEBHOOK.password}`).toString('base64')}` },
        body,
      });
      await eventually(async () => sim.apiRequests(), (requests) => requests.includes('GET /video/v2/rooms/ffffffffffffffffffffffff'));
      await reconcileNow(roomwatch);
      const after = await eventually(() => state(roomwatch), (s) => s.platforms.enablex!.api!.state === 'reachable' && s.rooms.length === 2);
      assert.equal(after.rooms.find((row) => row.roomId === 'ffffffffffffffffffffffff:1')!.roomName, 'ffffffffffffffffffffffff');
    } finally {
      await dispose();
    }
  });

  test('a wrong APP_KEY: the dashboard says EnableX refused it, and where; rooms keep their hex ids', async () => {
    const { sim, roomwatch, apiUrl, dispose } = await setUp({ ENABLEX_APP_KEY: 'not-the-key' });
    try {
      const status = await eventually(() => state(roomwatch), (s) => s.platforms.enablex?.api?.state === 'unreachable');
      const api = status.platforms.enablex!.api!;
      assert.equal(api.url, `${apiUrl}/video/v2`);
      assert.match(api.error!, /EnableX refused ENABLEX_APP_ID and ENABLEX_APP_KEY \(Invalid APP_ID or APP_KEY\); check them/);
      assert.ok(!api.error!.includes('not-the-key'));
      assert.deepEqual(sim.apiRequests().slice(0, 1).map((request) => request.split('/').slice(0, 5).join('/')), ['GET /video/v2/cdr/period']);

      const session = townHall(sim);
      const rows = await eventually(() => state(roomwatch), (s) => s.rooms.length === 1);
      assert.deepEqual([rows.rooms[0]!.roomId, rows.rooms[0]!.roomName, rows.rooms[0]!.attendance], [session.key, session.roomId, undefined]);
    } finally {
      await dispose();
    }
  });

  test('an API that does not answer: rows come from webhooks, with their hex ids, and the dashboard says where it looked', async () => {
    const nowhere = await unreachableUrl();
    const sim = new EnableXSimulator({ settings: SETTINGS, filesStepMs: 20 });
    const roomwatch = await startTestServer({
      ENABLEX_WEBHOOK_USER: WEBHOOK.user,
      ENABLEX_WEBHOOK_PASSWORD: WEBHOOK.password,
      ENABLEX_APP_ID: API.appId,
      ENABLEX_APP_KEY: API.appKey,
      ENABLEX_API_URL: nowhere,
    });
    sim.setWebhookUrl(`${roomwatch.url}/webhook/enablex`);
    try {
      const session = townHall(sim);
      const { rooms, platforms } = await eventually(() => state(roomwatch), (s) => s.rooms.length === 1 && s.platforms.enablex?.api?.state === 'unreachable');
      assert.deepEqual([rooms[0]!.roomId, rooms[0]!.roomName, rooms[0]!.status], [session.key, session.roomId, 'closed']);
      assert.equal(platforms.enablex!.api!.url, `${nowhere}/video/v2`);
      assert.match(platforms.enablex!.api!.error!, new RegExp(`^EnableX at ${nowhere}/video/v2 is not answering: `));
    } finally {
      sim.stop();
      await roomwatch.dispose();
    }
  });

  test('when the API stops answering, a status frame named enablex says so and where; the next session keeps its hex id', async () => {
    const { sim, roomwatch, apiUrl, dispose } = await setUp();
    try {
      await eventually(() => state(roomwatch), (s) => s.platforms.enablex?.api?.state === 'reachable');
      const sse = await openSse(`${roomwatch.url}/events`);
      await sim.closeApi();
      const session = townHall(sim); // its roomdrop makes roomwatch read again, and that read fails
      const frames = await sse.waitFor((all) => all.some((frame) => frame.event === 'enablex'));
      const status = JSON.parse(frames.find((frame) => frame.event === 'enablex')!.data) as { state: string; url: string; error: string };
      assert.deepEqual([status.state, status.url], ['unreachable', `${apiUrl}/video/v2`]);
      assert.match(status.error, /is not answering: connection refused/);
      assert.deepEqual(
        roomFrames(frames).map((row) => [row.roomId, row.roomName]),
        [[session.key, session.roomId]],
      );
      sse.close();
    } finally {
      await dispose();
    }
  });
});
