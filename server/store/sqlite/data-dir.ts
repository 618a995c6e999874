// Makes sure DATA_DIR is a directory roomwatch can write, or says exactly why not, naming the setting and
// the path. mkdirSync's own `recursive` mode is not used: on /proc it loops forever (every mkdir there
// answers ENOENT, which it takes for a missing parent), so DATA_DIR=/proc/x used to hang silently.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from '../../startup-error.js';

/** Creates the directory (and missing parents) if needed; returns its absolute path. */
export function prepareDataDir(dataDir: string): string {
  const dir = path.resolve(dataDir);
  const missing: string[] = [];
  let existing = dir;
  for (;;) {
    const kind = entryKind(existing);
    if (kind === 'directory') break;
    if (kind === 'other') {
      throw new StartupError(
        existing === dir
          ? `DATA_DIR ${dir} is not a directory; set DATA_DIR to a directory (it is created if missing)`
          : `DATA_DIR ${dir} cannot be created: ${existing} is a file, not a directory; set DATA_DIR to a directory path`,
      );
    }
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  for (const step of missing) {
    try {
      mkdirSync(step);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && entryKind(step) === 'directory') continue;
      throw new StartupError(`DATA_DIR ${dir} cannot be created (${why(error, step)}); create it yourself, or set DATA_DIR to a writable directory`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new StartupError(`DATA_DIR ${dir} is not writable (${why(error, dir)}); ${grantAccess()}`);
  }
  return dir;
}

/** What the operator should do about a directory or file roomwatch cannot write. */
export function grantAccess(): string {
  return `give ${runningUser()} write access to it, or set DATA_DIR to a writable directory`;
}

/** "the user running roomwatch (uid 1000)", for messages about permissions. */
export function runningUser(): string {
  return `the user running roomwatch${process.getuid ? ` (uid ${process.getuid()})` : ''}`;
}

function entryKind(entry: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(entry).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a part of the path is a file; walking up finds it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new StartupError(`DATA_DIR ${entry} cannot be read (${why(error, entry)}); set DATA_DIR to a directory roomwatch can use`);
  }
}

/** A file-system error in words, with its code. */
function why(error: unknown, entry: string): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reason: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the disk',
    EDQUOT: 'disk quota exceeded',
    ENOTDIR: 'a part of the path is a file',
    // A parent that exists but refuses new entries: /proc, /sys and other virtual file systems.
    ENOENT: `${path.dirname(entry)} does not allow new directories`,
  };
  return `${reason[code] ?? (error as Error).message}, ${code}`;
}
