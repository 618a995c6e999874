// npm run demo: the OpenVidu Meet simulator and roomwatch wired together, with a few rooms and a little
// activity (meetings starting and ending, recordings), so a newcomer sees live badges in a minute; next
// to Meet, simulated OpenVidu 2, LiveKit, LiveSwitch and EnableX senders with demo credentials, so the
// rooms screen shows every platform side by side. Simulators that serve their platform's REST API are
// wired to roomwatch too, and every webhook passes a relay that now and then loses one that ends a
// session of such a platform, on purpose: the demo says so, and says when roomwatch's next read of that
// API has healed the room (within one RECONCILE_INTERVAL_MS, 15 s here).
import dotenv from 'dotenv';
import { loadConfig, ConfigError, type Config } from '../server/config.js';
import type { RoomRow } from '../server/domain/rows.js';
import { createLogger } from '../server/logger.js';
import { startRoomwatch, type Roomwatch } from '../server/roomwatch.js';
import type { SourceId } from '../server/platforms/catalog.js';
import { startLossyRelay, type LossyRelay, type LostWebhook } from './delivery/lossy-relay.js';
import { seedDemoData, startMeetSimulator, type MeetSimulator } from './meet-sim/index.js';
import { startPlatformActivity } from './platform-sim/activity.js';
import { createPlatformSimulators, type PlatformSimulators } from './platform-sim/index.js';
import { enablexAppId } from './platforms/enablex.js';
import { webhookUrl } from './platforms/deliver.js';
import { PLATFORMS } from '../server/platforms/index.js';

dotenv.config({ quiet: true });

const MEET_PORT = Number(process.env.DEMO_MEET_PORT ?? 9080);
const ACTIVITY_EVERY_MS = 8000;
const PLATFORM_ACTIVITY_EVERY_MS = 5000;
/** Unless set: short, so that a lost end webhook heals while you watch. */
const DEMO_RECONCILE_INTERVAL_MS = '15000';
/** The share of session-ending webhooks lost on purpose, on platforms whose REST API roomwatch reads. */
const LOSS_CHANCE = 1 / 3;

/**
 * Simulators that serve their platform's REST API: the setting that points roomwatch at it, and how to
 * start it (on any free port). Used when that platform runs on demo credentials.
 */
/** OpenVidu's own documentation example, as in the webhook header of DEMO_CREDENTIALS. */
const DEMO_OPENVIDU_SECRET = 'MY_SECRET';

const SIMULATED_APIS: {
  platform: SourceId;
  variable: string;
  serve(sims: PlatformSimulators): Promise<string> | undefined;
  /** Settings that go with the URL (they are only valid together with it). */
  with?: Record<string, string>;
}[] = [
  { platform: 'enablex', variable: 'ENABLEX_API_URL', serve: (sims) => sims.enablex?.serveApi() },
  { platform: 'openvidu', variable: 'OPENVIDU_URL', serve: (sims) => sims.openvidu?.serve(), with: { OPENVIDU_SECRET: DEMO_OPENVIDU_SECRET } },
  { platform: 'livekit', variable: 'LIVEKIT_URL', serve: (sims) => sims.livekit?.listen() },
];

/** Credentials of the simulated platforms, used unless the environment or .env sets that platform's own. */
const DEMO_CREDENTIALS: Record<string, string> = {
  // OpenVidu's own documentation example: Basic OPENVIDUAPP:MY_SECRET.
  OPENVIDU_WEBHOOK_HEADERS: '["Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU"]',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'demo-livekit-api-secret-for-roomwatch',
  LIVESWITCH_SHARED_SECRET: 'demo-liveswitch-shared-secret',
  ENABLEX_WEBHOOK_USER: 'enablex-demo',
  ENABLEX_WEBHOOK_PASSWORD: 'demo-enablex-password',
  ENABLEX_APP_ID: enablexAppId(),
  ENABLEX_APP_KEY: 'demo-enablex-app-key',
};

/** A platform's settings, unless the environment sets any of them (then the environment's are used whole). */
function demoCredentials(env: NodeJS.ProcessEnv): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const platform of PLATFORMS) {
    const names = Object.keys(platform.settings.variables);
    if (names.some((name) => env[name])) continue;
    for (const name of names) if (DEMO_CREDENTIALS[name] !== undefined) chosen[name] = DEMO_CREDENTIALS[name];
  }
  return chosen;
}

