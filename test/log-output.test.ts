import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, createReadStream, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LogOutput } from '../server/log-output.js';
import { makeDataDir } from './helpers/server.js';
import { freePort } from './helpers/process.js';
import { runRoomwatch } from './helpers/child.js';
import { meetingStarted, post } from './helpers/meet.js';
import { scrape } from './helpers/metrics.js';

test('with stdout on a full disk (/dev/full), roomwatch keeps serving, counts the lost lines, and stops on SIGTERM', async () => {
  const dataDir = makeDataDir();
  const full = openSync('/dev/full', 'w');
  try {
    // debug: every stored webhook writes a line, and every write fails with ENOSPC.
    const roomwatch = await runRoomwatch(
      { DATA_DIR: dataDir, LOG_LEVEL: 'debug', OV_MEET_SERVER_URL: `http://127.0.0.1:${await freePort()}` },
      { stdout: full },
    );
    assert.ok(roomwatch.started, `roomwatch exited at start:\n${roomwatch.output()}`);
    for (let i = 0; i < 20; i++) assert.equal((await post(roomwatch.url, meetingStarted())).status, 200);
    assert.equal((await fetch(`${roomwatch.url}/healthz`)).status, 200);
    const metrics = await scrape(roomwatch.url);
    assert.ok(metrics.value('roomwatch_log_lines_dropped_total')! >= 20, metrics.text);

    roomwatch.child.kill('SIGTERM');
    assert.equal(await roomwatch.exited, 0);
  } finally {
    closeSync(full);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('lines that fail to write are dropped and counted', async () => {
  const full = openSync('/dev/full', 'w');
  try {
    const output = new LogOutput(full);
    const reported: number[] = [];
    output.onDropped((lines) => reported.push(lines));
    for (let i = 0; i < 10; i++) output.write(`{"msg":"line ${i}"}\n`);
    await output.drain(5000);
    assert.equal(output.dropped, 10);
    assert.equal(reported.reduce((a, b) => a + b, 0), 10);
  } finally {
    closeSync(full);
  }
});

test('a stalled reader costs lines beyond the bound, never a wait; the rest arrive in order once it reads', async () => {
  // A FIFO whose reader reads nothing yet: writes block once the pipe's buffer is full.
  const dir = makeDataDir();
  const fifo = path.join(dir, 'log.fifo');
  execFileSync('mkfifo', [fifo]);
  const fd = openSync(fifo, 'r+'); // read-write: opening does not wait for a reader
  try {
    const output = new LogOutput(fd, 64 * 1024);
    const lines = Array.from({ length: 2000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(190 - String(i).length)}"}\n`);
    for (const line of lines) output.write(line); // returns at once every time: nothing here waits
    assert.ok(output.dropped > 0, 'lines beyond the 64 KiB bound are dropped');

    // Now read: everything that was not dropped arrives, whole and in order.
    // Every line has the same length, so the bytes to expect are known; read exactly those (reads in the
    // thread pool: the event loop stays free for the output's own callbacks), then it reports itself drained.
    const expected = (lines.length - output.dropped) * lines[0]!.length;
    const reader = createReadStream(fifo);
    const received: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of reader) {
      received.push(chunk as Buffer);
      if ((bytes += (chunk as Buffer).length) >= expected) break;
    }
    await output.drain(10_000);
    const got = Buffer.concat(received).toString().split('\n').filter(Boolean);
    assert.equal(got.length, lines.length - output.dropped);
    const numbers = got.map((line) => (JSON.parse(line) as { n: number }).n);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    assert.equal(numbers[0], 0);
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
