// Starts the two servers the bench compares, each as a fresh process on 127.0.0.1: the project's
// built server (with a fresh data dir) and the bare node:http reference server.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { MEET_API_KEY } from '../load/meet-webhooks.js';
import { makeScratchDir, removeScratchDir, stopChild, track } from './cleanup.js';

export type ServerKind = 'project' | 'reference';

export interface ServerUnderTest {
  readonly kind: ServerKind;
  readonly port: number;
  readonly pid: number;
  /** The project server's `GET /healthz` answer; undefined for the reference, which has none. */
  health(): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT_MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
const REFERENCE_MAIN = fileURLToPath(new URL('../reference-server.ts', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const OUTPUT_LINES_KEPT = 30;

export function startServer(kind: ServerKind): Promise<ServerUnderTest> {
  return kind === 'project' ? startProjectServer() : startReferenceServer();
}

/**
 * `node dist/server/main.js` (run `npm run build` first), ready once GET /healthz answers. On a fresh
 * data dir unless given one (a scratch dir of makeScratchDir, filled beforehand), removed at stop; `prepare`
 * fills it before the server starts (a store with history); `env` adds settings (FORWARD_TO, DATABASE_URL).
 */
export async function startProjectServer({
  dataDir = makeScratchDir('roomwatch-bench-'),
  env = {},
  prepare,
}: { dataDir?: string; env?: Record<string, string>; prepare?: (dataDir: string) => Promise<void> } = {}): Promise<ServerUnderTest> {
  const port = await findFreePort();
  try {
    await prepare?.(dataDir);
  } catch (error) {
    removeScratchDir(dataDir);
    throw error;
  }
  // A minimal environment, and the data dir as working directory so that no .env file joins in.
  const child = track(
    spawn(process.execPath, [...serverNodeArgs(), PROJECT_MAIN], {
      cwd: dataDir,
      env: {
        PATH: process.env.PATH,
        SERVER_HOST: '127.0.0.1',
        SERVER_PORT: String(port),
        DATA_DIR: dataDir,
        OV_MEET_API_KEY: MEET_API_KEY,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const output = keepLastLines(child);
  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw new Error(`GET /healthz answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const stop = async () => {
    await stopChild(child);
    removeScratchDir(dataDir);
  };
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the project server exited with code ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`the project server did not answer GET /healthz within ${START_TIMEOUT_MS} ms`);
      if (await health().then(() => true, () => false)) break;
      await sleep(50);
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`, { cause: error });
  }
  return { kind: 'project', port, pid: child.pid!, health, stop };
}

/** `bench/reference-server.ts` on a port of its choosing, ready once it prints its listening line. */
export async function startReferenceServer(): Promise<ServerUnderTest> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', REFERENCE_MAIN, '--port=0'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, OV_MEET_API_KEY: MEET_API_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const output = keepLastLines(child);
  const stop = () => stopChild(child);
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the reference server was not ready within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.stdout!.on('data', () => {
        const listening = output.map((line) => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1]).find(Boolean);
        if (listening === undefined) return;
        clearTimeout(timer);
        resolve(Number(listening));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the reference server exited with code ${code}`));
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`, { cause: error });
  }
  return { kind: 'reference', port, pid: child.pid!, health: async () => undefined, stop };
}

/** The server's last output lines, to show when it fails. Reading them also keeps its pipes from filling. */
function keepLastLines(child: ChildProcess): string[] {
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (text: string) => {
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
    });
  }
  return lines;
}

/**
 * A port below Linux's ephemeral range (32768–60999): ports handed out for outgoing connections (the
 * bench opens thousands) and to servers listening on port 0 (tests running beside the bench) never
 * land there, so nobody takes it between this probe and the server's own listen.
 */
async function findFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('found no free port between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Node options for the project server, from BENCH_SERVER_NODE_ARGS (space-separated): e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes (NODE_OPTIONS refuses --cpu-prof).
 */
function serverNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}