async function main(): Promise<void> {
  const fromDemo = demoCredentials(process.env);
  // The demo keeps its own store, so it never mixes with a real one under ./data.
  const settings = { DATA_DIR: './data/demo', RECONCILE_INTERVAL_MS: DEMO_RECONCILE_INTERVAL_MS, ...fromDemo, ...process.env, OV_MEET_SERVER_URL: `http://localhost:${MEET_PORT}` };
  let config = configFrom(settings);

  const meet = await startMeetSimulator({ port: MEET_PORT, publicUrl: `http://localhost:${MEET_PORT}`, apiKey: config.platforms.meet?.apiKeys[0] }).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === 'EADDRINUSE' ? `port ${MEET_PORT} is in use (a real Meet?); set DEMO_MEET_PORT to another port` : error.message),
  );
  // Every webhook passes the relay; it loses some session ends of the platforms whose API roomwatch reads.
  let healing = new Set<SourceId>();
  const relay = await startLossyRelay({ settings: config.platforms, lossChance: (platform) => (healing.has(platform) ? LOSS_CHANCE : 0) });
  // LiveKit rooms end 20 s after their last participant leaves, as LiveKit's departureTimeout does.
  const platforms = createPlatformSimulators(config.platforms, relay.url, {
    livekit: { departureTimeoutMs: 20_000 },
    // Its REST API is only configured once it is served (below): give it the secret roomwatch will use.
    openvidu: { secret: DEMO_OPENVIDU_SECRET },
  });
  const simulatedApis: Record<string, string> = {};
  // Losses heal only where the API is a simulator's, which knows the simulated sessions: Meet's, and these.
  const simulated = new Set<SourceId>(['meet']);
  for (const { platform, variable, serve, with: alongside } of SIMULATED_APIS) {
    const onDemoCredentials = Object.keys(PLATFORMS.find((p) => p.id === platform)!.settings.variables).some((name) => name in fromDemo);
    const url = onDemoCredentials ? await serve(platforms) : undefined;
    if (!url) continue;
    Object.assign(simulatedApis, { [variable]: url }, alongside);
    simulated.add(platform);
  }
  config = configFrom({ ...settings, ...simulatedApis });

  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const roomwatch = await startRoomwatch(config, log).catch(async (error: NodeJS.ErrnoException) => {
    await meet.stop();
    fail(error.code === 'EADDRINUSE' ? `port ${config.port} is in use; stop the other process or set SERVER_PORT` : error.message);
  });
  const local = `http://127.0.0.1:${new URL(roomwatch.url).port}`;
  relay.setTarget(local);
  healing = new Set(roomwatch.apis.filter((id) => simulated.has(id)));
  reportLossesAndHeals(relay, roomwatch, config.reconcileIntervalMs);
  meet.setWebhookUrl(`${relay.url}/webhook`);
  if (meet.rooms().length === 0) seedDemoData(meet);
  const platformActivity = startPlatformActivity(platforms, PLATFORM_ACTIVITY_EVERY_MS);

  const dashboard = roomwatch.url.replace('127.0.0.1', 'localhost');
  console.log(`
  roomwatch demo is running

    Dashboard               ${dashboard}
    OpenVidu Meet simulator ${meet.url.replace('127.0.0.1', 'localhost')}  (API ${meet.apiUrl}, key ${meet.apiKey})
    Data                    ${config.store.dataDir}

${platformSummary(config, fromDemo, dashboard, simulatedApis)}
  Every ${ACTIVITY_EVERY_MS / 1000} s a simulated user starts or ends a meeting or a recording; "Join" in the
  dashboard opens a simulated meeting whose Leave button ends it. Send your own events with
  npm run trigger -- meetingStarted --room "Daily Standup": the demo's "Daily Standup" turns ACTIVE, until
  the next read of the simulated Meet (within ${config.reconcileIntervalMs / 1000} s) heals it back, since Meet itself has no meeting
  there. Ctrl-C stops everything.

  roomwatch reads the REST API of ${[...healing].map((id) => PLATFORMS.find((p) => p.id === id)!.label).join(', ')} every ${config.reconcileIntervalMs / 1000} s. Now and then the
  demo loses a webhook that ends one of their sessions, on purpose, and says so below; the next read heals
  the room, and the demo says that too.
`);

  const timer = setInterval(() => void simulateActivity(meet), ACTIVITY_EVERY_MS);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      clearInterval(timer);
      // End the simulated sessions first, so the dashboard is not left with rooms that never close.
      platformActivity.wrapUp();
      const settled = Promise.race([platforms.idle(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      void settled
        .then(() => platforms.stop())
        .then(() => Promise.all([meet.stop(), roomwatch.stop(), relay.close()]))
        .then(() => process.exit(0));
    });
  }
}

function configFrom(settings: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(settings);
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
}

