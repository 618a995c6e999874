// Everything the bench leaves on the machine while it runs (child processes, scratch directories) is
// registered here, so that an error or Ctrl-C never leaves a server running or a data dir behind.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const children = new Set<ChildProcess>();
const scratchDirs = new Set<string>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Asks a child to stop (SIGTERM) and kills it if it is still there after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function makeScratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratchDirs.add(dir);
  return dir;
}

export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  scratchDirs.delete(dir);
}

export async function cleanUpEverything(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
  for (const dir of scratchDirs) removeScratchDir(dir);
}

/** Last resort from an 'exit' handler, where nothing asynchronous runs any more. */
export function cleanUpEverythingNow(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of scratchDirs) removeScratchDir(dir);
}
