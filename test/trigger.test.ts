// npm run trigger against one real roomwatch with every platform configured: what it sends is accepted
// and streamed, its refusals on purpose are refused for the expected reason, and its mistakes are plain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { health, startTestServer, type TestServer } from './helpers/server.js';
import { eventFrames, openSse, type SseFrame } from './helpers/sse.js';

const run = promisify(execFile);

/** The same settings for roomwatch and for the trigger, as a user's .env would give both. */
const PLATFORM_ENV = {
  OPENVIDU_WEBHOOK_HEADERS: JSON.stringify(['Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']),
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'a-livekit-secret-of-32-characters!',
  LIVESWITCH_SHARED_SECRET: 'liveswitch-secret',
  ENABLEX_WEBHOOK_USER: 'enx',
  ENABLEX_WEBHOOK_PASSWORD: 'enx-password',
};

let server: TestServer;
before(async () => {
  server = await startTestServer(PLATFORM_ENV);
});
after(() => server.dispose());

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function runTrigger(args: string[], env: NodeJS.ProcessEnv = { ...process.env, ...PLATFORM_ENV }): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'tools/trigger.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Meet, as the trigger was first written: its path is /webhook. */
function trigger(...args: string[]): Promise<Result> {
  return runTrigger([...args, '--url', `${server.url}/webhook`]);
}

/** Another platform, on its own path. */
function triggerSource(source: string, ...args: string[]): Promise<Result> {
  return runTrigger(['--source', source, ...args, '--url', `${server.url}/webhook/${source}`]);
}

interface WebhookFrame {
  source: string;
  type: string;
  payload: Record<string, unknown>;
}

const webhookFrames = (frames: SseFrame[]) => frames.filter((f) => f.event === 'webhook').map((f) => JSON.parse(f.data) as WebhookFrame);

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

// ── The other platforms ────────────────────────────────────────────────────────────────────────────

const LIFECYCLES: Record<string, string[]> = {
  // OpenVidu 2 (providers.md §1.6): `ready` after sessionDestroyed.
  openvidu: [
    'sessionCreated',
    'participantJoined',
    'webrtcConnectionCreated',
    'participantJoined',
    'webrtcConnectionCreated',
    'recordingStatusChanged',
    'webrtcConnectionDestroyed',
    'participantLeft',
    'webrtcConnectionDestroyed',
    'participantLeft',
    'recordingStatusChanged',
    'sessionDestroyed',
    'recordingStatusChanged',
  ],
  livekit: [
    'room_started',
    'participant_joined',
    'participant_joined',
    'egress_started',
    'egress_updated',
    'egress_updated',
    'egress_ended',
    'participant_left',
    'participant_left',
    'room_finished',
  ],
  liveswitch: [
    'channel.activated',
    'client.registered',
    'connection.connected',
    'client.registered',
    'connection.connected',
    'connection.closed',
    'client.unregistered',
    'connection.closed',
    'client.unregistered',
    'channel.deactivated',
  ],
  enablex: ['roomdrop', 'recording', 'transcoded', 'file-transfer'],
};

for (const [source, types] of Object.entries(LIFECYCLES)) {
  test(`${source}: a whole session is sent with ${source}'s own authentication, each event accepted and streamed in order`, async () => {
    const sse = await openSse(`${server.url}/events`);
    const result = await triggerSource(source, 'lifecycle', '--room', 'Lifecycle Room');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.match(/← delivery: 200 \{"stored":\[\d+\],"repeated":\[\]\}/g)?.length, types.length, result.stdout);
    const frames = webhookFrames(await sse.waitFor((all) => webhookFrames(all).length === types.length));
    assert.deepEqual(frames.map((f) => f.source), types.map(() => source));
    assert.deepEqual(frames.map((f) => f.type), types);
    sse.close();

    const payloads = frames.map((f) => f.payload);
    if (source === 'openvidu') {
      assert.deepEqual(payloads.filter((p) => p.event === 'recordingStatusChanged').map((p) => p.status), ['started', 'stopped', 'ready']);
      // One session instance throughout, keyed as OpenVidu 2.17+ does, with ms timestamps.
      assert.equal(new Set(payloads.map((p) => p.uniqueSessionId)).size, 1);
      assert.match(String(payloads[0]!.uniqueSessionId), /^Lifecycle-Room_\d{13}$/);
      assert.ok(payloads.every((p) => typeof p.timestamp === 'number' && p.timestamp > 1e12));
    }
    if (source === 'livekit') {
      assert.ok(payloads.every((p) => /^EV_[A-Za-z0-9]{12}$/.test(String(p.id)) && /^\d{10}$/.test(String(p.createdAt))));
      assert.equal(new Set(payloads.map((p) => p.id)).size, payloads.length, 'every event has its own id');
      const ended = payloads.find((p) => p.event === 'egress_ended')!.egressInfo as { status: string; fileResults: { location: string; duration: string }[] };
      assert.equal(ended.status, 'EGRESS_COMPLETE');
      assert.match(ended.fileResults[0]!.location, /^https:\/\/.+\.mp4$/);
      assert.match(ended.fileResults[0]!.duration, /^\d+$/, 'nanoseconds, as a string');
    }
    if (source === 'enablex') {
      assert.equal(new Set(payloads.map((p) => `${p.room_id}:${p.conf_num}`)).size, 1);
    }
  });
}