/** Says each webhook the relay loses, and when the room it was about has healed (from the platform's API). */
function reportLossesAndHeals(relay: LossyRelay, roomwatch: Roomwatch, intervalMs: number): void {
  const pending = new Map<string, LostWebhook>();
  relay.onLost((lost) => {
    for (const room of lost.rooms) pending.set(`${lost.platform}:${room}`, lost);
    console.log(
      `  demo: lost ${lost.types.join(', ')} of ${lost.label} room ${lost.rooms.join(', ')} on purpose; roomwatch reads the ${lost.label} API within ${intervalMs / 1000} s and heals it`,
    );
  });
  roomwatch.store.onCommitted((entries) => {
    for (const entry of entries) {
      if (entry.kind !== 'change' || entry.type !== 'room' || pending.size === 0) continue;
      const row = JSON.parse(entry.body.toString('utf8')) as RoomRow;
      const lost = pending.get(`${row.source}:${row.roomId}`);
      if (!lost || row.status === 'active_meeting') continue;
      pending.delete(`${row.source}:${row.roomId}`);
      const seconds = ((entry.receivedAt - lost.at) / 1000).toFixed(1);
      console.log(`  demo: healed: ${lost.label} room "${row.roomName}" is ${row.status === 'closed' ? 'CLOSED' : 'OPEN'} ${seconds} s after its ${lost.types.join(', ')} was lost`);
    }
  });
}

/** The lines about the other platforms: where each posts, and with which credentials (demo ones shown; the user's own never). */
function platformSummary(config: Config, fromDemo: Record<string, string>, dashboard: string, simulatedApis: Record<string, string>): string {
  // Meet has its own simulator, described above; the others are simulated senders.
  const simulated = PLATFORMS.filter((platform) => platform.settings.enabledBy !== undefined);
  const width = Math.max(...simulated.map((platform) => platform.label.length)) + ' simulator'.length + 2;
  const lines = simulated.map((platform) => {
    const path = new URL(webhookUrl(dashboard, platform.id)).pathname;
    if (!config.platforms[platform.id]) return `    ${platform.label.padEnd(width)}off (its settings are incomplete)`;
    const names = Object.keys(platform.settings.variables).filter((name) => name in fromDemo);
    const credentials = names.length > 0 ? names.map((name) => `${name}=${shellWord(fromDemo[name]!)}`).join(' ') : 'your own settings';
    const api = SIMULATED_APIS.find((simulated) => simulated.platform === platform.id && simulated.variable in simulatedApis)?.variable;
    return `    ${`${platform.label} simulator`.padEnd(width)}${path.padEnd(20)}${credentials}${api ? `, its API at ${simulatedApis[api]}` : ''}`;
  });
  return `  Other platforms, simulated, posting to roomwatch (demo credentials unless your settings have their own):
${lines.join('\n')}
  Their rooms appear next to Meet's within a minute (EnableX's when a session ends: it announces no start).
  To send one yourself, give the trigger the same settings, e.g.
  ${'LIVEKIT_API_KEY' in fromDemo ? `LIVEKIT_API_KEY=devkey LIVEKIT_API_SECRET=${fromDemo.LIVEKIT_API_SECRET} ` : ''}npm run trigger -- --source livekit room_started --room "Daily Standup"
`;
}

function shellWord(value: string): string {
  return /^[\w.,:/@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** One step of made-up activity: start a meeting, record, stop a recording or end a meeting. */
async function simulateActivity(meet: MeetSimulator): Promise<void> {
  const rooms = meet.rooms().filter((room) => room.status !== 'closed');
  const idle = rooms.filter((room) => !room.meeting);
  const busy = rooms.filter((room) => room.meeting);
  const recording = busy.flatMap((room) => room.recordings.filter((r) => r.status === 'active'));
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
  try {
    if (recording.length > 0 && Math.random() < 0.6) {
      await meet.stopRecording(pick(recording).recordingId);
    } else if (busy.length > 0 && Math.random() < 0.4) {
      const room = pick(busy);
      if (!room.recordings.some((r) => r.status !== 'complete' && r.status !== 'failed' && r.status !== 'aborted')) {
        await meet.startRecording(room.roomId);
      } else {
        meet.endMeeting(room.roomId);
      }
    } else if (idle.length > 0 && (busy.length === 0 || Math.random() < 0.5)) {
      meet.join(pick(idle).roomId, { name: 'Demo user', role: 'moderator' });
    } else if (busy.length > 0) {
      meet.endMeeting(pick(busy).roomId);
    }
  } catch {
    // A step that does not fit the room's current state (e.g. it changed meanwhile) is simply skipped.
  }
}

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(1);
}

await main();
