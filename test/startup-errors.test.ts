import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeDataDir, startTestServer } from './helpers/server.js';
import { runRoomwatch } from './helpers/child.js';
import { mountTmpfs } from './helpers/mount.js';
import { meetingStarted, post } from './helpers/meet.js';
import Database from 'better-sqlite3';

const NOBODY = 65534;

/** Starts main.ts, expects it to exit 1, and returns its one line. */
async function failedStart(env: Record<string, string>, user?: number): Promise<string> {
  const roomwatch = await runRoomwatch(env, user === undefined ? {} : { uid: user, gid: user });
  if (roomwatch.started) {
    roomwatch.child.kill('SIGKILL');
    assert.fail(`roomwatch started; it should have refused to:\n${roomwatch.output()}`);
  }
  assert.equal(await roomwatch.exited, 1);
  const lines = roomwatch.errors().trim().split('\n');
  assert.equal(lines.length, 1, roomwatch.errors());
  return lines[0]!;
}

test('DATA_DIR under a regular file: one line naming DATA_DIR and the file in the way', async () => {
  const parent = makeDataDir();
  try {
    writeFileSync(path.join(parent, 'file'), '');
    const dataDir = path.join(parent, 'file', 'data');
    assert.equal(
      await failedStart({ DATA_DIR: dataDir }),
      `roomwatch: DATA_DIR ${dataDir} cannot be created: ${path.join(parent, 'file')} is a file, not a directory; set DATA_DIR to a directory path`,
    );
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('DATA_DIR=/proc/… stops at once with one line, instead of hanging', async () => {
  assert.equal(
    await failedStart({ DATA_DIR: '/proc/roomwatch-data' }),
    'roomwatch: DATA_DIR /proc/roomwatch-data cannot be created (/proc does not allow new directories, ENOENT); create it yourself, or set DATA_DIR to a writable directory',
  );
});

test('DATA_DIR on a read-only file system: one line naming DATA_DIR, not "unable to open database file"', async (t) => {
  const mounted = mountTmpfs(t, 'size=1m,ro');
  if (!mounted) return;
  try {
    const line = await failedStart({ DATA_DIR: mounted.dir });
    assert.match(line, new RegExp(`^roomwatch: DATA_DIR ${mounted.dir} is not writable \\(read-only file system, EROFS\\); give the user running roomwatch \\(uid \\d+\\) write access to it, or set DATA_DIR to a writable directory$`));
  } finally {
    mounted.unmount();
  }
});

test('as a user who may not write DATA_DIR: one line naming DATA_DIR, never a port', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to run roomwatch as another user');
  const closed = directoryOthersCannotEnter(process.cwd());
  if (closed) return t.skip(`the other user cannot reach the project: ${closed} is closed to others (a checkout under mktemp -d is)`);
  const parent = makeDataDir();
  chmodSync(parent, 0o755); // others may look in, not write
  try {
    // Missing, under a directory it cannot write: this EACCES was reported as "not allowed to listen on port".
    const missing = path.join(parent, 'data');
    assert.equal(
      await failedStart({ DATA_DIR: missing, HOME: parent }, NOBODY),
      `roomwatch: DATA_DIR ${missing} cannot be created (permission denied, EACCES); create it yourself, or set DATA_DIR to a writable directory`,
    );
    // Existing, not writable: this was "unable to open database file".
    mkdirSync(missing);
    assert.equal(
      await failedStart({ DATA_DIR: missing, HOME: parent }, NOBODY),
      `roomwatch: DATA_DIR ${missing} is not writable (permission denied, EACCES); give the user running roomwatch (uid ${NOBODY}) write access to it, or set DATA_DIR to a writable directory`,
    );
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

/** The first directory on the way to `dir` that other users may not enter, if any. */
function directoryOthersCannotEnter(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

test('a port in use is still reported as a port problem', async () => {
  const blocker = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  const { port } = blocker.address() as net.AddressInfo;
  const dataDir = makeDataDir();
  try {
    assert.equal(
      await failedStart({ DATA_DIR: dataDir, SERVER_PORT: String(port) }),
      `roomwatch: port ${port} is already in use; stop the other process or set SERVER_PORT`,
    );
  } finally {
    blocker.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a damaged database stops start-up with one line naming the file and what to do; moved aside, it starts empty', async () => {
  const dataDir = makeDataDir();
  try {
    const first = await startTestServer({}, dataDir);
    for (let i = 0; i < 300; i++) assert.equal((await post(first.url, meetingStarted())).status, 200);
    await first.stop(); // closing checkpoints the WAL into the file
    const file = path.join(dataDir, 'roomwatch.db');
    assert.ok(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0);

    // Overwrite a few pages in the middle of the events table with garbage, as a failing disk or a bad copy
    // would: pages that start-up and new appends never read, so only a check of the file notices them.
    const pageSize = readPageSize(file);
    const fd = openSync(file, 'r+');
    for (const page of middleEventPages(file, 4)) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);

    const line = await failedStart({ DATA_DIR: dataDir });
    assert.match(
      line,
      new RegExp(
        `^roomwatch: the database file ${file} \\(under DATA_DIR\\) is damaged \\(.+\\); restore it from a backup, or move it aside with its -wal and -shm files to start with an empty store$`,
      ),
    );

    renameSync(file, `${file}.damaged`);
    const fresh = await runRoomwatch({ DATA_DIR: dataDir });
    assert.ok(fresh.started, fresh.output());
    fresh.child.kill('SIGTERM');
    assert.equal(await fresh.exited, 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Page numbers of `count` leaf pages of the events table, from its middle (SQLite's dbstat table). */
function middleEventPages(file: string, count: number): number[] {
  const db = new Database(file, { readonly: true });
  try {
    const leaves = db
      .prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY path")
      .all()
      .map((row) => row.pageno);
    const middle = Math.floor(leaves.length / 2);
    assert.ok(leaves.length > count * 4, `the events table has only ${leaves.length} leaf pages`);
    return leaves.slice(middle, middle + count);
  } finally {
    db.close();
  }
}

/** SQLite's page size, from the file header (bytes 16–17, big-endian; 1 means 65536). */
function readPageSize(file: string): number {
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  readSync(fd, header, 0, 100, 0);
  closeSync(fd);
  const size = header.readUInt16BE(16);
  return size === 1 ? 65536 : size;
}

test('a malformed PUBLIC_URL stops start-up with one line naming it and what it must be', async () => {
  const dataDir = makeDataDir();
  try {
    assert.equal(
      await failedStart({ DATA_DIR: dataDir, SERVER_PORT: '0', PUBLIC_URL: 'roomwatch.example.com/' }),
      'roomwatch: invalid configuration: PUBLIC_URL must be the http:// or https:// address platforms reach roomwatch at, such as https://roomwatch.example.com (a path is allowed; no user, password, query or #) (got "roomwatch.example.com/")',
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
