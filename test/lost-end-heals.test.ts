// "In the demo, a session whose end webhook is lost must heal within one reconcile interval": for each
// platform whose REST API roomwatch reads (one row each), a session starts on the platform's simulator,
// the demo's relay (tools/delivery/lossy-relay.ts) loses the webhook that ends it, and the browser stream
// shows its room healed by the next read of the API, within one RECONCILE_INTERVAL_MS of the loss.
// Real parts throughout: the simulators' HTTP APIs, the relay, roomwatch, SQLite, /events.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../server/config.js';
import type { SourceId } from '../server/platforms/catalog.js';
import type { DashboardSnapshot, RoomRow } from '../server/domain/rows.js';
import { startLossyRelay } from '../tools/delivery/lossy-relay.js';
import { startMeetSimulator } from '../tools/meet-sim/index.js';
import { EnableXSimulator } from '../tools/platform-sim/enablex.js';
import { OpenViduSimulator } from '../tools/platform-sim/openvidu.js';
import { LiveKitSimulator } from '../tools/platform-sim/livekit.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { openSse } from './helpers/sse.js';
import { eventually } from './helpers/stack.js';

/** The shortest RECONCILE_INTERVAL_MS roomwatch accepts. */
const INTERVAL_MS = 5000;
/** What a read of a simulator's API and its commit may take, on top of the interval. */
const READ_MS = 1000;

/** One platform: its simulator with its REST API, and how a session of it starts and ends. */
interface Simulated {
  /** What roomwatch needs to receive its webhooks and read its API. */
  env: Record<string, string>;
  /** Sends its webhooks to this base URL (the relay), each to the platform's own path. */
  connect(baseUrl: string): void;
  /** Starts a session; resolves once roomwatch knows what it should (nothing, on platforms that announce no start). */
  begin(roomwatch: TestServer): Promise<void>;
  /** Ends it: the platform sends the webhook that says so. */
  end(): void;
  stop(): Promise<void>;
}

const state = async (server: TestServer) => (await (await fetch(`${server.url}/api/state`)).json()) as DashboardSnapshot;

