// The Meet simulator and a roomwatch wired together, as `npm run demo` does, on 127.0.0.1.
import { startMeetSimulator, type MeetSimulator, type MeetSimulatorOptions } from '../../tools/meet-sim/index.js';
import { startTestServer, makeDataDir, type TestServer } from './server.js';

export interface Stack {
  meet: MeetSimulator;
  roomwatch: TestServer;
  dispose(): Promise<void>;
}

export async function startStack(
  { meet: meetOptions = {}, env = {}, dataDir = makeDataDir() }: { meet?: MeetSimulatorOptions; env?: Record<string, string>; dataDir?: string } = {},
): Promise<Stack> {
  // The simulator first (roomwatch needs its URL), then tell it where roomwatch listens.
  const meet = await startMeetSimulator({ timing: { startMs: 50, stopMs: 50 }, ...meetOptions });
  const roomwatch = await startTestServer({ OV_MEET_SERVER_URL: meet.url, ...env }, dataDir);
  meet.setWebhookUrl(`${roomwatch.url}/webhook`);
  return {
    meet,
    roomwatch,
    dispose: async () => {
      await meet.stop();
      await roomwatch.dispose();
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