test('separate runs about one room name talk about the same session, as they would in one platform', async () => {
  const sse = await openSse(`${server.url}/events`);
  const runs: [string, string][] = [
    ['openvidu', 'sessionCreated'],
    ['openvidu', 'participantJoined'],
    ['livekit', 'room_started'],
    ['livekit', 'participant_joined'],
    ['enablex', 'roomdrop'],
    ['enablex', 'transcoded'],
  ];
  for (const [source, event] of runs) assert.equal((await triggerSource(source, event, '--room', 'Same Room')).code, 0);
  const [created, joined, started, lkJoined, dropped, transcoded] = webhookFrames(await sse.waitFor((all) => webhookFrames(all).length === runs.length)).map(
    (f) => f.payload,
  );
  assert.equal(created!.uniqueSessionId, joined!.uniqueSessionId);
  assert.equal((started!.room as { sid: string }).sid, (lkJoined!.room as { sid: string }).sid);
  assert.deepEqual([dropped!.room_id, dropped!.conf_num], [transcoded!.room_id, transcoded!.conf_num]);
  sse.close();
});

test('--status chooses the state and --batch puts several LiveSwitch events in one POST', async () => {
  const sse = await openSse(`${server.url}/events`);
  const ready = await triggerSource('openvidu', 'recordingStatusChanged', '--status', 'ready', '--room', 'Status Room');
  assert.equal(ready.code, 0, ready.stderr);
  const failed = await triggerSource('livekit', 'egress_ended', '--status', 'failed', '--room', 'Status Room');
  assert.equal(failed.code, 0, failed.stderr);
  const batch = await triggerSource('liveswitch', 'channel.activated', '--batch', '3', '--room', 'Batch Room');
  assert.equal(batch.code, 0, batch.stderr);
  assert.equal(batch.stdout.match(/→ POST/g)?.length, 1);
  assert.match(batch.stdout, /← delivery: 200 \{"stored":\[\d+,\d+,\d+\],"repeated":\[\]\}/);

  const [recording, egress, ...channels] = webhookFrames(await sse.waitFor((all) => webhookFrames(all).length === 5)).map((f) => f.payload);
  assert.equal(recording!.status, 'ready');
  assert.ok((recording!.size as number) > 0 && (recording!.duration as number) > 0);
  assert.equal((egress!.egressInfo as { status: string }).status, 'EGRESS_FAILED');
  assert.deepEqual(
    channels.map((c) => (c.channel as { id: string }).id),
    ['batch-room', 'batch-room-2', 'batch-room-3'],
  );
  sse.close();
});

test('--repeat re-sends the same bytes and credentials: each platform stores it once and counts the repeats', async () => {
  const before = await health(server.url);
  const results = await Promise.all([
    triggerSource('openvidu', 'participantJoined', '--repeat', '2', '--room', 'Repeat Room'),
    triggerSource('livekit', 'participant_joined', '--repeat', '2', '--room', 'Repeat Room'),
    triggerSource('liveswitch', 'client.registered', '--repeat', '2', '--room', 'Repeat Room'),
    triggerSource('enablex', 'recording', '--repeat', '2', '--room', 'Repeat Room'),
  ]);
  for (const result of results) {
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.match(/← retry \d: 200 \{"stored":\[\],"repeated":\[\d+\]\}/g)?.length, 2, result.stdout);
  }
  const after = await health(server.url);
  assert.equal(after.webhooks.stored - before.webhooks.stored, 4);
  assert.equal(after.webhooks.repeats - before.webhooks.repeats, 8);
});

