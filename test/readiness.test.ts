import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { startTestServer } from './helpers/server.js';
import { freePort } from './helpers/process.js';
import { mountTmpfs } from './helpers/mount.js';
import { meetingStarted, post } from './helpers/meet.js';
import { eventually } from './helpers/stack.js';

const readyz = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
};

/** Writes zeros to `file` until the file system says it is full. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

test('/readyz answers 503 with the reason while the disk is full, /healthz stays up, and both recover by themselves', async (t) => {
  const disk = mountTmpfs(t, 'size=4m');
  if (!disk) return;
  const server = await startTestServer({ OV_MEET_SERVER_URL: `http://127.0.0.1:${await freePort()}` }, path.join(disk.dir, 'data'));
  try {
    assert.deepEqual(await readyz(server.url), { status: 200, body: { status: 'ready' } });
    assert.equal((await post(server.url, meetingStarted())).status, 200);

    const filler = path.join(disk.dir, 'filler');
    fillDisk(filler);
    // Commits may still fit in space SQLite already holds; send until the store refuses one (bounded).
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 2000 && !refused; i++) {
      const answer = await post(server.url, meetingStarted());
      if (answer.status !== 200) refused = answer;
    }
    assert.ok(refused, 'the store never refused a commit on a full disk');
    assert.equal(refused.status, 503);

    const notReady = await readyz(server.url);
    assert.equal(notReady.status, 503);
    assert.equal(notReady.body.status, 'not_ready');
    assert.match(notReady.body.reason!, /^the store cannot commit: SQLITE_FULL: database or disk is full$/);
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200, 'liveness: the process still serves; a restart would not free the disk');

    // Space comes back; nothing else writes, yet readiness returns on its own (its probe commits).
    rmSync(filler);
    await eventually(() => readyz(server.url), (answer) => answer.status === 200);
    assert.equal((await post(server.url, meetingStarted())).status, 200);
  } finally {
    await server.stop();
    disk.unmount();
  }
});
