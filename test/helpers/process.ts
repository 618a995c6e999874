// Runs roomwatch as its own process (`server/main.ts`), for restart and kill -9 tests.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SETTING_NAMES } from '../../server/config.js';
import { unreachableUrl } from './unreachable.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | string>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `env`: settings by their environment names; every other setting has its default, whatever the shell or
 * a .env file says, and the Meet API is a port where nothing answers (see startTestServer).
 */
export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const listenPort = port ?? (await freePort());
  // An empty value means "the default" to loadConfig, and dotenv leaves a variable that is set alone.
  const defaults = Object.fromEntries(SETTING_NAMES.map((name) => [name, '']));
  const settings = { SERVER_HOST: '127.0.0.1', SERVER_PORT: String(listenPort), LOG_LEVEL: 'warn', OV_MEET_SERVER_URL: await unreachableUrl(), ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, ...defaults, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`roomwatch exited at start-up:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`roomwatch did not start within 20 s:\n${output}`);
    }
    await sleep(50);
  }
  return { url, child, output: () => output, exited };
}
