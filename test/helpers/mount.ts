// Real file systems with real limits, for storage failure tests: a tmpfs of a given size (fill it and the
// disk is really full) or mounted read-only. Mounting needs root, as on CI; elsewhere the test is skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

export interface Mounted {
  dir: string;
  unmount(): void;
}

/** Mounts a tmpfs with `options` (e.g. `size=4m`, `ro`); undefined (and the test skipped) when it cannot. */
export function mountTmpfs(t: TestContext, options: string): Mounted | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'roomwatch-mount-'));
  try {
    if (process.getuid?.() !== 0) throw new Error('not root');
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    t.skip(`needs root to mount a tmpfs (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