const PLATFORMS: { platform: SourceId; start(): Promise<Simulated> }[] = [
  {
    platform: 'meet',
    async start() {
      const meet = await startMeetSimulator({ timing: { startMs: 50, stopMs: 50 } });
      const room = meet.createRoom('Lost End');
      return {
        env: { OV_MEET_SERVER_URL: meet.url },
        connect: (baseUrl) => meet.setWebhookUrl(`${baseUrl}/webhook`),
        begin: async (roomwatch) => {
          meet.join(room.roomId, { name: 'Ana' }); // meetingStarted
          await eventually(() => state(roomwatch), (s) => s.rooms.some((row) => row.roomId === room.roomId && row.status === 'active_meeting'));
        },
        end: () => meet.endMeeting(room.roomId), // meetingEnded
        stop: () => meet.stop(),
      };
    },
  },
  {
    platform: 'enablex',
    async start() {
      const settings = { user: 'enx', password: 'enx-password', api: { appId: '5f1a2b3c4d5e6f7a8b9c0d1e', appKey: 'enx-app-key', url: '' } };
      const enablex = new EnableXSimulator({ settings, filesStepMs: 20 });
      const apiUrl = await enablex.serveApi();
      return {
        env: {
          ENABLEX_WEBHOOK_USER: settings.user,
          ENABLEX_WEBHOOK_PASSWORD: settings.password,
          ENABLEX_APP_ID: settings.api.appId,
          ENABLEX_APP_KEY: settings.api.appKey,
          ENABLEX_API_URL: apiUrl,
        },
        connect: (baseUrl) => enablex.setWebhookUrl(`${baseUrl}/webhook/enablex`),
        begin: async () => {
          enablex.startSession('Lost End'); // EnableX announces nothing
          enablex.join('Lost End', 'Ana');
        },
        end: () => void enablex.endSession('Lost End'), // roomdrop
        stop: async () => enablex.stop(),
      };
    },
  },
  {
    platform: 'openvidu',
    async start() {
      const header = 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU';
      const openvidu = new OpenViduSimulator({ settings: { headers: [['Authorization', header]] }, secret: 'MY_SECRET' });
      const apiUrl = await openvidu.serve();
      let sessionId = '';
      return {
        env: { OPENVIDU_WEBHOOK_HEADERS: JSON.stringify([`Authorization: ${header}`]), OPENVIDU_URL: apiUrl, OPENVIDU_SECRET: 'MY_SECRET' },
        connect: (baseUrl) => openvidu.setWebhookUrl(`${baseUrl}/webhook/openvidu`),
        begin: async (roomwatch) => {
          sessionId = openvidu.createSession('Lost End'); // sessionCreated
          openvidu.join(sessionId, 'Ana');
          await eventually(() => state(roomwatch), (s) => s.rooms.some((row) => row.source === 'openvidu' && row.roomName === sessionId && row.status === 'active_meeting'));
        },
        end: () => openvidu.closeSession(sessionId), // sessionDestroyed
        stop: async () => openvidu.stop(),
      };
    },
  },
  {
    platform: 'livekit',
    async start() {
      const key = { key: 'devkey', secret: 'a-livekit-secret-of-32-characters!' };
      const livekit = new LiveKitSimulator({ settings: { keys: [key] } });
      const apiUrl = await livekit.listen();
      return {
        env: { LIVEKIT_API_KEY: key.key, LIVEKIT_API_SECRET: key.secret, LIVEKIT_URL: apiUrl },
        connect: (baseUrl) => livekit.setWebhookUrl(`${baseUrl}/webhook/livekit`),
        begin: async (roomwatch) => {
          livekit.join('Lost End', 'Ana'); // room_started, participant_joined
          await eventually(() => state(roomwatch), (s) => s.rooms.some((row) => row.source === 'livekit' && row.roomName === 'Lost End' && row.status === 'active_meeting'));
        },
        end: () => livekit.finishRoom('Lost End'), // room_finished
        stop: async () => livekit.stop(),
      };
    },
  },
];

describe('a session whose end webhook is lost heals within one reconcile interval', { concurrency: true }, () => {
  for (const { platform, start } of PLATFORMS) {
    test(platform, { timeout: 30_000 }, async () => {
      const simulated = await start();
      const env = { ...simulated.env, RECONCILE_INTERVAL_MS: String(INTERVAL_MS) };
      const roomwatch = await startTestServer(env);
      const relay = await startLossyRelay({ target: roomwatch.url, settings: loadConfig(env).platforms });
      try {
        simulated.connect(relay.url);
        await eventually(() => state(roomwatch), (s) => s.platforms[platform]?.api?.state === 'reachable');
        await simulated.begin(roomwatch);

        const sse = await openSse(`${roomwatch.url}/events?since=${(await state(roomwatch)).seq}`);
        const lost = relay.loseNextEnd(platform);
        simulated.end();
        const { at, rooms, types } = await lost;
        assert.equal(rooms.length, 1);
        const healed = (row: RoomRow) => rooms.includes(row.roomId) && row.status !== 'active_meeting';
        const frames = await sse.waitFor(
          (all) => all.some((frame) => frame.event === 'room' && healed(JSON.parse(frame.data) as RoomRow)),
          INTERVAL_MS + READ_MS + 2000,
        );
        const healedAt = Date.now();
        sse.close();

        // Healed by a read, within one interval of the loss; the end webhook itself never reached roomwatch.
        assert.ok(healedAt - at <= INTERVAL_MS + READ_MS, `healed ${healedAt - at} ms after the loss`);
        for (const type of types) assert.ok(!frames.some((frame) => frame.data.includes(`"${type}"`)), `${type} was received`);
      } finally {
        await relay.close();
        await roomwatch.dispose();
        await simulated.stop();
      }
    });
  }
});
