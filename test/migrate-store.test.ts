// `npm run migrate-store`: a single instance's SQLite store moves into PostgreSQL whole — the same log
// (ids and bytes), the same rooms, refusals and epoch — so that a dashboard resumes on the PostgreSQL
// instance without a reload. Real processes, the real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { startServerProcess, type ServerProcess } from './helpers/process.js';
import { makeDataDir } from './helpers/server.js';
import { meetingStarted, signed, post } from './helpers/meet.js';
import { openSse, type SseFrame } from './helpers/sse.js';

const run = promisify(execFile);
const migrate = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'tools/migrate-store.ts', ...args], { env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

const logEntries = (frames: SseFrame[]) => frames.filter((frame) => frame.id !== undefined).map((frame) => `${frame.id} ${frame.event ?? ''} ${frame.data}`);

async function readLog(server: ServerProcess, through: number): Promise<SseFrame[]> {
  const sse = await openSse(`${server.url}/events?since=0`);
  await sse.waitFor((frames) => frames.some((frame) => Number(frame.id) >= through), 10_000);
  sse.close();
  return sse.frames;
}

const stateOf = async (server: ServerProcess) => {
  const state = (await (await fetch(`${server.url}/api/state`)).json()) as { rooms: unknown[]; recordings: unknown[]; epoch: string };
  return { rooms: state.rooms, recordings: state.recordings, epoch: state.epoch };
};

test('a SQLite store moves into PostgreSQL with its log, rows, refusals and epoch; a second run refuses a used database', { skip: postgresSkipReason }, async (t) => {
  const dataDir = makeDataDir();
  const db = await createTestDatabase();
  t.after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  });

  const sqlite = await startServerProcess({ DATA_DIR: dataDir });
  t.after(() => void sqlite.child.kill('SIGKILL'));
  let latest = 0;
  for (let index = 0; index < 30; index++) {
    const { json } = await post(sqlite.url, meetingStarted());
    latest = Math.max(latest, ...(json.stored as number[]));
  }
  assert.equal((await post(sqlite.url, signed('{"event":"meetingStarted"}', Date.now(), 'a-wrong-key'))).status, 401);
  const before = await readLog(sqlite, latest);
  const stateBefore = await stateOf(sqlite);
  const refusalsBefore = ((await (await fetch(`${sqlite.url}/api/events?outcome=refused`)).json()) as { entries: unknown[] }).entries;
  sqlite.child.kill('SIGTERM');
  await sqlite.exited;

  const moved = await migrate(['--to', db.url, '--data-dir', dataDir]);
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /events: \d[\d,]* \/ \d[\d,]* \(100%\)/, 'progress is printed');
  assert.match(moved.stdout, /done: \d+ log entries/);

  const pg = await startServerProcess({ DATABASE_URL: db.url });
  t.after(() => void pg.child.kill('SIGKILL'));
  const after = await readLog(pg, latest);
  assert.deepEqual(logEntries(after).slice(0, logEntries(before).length), logEntries(before), 'the same entries, ids and bytes');
  // The same rows, and the same epoch: a page's cursor from the SQLite instance resumes here.
  assert.deepEqual(await stateOf(pg), stateBefore);
  const refusalsAfter = ((await (await fetch(`${pg.url}/api/events?outcome=refused`)).json()) as { entries: unknown[] }).entries;
  assert.deepEqual(refusalsAfter, refusalsBefore);

  // New webhooks continue the sequence after the last entry copied (the room change of the last webhook).
  const lastCopied = Math.max(...before.filter((frame) => frame.id !== undefined).map((frame) => Number(frame.id)));
  const { json } = await post(pg.url, meetingStarted());
  assert.equal((json.stored as number[])[0], lastCopied + 1);

  const again = await migrate(['--to', db.url, '--data-dir', dataDir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds a roomwatch store/);
});

test('migrate-store says what is wrong: no --to, not a postgres URL, no store in the directory', async () => {
  const missing = await migrate([]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--to is missing/);
  const mysql = await migrate(['--to', 'mysql://root@127.0.0.1/x']);
  assert.match(mysql.stderr, /must be a postgres:\/\/ or postgresql:\/\/ URL/);
  const empty = makeDataDir();
  try {
    const none = await migrate(['--to', 'postgres://root@127.0.0.1:1/none', '--data-dir', empty]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /there is no roomwatch store at .*roomwatch\.db/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
