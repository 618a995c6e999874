// npm run demo: the OpenVidu Meet simulator and roomwatch wired together, with a few rooms and a little
// activity (meetings starting and ending, recordings), so a newcomer sees live badges in a minute; next
// to Meet, simulated OpenVidu 2, LiveKit, LiveSwitch and EnableX senders with demo credentials, so the
// rooms screen shows every platform side by side.
import dotenv from 'dotenv';
import { loadConfig, ConfigError, type Config } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startRoomwatch } from '../server/roomwatch.js';
import { seedDemoData, startMeetSimulator, type MeetSimulator } from './meet-sim/index.js';
import { LOST_LIVEKIT_END_MS, LOST_LIVEKIT_ROOM, startPlatformActivity } from './platform-sim/activity.js';
import { createPlatformSimulators } from './platform-sim/index.js';
import { webhookUrl } from './platforms/deliver.js';
import { PLATFORMS } from '../server/platforms/index.js';

dotenv.config({ quiet: true });

const MEET_PORT = Number(process.env.DEMO_MEET_PORT ?? 9080);
/** The simulated LiveKit's server API, on LiveKit's own default port. */
const LIVEKIT_PORT = Number(process.env.DEMO_LIVEKIT_PORT ?? 7880);
/** How often the demo's roomwatch reads each platform API again, unless RECONCILE_INTERVAL_MS says otherwise. */
const DEMO_RECONCILE_INTERVAL_MS = '15000';
const ACTIVITY_EVERY_MS = 8000;
const PLATFORM_ACTIVITY_EVERY_MS = 5000;

