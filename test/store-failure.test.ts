// A store that cannot commit must not be acknowledged: with DATA_DIR on a small filesystem filled to the
// last byte, a webhook gets 503 (the platform retries it), and the very same delivery is stored once the
// disk has room again. Real SQLite, real ENOSPC: DATA_DIR is a tmpfs mounted for this test (needs root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { health, makeDataDir, startTestServer, type TestServer } from './helpers/server.js';
import { meetingStarted, post } from './helpers/meet.js';
import { eventFrames, openSse } from './helpers/sse.js';

/** Writes `file` until the filesystem has not one byte left. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (let size = 1024 * 1024; size >= 1; size = Math.floor(size / 2)) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

test('a webhook the store cannot commit (disk full) is answered 503, not 200, and the same delivery is stored once the disk has room', async (t) => {
  const dataDir = makeDataDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'roomwatch-test', dataDir], { stdio: 'ignore' });
  } catch {
    rmSync(dataDir, { recursive: true, force: true });
    t.skip('mounting a small tmpfs needs root (CAP_SYS_ADMIN)');
    return;
  }
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ OV_MEET_SERVER_URL: 'http://127.0.0.1:9' }, dataDir);
    assert.equal((await post(server.url, meetingStarted())).status, 200);
    const sse = await openSse(`${server.url}/events`);
    const before = await health(server.url);

    const filler = path.join(dataDir, 'filler');
    fillDisk(filler);
    const delivery = meetingStarted();
    const response = await fetch(`${server.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal(((await response.json()) as { error: string }).error, 'storage_unavailable');
    assert.equal((await health(server.url)).latestSeq, before.latestSeq);

    // The platform retries the same bytes once the disk has room: stored now, once, and streamed once.
    rmSync(filler);
    const retried = await post(server.url, delivery);
    assert.equal(retried.status, 200);
    const [seq] = retried.json.stored as number[];
    assert.deepEqual(retried.json, { stored: [seq], repeated: [] });
    assert.deepEqual((await post(server.url, delivery)).json, { stored: [], repeated: [seq] });
    const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).length >= 1));
    assert.deepEqual(frames.map((f) => [f.id, f.data]), [[String(seq), delivery.body]]);
    sse.close();
  } finally {
    await server?.stop();
    execFileSync('umount', [dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