const REFUSALS: [source: string, event: string, flag: string, reason: string][] = [
  ['meet', 'meetingStarted', '--missing-auth', 'missing_header'],
  ['openvidu', 'sessionCreated', '--bad-signature', 'header_mismatch'],
  ['openvidu', 'sessionCreated', '--missing-auth', 'missing_header'],
  ['livekit', 'room_started', '--bad-signature', 'invalid_token'],
  ['livekit', 'room_started', '--missing-auth', 'missing_header'],
  ['livekit', 'room_started', '--stale', 'expired_token'],
  ['livekit', 'room_started', '--future', 'invalid_token'],
  ['liveswitch', 'channel.activated', '--bad-signature', 'signature_mismatch'],
  ['liveswitch', 'channel.activated', '--missing-auth', 'missing_header'],
  ['enablex', 'roomdrop', '--bad-signature', 'bad_credentials'],
  ['enablex', 'roomdrop', '--missing-auth', 'missing_header'],
];

test('every negative case of every platform is refused with its reason, and nothing is stored', async () => {
  const before = await health(server.url);
  const results = await Promise.all(
    REFUSALS.map(([source, event, flag]) => (source === 'meet' ? trigger(event, flag) : triggerSource(source, event, flag, '--room', 'Refused Room'))),
  );
  const expected: Record<string, number> = {};
  results.forEach((result, i) => {
    const [source, , flag, reason] = REFUSALS[i]!;
    assert.equal(result.code, 0, `${source} ${flag}: ${result.stderr}`);
    assert.match(result.stdout, new RegExp(`expecting a refusal: ${reason}\\n← delivery: 401 \\{"error":"${reason}"`), `${source} ${flag}`);
    expected[reason] = (expected[reason] ?? 0) + 1;
  });
  const after = await health(server.url);
  assert.equal(after.latestSeq, before.latestSeq);
  for (const [reason, count] of Object.entries(expected)) {
    assert.equal((after.webhooks.refused[reason] ?? 0) - (before.webhooks.refused[reason] ?? 0), count, reason);
  }
});

test('an answer that is not the expected one makes the trigger exit 1 and say so', async () => {
  const result = await runTrigger(['--source', 'liveswitch', 'channel.activated', '--url', `${server.url}/webhook/liveswitch`], {
    ...process.env,
    ...PLATFORM_ENV,
    LIVESWITCH_SHARED_SECRET: 'not-the-secret-roomwatch-has',
  });
  assert.equal(result.code, 1);
  assert.match(result.stdout, /← delivery: 401 \{"error":"signature_mismatch"/);
  assert.match(result.stderr, /1 answer\(s\) were not what was expected \(2xx\)/);
});

test('usage mistakes are explained: a wrong source or event, a check that does not apply, missing credentials', async () => {
  const wrongSource = await triggerSource('zoom', 'meeting_started');
  assert.equal(wrongSource.code, 2);
  assert.match(wrongSource.stderr, /unknown --source "zoom"; one of: meet, openvidu, livekit, liveswitch, enablex/);

  const wrongEvent = await triggerSource('livekit', 'meetingStarted');
  assert.equal(wrongEvent.code, 2);
  assert.match(wrongEvent.stderr, /unknown event "meetingStarted" for livekit; one of: room_started, /);

  const stale = await triggerSource('enablex', 'roomdrop', '--stale');
  assert.equal(stale.code, 2);
  assert.match(stale.stderr, /--stale does not apply to enablex/);

  const env = { ...process.env };
  delete env.LIVEKIT_API_KEY;
  delete env.LIVEKIT_API_SECRET;
  const missing = await runTrigger(['--source', 'livekit', 'room_started', '--url', `${server.url}/webhook/livekit`], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /livekit credentials are not set: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET/);
  assert.match(missing.stderr, /usage: npm run trigger -- \[--source S\] <event>/);
});

test('a Meet room that roomwatch already lists is the one a trigger about its name changes, not a second room of that name', async (t) => {
  const { startStack, eventually } = await import('./helpers/stack.js');
  const stack = await startStack();
  t.after(() => stack.dispose());
  const { url } = stack.roomwatch;
  const { roomId } = stack.meet.createRoom('Daily Standup');
  const rooms = async () => ((await (await fetch(`${url}/api/rooms`)).json()) as { rooms: { roomId: string; roomName: string; status: string }[] }).rooms;
  await eventually(
    async () => {
      await fetch(`${url}/api/reconcile`, { method: 'POST' });
      return rooms();
    },
    (listed) => listed.some((room) => room.roomId === roomId),
  );

  const result = await runTrigger(['meetingStarted', '--room', 'Daily Standup', '--url', `${url}/webhook`]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`for room "Daily Standup" \\(${roomId}, as roomwatch lists it\\)`));
  const standups = (await rooms()).filter((room) => room.roomName === 'Daily Standup');
  assert.deepEqual(standups.map((room) => [room.roomId, room.status]), [[roomId, 'active_meeting']]);
});