/** Credentials of the simulated platforms, used unless the environment or .env sets that platform's own. */
const DEMO_CREDENTIALS: Record<string, string> = {
  // OpenVidu's own documentation example: Basic OPENVIDUAPP:MY_SECRET.
  OPENVIDU_WEBHOOK_HEADERS: '["Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU"]',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'demo-livekit-api-secret-for-roomwatch',
  LIVEKIT_URL: `http://localhost:${LIVEKIT_PORT}`,
  LIVESWITCH_SHARED_SECRET: 'demo-liveswitch-shared-secret',
  ENABLEX_WEBHOOK_USER: 'enablex-demo',
  ENABLEX_WEBHOOK_PASSWORD: 'demo-enablex-password',
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
  let config: Config;
  const fromDemo = demoCredentials(process.env);
  try {
    // The demo keeps its own store, so it never mixes with a real one under ./data.
    config = loadConfig({ DATA_DIR: './data/demo', RECONCILE_INTERVAL_MS: DEMO_RECONCILE_INTERVAL_MS, ...fromDemo, ...process.env, OV_MEET_SERVER_URL: `http://localhost:${MEET_PORT}` });
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }

  const meet = await startMeetSimulator({ port: MEET_PORT, publicUrl: `http://localhost:${MEET_PORT}`, apiKey: config.platforms.meet?.apiKeys[0] }).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === 'EADDRINUSE' ? `port ${MEET_PORT} is in use (a real Meet?); set DEMO_MEET_PORT to another port` : error.message),
  );
  // LiveKit's REST API answers before roomwatch starts, so that its first read finds it (with demo settings only).
  // LiveKit rooms end 20 s after their last participant leaves, as LiveKit's departureTimeout does.
  const platforms = createPlatformSimulators(config.platforms, undefined, { livekit: { departureTimeoutMs: 20_000 } });
  if (platforms.livekit && 'LIVEKIT_URL' in fromDemo) {
    await platforms.livekit.listen(LIVEKIT_PORT).catch(async (error: NodeJS.ErrnoException) => {
      await meet.stop();
      fail(error.code === 'EADDRINUSE' ? `port ${LIVEKIT_PORT} is in use (a real LiveKit?); set DEMO_LIVEKIT_PORT to another port` : error.message);
    });
  }
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const roomwatch = await startRoomwatch(config, log).catch(async (error: NodeJS.ErrnoException) => {
    platforms.stop();
    await meet.stop();
    fail(error.code === 'EADDRINUSE' ? `port ${config.port} is in use; stop the other process or set SERVER_PORT` : error.message);
  });
  const local = `http://127.0.0.1:${new URL(roomwatch.url).port}`;
  meet.setWebhookUrl(`${local}/webhook`);
  if (meet.rooms().length === 0) seedDemoData(meet);
  platforms.setRoomwatchUrl(local);
  const platformActivity = startPlatformActivity(platforms, PLATFORM_ACTIVITY_EVERY_MS);

  const dashboard = roomwatch.url.replace('127.0.0.1', 'localhost');
  console.log(`
  roomwatch demo is running

    Dashboard               ${dashboard}
    OpenVidu Meet simulator ${meet.url.replace('127.0.0.1', 'localhost')}  (API ${meet.apiUrl}, key ${meet.apiKey})
    Data                    ${config.store.dataDir}

${platformSummary(config, fromDemo, dashboard)}${livekitApiSummary(platforms.livekit?.apiUrl, config.reconcileIntervalMs)}
  Every ${ACTIVITY_EVERY_MS / 1000} s a simulated user starts or ends a meeting or a recording; "Join" in the
  dashboard opens a simulated meeting whose Leave button ends it. Send your own events with
  npm run trigger -- meetingStarted --room "Daily Standup". Ctrl-C stops everything.
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
        .then(() => Promise.all([meet.stop(), roomwatch.stop()]))
        .then(() => process.exit(0));
    });
  }
}

/** The lines about the other platforms: where each posts, and with which credentials (demo ones shown; the user's own never). */
function platformSummary(config: Config, fromDemo: Record<string, string>, dashboard: string): string {
  // Meet has its own simulator, described above; the others are simulated senders.
  const simulated = PLATFORMS.filter((platform) => platform.settings.enabledBy !== undefined);
  const width = Math.max(...simulated.map((platform) => platform.label.length)) + ' simulator'.length + 2;
  const lines = simulated.map((platform) => {
    const path = new URL(webhookUrl(dashboard, platform.id)).pathname;
    if (!config.platforms[platform.id]) return `    ${platform.label.padEnd(width)}off (its settings are incomplete)`;
    const names = Object.keys(platform.settings.variables).filter((name) => name in fromDemo);
    const credentials = names.length > 0 ? names.map((name) => `${name}=${shellWord(fromDemo[name]!)}`).join(' ') : 'your own settings';
    return `    ${`${platform.label} simulator`.padEnd(width)}${path.padEnd(20)}${credentials}`;
  });
  return `  Other platforms, simulated, posting to roomwatch (demo credentials unless your settings have their own):
${lines.join('\n')}
  Their rooms appear next to Meet's within a minute (EnableX's when a session ends: it announces no start).
  To send one yourself, give the trigger the same settings, e.g.
  ${'LIVEKIT_API_KEY' in fromDemo ? `LIVEKIT_API_KEY=devkey LIVEKIT_API_SECRET=${fromDemo.LIVEKIT_API_SECRET} ` : ''}npm run trigger -- --source livekit room_started --room "Daily Standup"
`;
}

/** What the demo shows of LiveKit's API: where it is, and the room whose end webhook it loses on purpose. */
function livekitApiSummary(apiUrl: string | undefined, intervalMs: number): string {
  if (apiUrl === undefined) return '';
  return `  LiveKit's server API is simulated too (LIVEKIT_URL above): roomwatch reads its rooms and egresses every
  ${intervalMs / 1000} s, and "End" / "Stop" on LiveKit rows go through it. "${LOST_LIVEKIT_ROOM}" ends after ${LOST_LIVEKIT_END_MS / 1000} s with its
  room_finished lost, as LiveKit drops events: roomwatch closes it at its next read.
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
