// Starts a real roomwatch (real SQLite file, real HTTP on 127.0.0.1) for one test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startRoomwatch, type Roomwatch, type RoomwatchOptions } from '../../server/roomwatch.js';
import { unreachableUrl } from './unreachable.js';

export interface TestServer extends Roomwatch {
  dataDir: string;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'roomwatch-test-'));
}

/**
 * `env` overrides the settings, by their environment names (e.g. { SSE_HEARTBEAT_MS: '200' }). Unless it
 * names one, the Meet API is a port where nothing answers: never whatever runs on this machine's :9080.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  dataDir = makeDataDir(),
  options: RoomwatchOptions = {},
): Promise<TestServer> {
  const config = loadConfig({
    SERVER_HOST: '127.0.0.1',
    SERVER_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    OV_MEET_SERVER_URL: await unreachableUrl(),
    ...env,
  });
  const roomwatch = await startRoomwatch(config, createLogger(config.logLevel, false), options);
  return Object.assign(roomwatch, {
    dataDir,
    dispose: async () => {
      await roomwatch.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export async function health(url: string): Promise<{ latestSeq: number; sseClients: number; webhooks: { stored: number; repeats: number; refused: Record<string, number> } }> {
  const response = await fetch(`${url}/healthz`);
  return (await response.json()) as never;
}
