// The Meet simulator and a roomwatch wired together, as `npm run demo` does, on 127.0.0.1.
import { startMeetSimulator, type MeetSimulator, type MeetSimulatorOptions } from '../../tools/meet-sim/index.js';
import { startTestServer, makeDataDir, type TestServer } from './server.js';

export interface Stack {
  meet: MeetSimulator;
  /** The current roomwatch (a new one after restartRoomwatch). */
  readonly roomwatch: TestServer;
  /**
   * Stops roomwatch and starts a new one on the same port, with the same data directory or an empty one;
   * `prepare` may fill the new one before roomwatch opens it.
   */
  restartRoomwatch(options?: { freshStore?: boolean; prepare?: (dataDir: string) => Promise<void> }): Promise<void>;
  dispose(): Promise<void>;
}

export interface StackOptions {
  meet?: MeetSimulatorOptions;
  /** roomwatch settings by environment name, e.g. { DASHBOARD_PASSWORD: '…' }. */
  env?: Record<string, string>;
  /** roomwatch's clock (see helpers/clock.ts), kept across restarts. */
  now?: () => number;
}

export async function startStack({ meet: meetOptions = {}, env = {}, now }: StackOptions = {}): Promise<Stack> {
  // The simulator first (roomwatch needs its URL), then tell it where roomwatch listens.
  const meet = await startMeetSimulator({ timing: { startMs: 50, stopMs: 50 }, ...meetOptions });
  const settings = { OV_MEET_SERVER_URL: meet.url, ...env };
  const options = { now };
  let roomwatch = await startTestServer(settings, undefined, options);
  const port = new URL(roomwatch.url).port;
  meet.setWebhookUrl(`${roomwatch.url}/webhook`);
  const retired: TestServer[] = [];
  return {
    meet,
    get roomwatch() {
      return roomwatch;
    },
    restartRoomwatch: async ({ freshStore = false, prepare } = {}) => {
      await roomwatch.stop();
      retired.push(roomwatch);
      const dataDir = freshStore ? makeDataDir() : roomwatch.dataDir;
      await prepare?.(dataDir);
      roomwatch = await startTestServer({ ...settings, SERVER_PORT: port }, dataDir, options);
    },
    dispose: async () => {
      await meet.stop();
      await roomwatch.dispose();
      for (const old of retired) await old.dispose();
    },
  };
}

/** Polls `read` until `check` holds (for state that settles after webhooks and REST reads). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await read();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  } while (Date.now() < deadline);
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last).slice(0, 1500)}`);
}
