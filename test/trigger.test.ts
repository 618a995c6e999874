import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { health, startTestServer, type TestServer } from './helpers/server.js';
import { eventFrames, openSse } from './helpers/sse.js';

const run = promisify(execFile);
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.dispose());

async function trigger(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'tools/trigger.ts', ...args, '--url', `${server.url}/webhook`]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('every Meet event type is sent signed, accepted and streamed with a realistic payload', async () => {
  const sse = await openSse(`${server.url}/events`);
  const cases: [string[], string, (data: Record<string, unknown>) => void][] = [
    [['meetingStarted', '--room', 'Design Review'], 'meetingStarted', (d) => assert.equal(d.status, 'active_meeting')],
    [['meetingEnded', '--room', 'Design Review'], 'meetingEnded', (d) => assert.equal(d.status, 'open')],
    [['meetingEnded', '--room', 'Design Review', '--status', 'deleted'], 'meetingEnded', (d) => assert.equal(d.meetingEndAction, 'delete')],
    [['recordingStarted', '--room', 'Design Review'], 'recordingStarted', (d) => assert.equal(d.status, 'starting')],
    [['recordingUpdated', '--room', 'Design Review', '--status', 'ending'], 'recordingUpdated', (d) => assert.equal(d.status, 'ending')],
    [['recordingEnded', '--room', 'Design Review'], 'recordingEnded', (d) => assert.equal(d.size, 8734211)],
    [['testEvent'], 'testEvent', (d) => assert.equal(d.message, 'This is a test webhook event')],
  ];
  for (const [args] of cases) {
    const result = await trigger(...args);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /← delivery: 200/);
  }
  const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).length === cases.length));
  frames.forEach((frame, i) => {
    const payload = JSON.parse(frame.data) as { event: string; data: Record<string, unknown> };
    assert.equal(payload.event, cases[i]![1]);
    cases[i]![2](payload.data);
  });
  // The same room name is the same room, across runs.
  const roomIds = frames.slice(0, 6).map((f) => (JSON.parse(f.data) as { data: { roomId: string } }).data.roomId);
  assert.equal(new Set(roomIds).size, 1);
  sse.close();
});

test('--repeat N re-delivers the same bytes N times: stored once, N repeats', async () => {
  const before = await health(server.url);
  const result = await trigger('recordingUpdated', '--repeat', '3', '--room', 'Retry Room');
  assert.equal(result.code, 0, result.stderr);
  const after = await health(server.url);
  assert.equal(after.webhooks.stored - before.webhooks.stored, 1);
  assert.equal(after.webhooks.repeats - before.webhooks.repeats, 3);
  assert.equal(result.stdout.match(/"repeated":\[\d+\]/g)?.length, 3);
});

for (const [flag, reason] of [
  ['--stale', 'stale_timestamp'],
  ['--future', 'future_timestamp'],
  ['--bad-signature', 'signature_mismatch'],
]) {
  test(`${flag} produces a ${reason} refusal on purpose`, async () => {
    const before = await health(server.url);
    const result = await trigger('meetingStarted', flag!);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`401 .*${reason}`));
    const after = await health(server.url);
    assert.equal(after.latestSeq, before.latestSeq);
    assert.equal(after.webhooks.refused[reason!], (before.webhooks.refused[reason!] ?? 0) + 1);
  });
}

test('an unknown event or a bad option is a usage error', async () => {
  const result = await trigger('meetingExploded');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown event "meetingExploded"/);
  assert.match(result.stderr, /usage: npm run trigger/);
});

test('a receiver that is not running is reported plainly', async () => {
  const { code, stderr } = await run(process.execPath, ['--import', 'tsx', 'tools/trigger.ts', 'testEvent', '--url', 'http://127.0.0.1:9/webhook']).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(code, 1);
  assert.match(stderr, /could not reach http:\/\/127\.0\.0\.1:9\/webhook.*Is roomwatch running/);
});
