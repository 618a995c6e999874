// npm run demo: the OpenVidu Meet simulator and roomwatch wired together, with a few rooms and a little
// activity (meetings starting and ending, recordings), so a newcomer sees live badges in a minute.
import dotenv from 'dotenv';
import { loadConfig, ConfigError } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startRoomwatch } from '../server/roomwatch.js';
import { seedDemoData, startMeetSimulator, type MeetSimulator } from './meet-sim/index.js';

dotenv.config({ quiet: true });

const MEET_PORT = Number(process.env.DEMO_MEET_PORT ?? 9080);
const ACTIVITY_EVERY_MS = 8000;

async function main(): Promise<void> {
  let config;
  try {
    // The demo keeps its own store, so it never mixes with a real one under ./data.
    config = loadConfig({ DATA_DIR: './data/demo', ...process.env, OV_MEET_SERVER_URL: `http://localhost:${MEET_PORT}` });
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }

  const meet = await startMeetSimulator({ port: MEET_PORT, publicUrl: `http://localhost:${MEET_PORT}` }).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === 'EADDRINUSE' ? `port ${MEET_PORT} is in use (a real Meet?); set DEMO_MEET_PORT to another port` : error.message),
  );
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const roomwatch = await startRoomwatch(config, log).catch(async (error: NodeJS.ErrnoException) => {
    await meet.stop();
    fail(error.code === 'EADDRINUSE' ? `port ${config.port} is in use; stop the other process or set SERVER_PORT` : error.message);
  });
  meet.setWebhookUrl(`http://127.0.0.1:${new URL(roomwatch.url).port}/webhook`);
  if (meet.rooms().length === 0) seedDemoData(meet);

  const dashboard = roomwatch.url.replace('127.0.0.1', 'localhost');
  console.log(`
  roomwatch demo is running

    Dashboard               ${dashboard}
    OpenVidu Meet simulator ${meet.url.replace('127.0.0.1', 'localhost')}  (API ${meet.apiUrl}, key ${meet.apiKey})
    Data                    ${config.store.dataDir}

  Every ${ACTIVITY_EVERY_MS / 1000} s a simulated user starts or ends a meeting or a recording; "Join" in the
  dashboard opens a simulated meeting whose Leave button ends it. Send your own events with
  npm run trigger -- meetingStarted --room "Daily Standup". Ctrl-C stops everything.
`);

  const timer = setInterval(() => void simulateActivity(meet), ACTIVITY_EVERY_MS);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      clearInterval(timer);
      void Promise.all([meet.stop(), roomwatch.stop()]).then(() => process.exit(0));
    });
  }
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
