// Runs roomwatch (`server/main.ts`) as a child process with the stdio and user a test chooses: stdout on
// /dev/full, or as an unprivileged user. Resolves once /healthz answers, or once the child exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './process.js';

export interface Child {
  url: string;
  child: ChildProcess;
  /** What the child wrote to stderr (and stdout, when piped). */
  output(): string;
  /** What it wrote to stderr alone (start-up errors). */
  errors(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | string>;
  /** Whether /healthz answered before the child exited. */
  started: boolean;
}

export async function runRoomwatch(
  env: Record<string, string>,
  { stdout = 'pipe', uid, gid, timeoutMs = 20_000 }: { stdout?: 'pipe' | 'ignore' | number; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, SERVER_HOST: '127.0.0.1', SERVER_PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', stdout, 'pipe'],
    uid,
    gid,
  });
  let output = '';
  let errors = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    errors += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitedYet) return { url, child, output: () => output, errors: () => errors, exited, started: false };
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, output: () => output, errors: () => errors, exited, started: true };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`roomwatch neither started nor exited within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(50);
  }
}
