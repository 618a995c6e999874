// The platform simulators, observed the way a receiver observes a platform: the requests that arrive at a
// small node:http server (bytes, headers, order, timing, concurrency) and how each sender reacts to the
// answers it gets (../shared/protocols/providers.md §1.2, §2.1, §3, §4). What they send is checked with
// roomwatch's own checks (the registry's `verify`), so it is what roomwatch accepts.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { enablex } from '../server/platforms/enablex/index.js';
import { livekit as livekitPlatform } from '../server/platforms/livekit/index.js';
import { liveswitch as liveswitchPlatform } from '../server/platforms/liveswitch/index.js';
import { openvidu as openviduPlatform } from '../server/platforms/openvidu/index.js';
import { EnableXSimulator, LiveKitSimulator, LiveSwitchSimulator, OpenViduSimulator } from '../tools/platform-sim/index.js';

const OPENVIDU_HEADERS: [string, string][] = [['Authorization', 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']];
const OPENVIDU = { settings: { headers: OPENVIDU_HEADERS } };
const LIVEKIT = { settings: { keys: [{ key: 'devkey', secret: 'a-livekit-secret-of-32-characters!' }] } };
const LIVESWITCH = { settings: { applications: new Map<string, string[]>(), sharedSecret: 'ls-secret' } };

// ── A receiver ──────────────────────────────────────────────────────────────────────────────────────

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** Requests being handled at the same time, this one included. */
  concurrent: number;
}

/** What the receiver does with the n-th request (0-based): answer a status after a delay, or drop the connection. */
type Reaction = { status?: number; delayMs?: number; retryAfter?: string } | 'drop';

interface Receiver {
  url: string;
  received: Received[];
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  json(): Record<string, unknown>[];
}

async function startReceiver(t: TestContext, react: (index: number, body: string) => Reaction = () => ({})): Promise<Receiver> {
  const received: Received[] = [];
  let active = 0;
  const server = createServer((req, res: ServerResponse) => {
    active++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const index = received.length;
      received.push({ headers: req.headers, body, at: Date.now(), concurrent: active });
      const reaction = react(index, body);
      if (reaction === 'drop') {
        active--;
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        active--;
        res.statusCode = reaction.status ?? 200;
        if (reaction.retryAfter !== undefined) res.setHeader('Retry-After', reaction.retryAfter);
        res.end();
      }, reaction.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    json: () => received.map((r) => JSON.parse(r.body) as Record<string, unknown>),
    waitFor: async (count, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) assert.fail(`expected ${count} requests, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received.slice(0, count);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const headerRecord = (headers: IncomingHttpHeaders) => headers as Record<string, string | string[] | undefined>;

// ── OpenVidu 2 ──────────────────────────────────────────────────────────────────────────────────────

describe('OpenVidu 2 simulator', () => {
  test('sends one event at a time, in the order they happened, even to a slow receiver', async (t) => {
    const receiver = await startReceiver(t, () => ({ delayMs: 40 }));
    const openvidu = new OpenViduSimulator({ webhookUrl: receiver.url, ...OPENVIDU, readyAfterMs: 10 });
    t.after(() => openvidu.stop());
    const session = openvidu.createSession('Daily Standup');
    const ana = openvidu.join(session, 'Ana');
    openvidu.join(session, 'Ben');
    openvidu.startRecording(session);
    openvidu.leave(ana);
    openvidu.closeSession(session);
    await openvidu.idle();

    assert.ok(receiver.received.every((r) => r.concurrent === 1), 'never two requests at once');
    assert.deepEqual(
      receiver.json().map((p) => (p.event === 'recordingStatusChanged' ? `recording:${String(p.status)}` : p.event)),
      [
        'sessionCreated',
        'participantJoined',
        'webrtcConnectionCreated',
        'participantJoined',
        'webrtcConnectionCreated',
        'recording:started',
        'webrtcConnectionDestroyed',
        'participantLeft',
        'webrtcConnectionDestroyed',
        'participantLeft',
        'recording:stopped',
        'sessionDestroyed',
        'recording:ready',
      ],
    );
    // Each one 40 ms after the previous one's answer, at the earliest.
    for (let i = 1; i < receiver.received.length; i++) assert.ok(receiver.received[i]!.at - receiver.received[i - 1]!.at >= 35);
  });

  test('posts flat v2 bodies with the configured headers, which roomwatch accepts', async (t) => {
    const receiver = await startReceiver(t);
    const openvidu = new OpenViduSimulator({ webhookUrl: receiver.url, ...OPENVIDU, readyAfterMs: 10 });
    t.after(() => openvidu.stop());
    const session = openvidu.createSession('Daily Standup');
    openvidu.startRecording(session);
    openvidu.closeSession(session);
    await openvidu.idle();

    for (const request of receiver.received) {
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers.authorization, OPENVIDU_HEADERS[0]![1]);
      const verdict = openviduPlatform.verify(OPENVIDU.settings, { headers: headerRecord(request.headers), body: Buffer.from(request.body), receivedAt: Date.now() });
      assert.equal(verdict.accepted, true);
    }
    const [created, started] = receiver.received.map((r) => r.body);
    assert.match(created!, /^\{"sessionId":"Daily-Standup","uniqueSessionId":"Daily-Standup_\d{13}","timestamp":\d{13},"event":"sessionCreated"\}$/);
    // Gson writes the recording's duration as a double.
    assert.match(started!, /"duration":0\.0,"id":"Daily-Standup","name":"Daily-Standup","outputMode":"COMPOSED",/);
    assert.match(started!, /"status":"started","event":"recordingStatusChanged"\}$/);
  });

  test('only HTTP 200 counts: any other answer is logged and the event is lost, never retried', async (t) => {
    const statuses = [204, 500, 401];
    const receiver = await startReceiver(t, (index) => ({ status: statuses[index] ?? 200 }));
    const openvidu = new OpenViduSimulator({ webhookUrl: receiver.url, ...OPENVIDU });
    t.after(() => openvidu.stop());
    const session = openvidu.createSession('Daily Standup');
    openvidu.join(session, 'Ana');
    await openvidu.idle();

    assert.equal(receiver.received.length, 3, 'three events, one request each');
    const log = openvidu.deliveries();
    assert.deepEqual(
      log.map((a) => [a.events[0], a.status, a.ok, a.next]),
      [
        ['sessionCreated', 204, false, 'lost'],
        ['participantJoined', 500, false, 'lost'],
        ['webrtcConnectionCreated', 401, false, 'lost'],
      ],
    );
    assert.match(log[0]!.error!, /Unexpected HTTP status from callback endpoint .*: expected 200, received 204/);
  });

  test('an I/O error re-sends the same request at once, up to 5 executions in all', async (t) => {
    const receiver = await startReceiver(t, (index) => (index < 2 ? 'drop' : {}));
    const openvidu = new OpenViduSimulator({ webhookUrl: receiver.url, ...OPENVIDU });
    t.after(() => openvidu.stop());
    openvidu.createSession('Daily Standup');
    await openvidu.idle();
    assert.equal(receiver.received.length, 3);
    assert.equal(new Set(receiver.received.map((r) => r.body)).size, 1, 'the very same bytes');
    assert.ok(receiver.received[2]!.at - receiver.received[0]!.at < 500, 'no backoff');
    assert.deepEqual(openvidu.deliveries().map((a) => [a.attempt, a.ok, a.next]), [
      [1, false, 'retry'],
      [2, false, 'retry'],
      [3, true, 'done'],
    ]);

    const hopeless = await startReceiver(t, () => 'drop');
    const lost = new OpenViduSimulator({ webhookUrl: hopeless.url, ...OPENVIDU });
    t.after(() => lost.stop());
    lost.createSession('Daily Standup');
    await lost.idle();
    assert.equal(hopeless.received.length, 5);
    assert.equal(lost.deliveries().at(-1)!.next, 'lost');
  });

  test('the recording is ready after sessionDestroyed, with its final size and duration', async (t) => {
    const receiver = await startReceiver(t);
    const openvidu = new OpenViduSimulator({ webhookUrl: receiver.url, ...OPENVIDU, readyAfterMs: 30 });
    t.after(() => openvidu.stop());
    const session = openvidu.createSession('Daily Standup');
    const ana = openvidu.join(session, 'Ana');
    openvidu.startRecording(session);
    await sleep(20);
    openvidu.leave(ana);
    await openvidu.idle();
    const tail = receiver.json().slice(-3);
    assert.deepEqual(tail.map((p) => [p.event, p.status, p.reason]), [
      ['recordingStatusChanged', 'stopped', 'lastParticipantLeft'],
      ['sessionDestroyed', undefined, 'lastParticipantLeft'],
      ['recordingStatusChanged', 'ready', 'lastParticipantLeft'],
    ]);
    assert.ok((tail[2]!.size as number) > 0 && (tail[2]!.duration as number) > 0);
  });
});

// ── LiveKit ─────────────────────────────────────────────────────────────────────────────────────────

describe('LiveKit simulator', () => {
  const fast = { retryWaitMinMs: 40, retryWaitMaxMs: 1000 };

  test('posts one event per request, signed as LiveKit signs, which roomwatch accepts', async (t) => {
    const receiver = await startReceiver(t);
    const livekit = new LiveKitSimulator({ webhookUrl: receiver.url, ...LIVEKIT, egressTiming: { startMs: 10, stopMs: 10 } });
    t.after(() => livekit.stop());
    livekit.join('Daily Standup', 'Ana');
    const egress = livekit.startEgress('Daily Standup');
    await sleep(30);
    livekit.stopEgress(egress);
    await sleep(30);
    livekit.finishRoom('Daily Standup');
    await livekit.idle();

    for (const request of receiver.received) {
      assert.equal(request.headers['content-type'], 'application/webhook+json');
      assert.equal(request.headers['user-agent'], 'LiveKit');
      assert.match(String(request.headers.authorization), /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a bare JWT, no "Bearer"');
      const verdict = await livekitPlatform.verify(LIVEKIT.settings, { headers: headerRecord(request.headers), body: Buffer.from(request.body), receivedAt: Date.now() });
      assert.equal(verdict.accepted, true);
    }
    const events = receiver.json().map((p) => p.event);
    assert.deepEqual(events.filter((e) => String(e).startsWith('egress')), ['egress_started', 'egress_updated', 'egress_updated', 'egress_ended']);
    assert.deepEqual(events.filter((e) => !String(e).startsWith('egress')), ['room_started', 'participant_joined', 'participant_left', 'room_finished']);
  });

  test('retries a network error, 429 and 5xx with growing waits and the same token, never a 4xx or 501', async (t) => {
    const answers: Reaction[] = ['drop', { status: 503 }, { status: 429 }, {}, { status: 401 }, { status: 501 }];
    const receiver = await startReceiver(t, (index) => answers[index] ?? {});
    const livekit = new LiveKitSimulator({ webhookUrl: receiver.url, ...LIVEKIT, ...fast });
    t.after(() => livekit.stop());
    livekit.startRoom('Daily Standup');
    livekit.join('Daily Standup', 'Ana');
    livekit.join('Daily Standup', 'Ben');
    await livekit.idle();

    // room_started took 4 attempts; each later event one (401 and 501 are final).
    assert.equal(receiver.received.length, 6);
    const firstFour = receiver.received.slice(0, 4);
    assert.equal(new Set(firstFour.map((r) => r.body)).size, 1);
    assert.equal(new Set(firstFour.map((r) => r.headers.authorization)).size, 1, 'signed once, reused by its retries');
    const waits = firstFour.slice(1).map((r, i) => r.at - firstFour[i]!.at);
    assert.ok(waits[0]! >= 35 && waits[1]! >= 75 && waits[2]! >= 155, `waits of 40, 80, 160 ms: ${waits}`);
    assert.deepEqual(
      livekit.deliveries().map((a) => [a.events[0], a.attempt, a.status ?? 'network', a.next]),
      [
        ['room_started', 1, 'network', 'retry'],
        ['room_started', 2, 503, 'retry'],
        ['room_started', 3, 429, 'retry'],
        ['room_started', 4, 200, 'done'],
        ['participant_joined', 1, 401, 'done'],
        ['participant_joined', 1, 501, 'done'],
      ],
    );
  });

  test('gives up after 4 retries, and honours Retry-After on 429', async (t) => {
    const receiver = await startReceiver(t, (index) => (index === 0 ? { status: 429, retryAfter: '0' } : { status: 502 }));
    const livekit = new LiveKitSimulator({ webhookUrl: receiver.url, ...LIVEKIT, retryWaitMinMs: 200, retryWaitMaxMs: 200 });
    t.after(() => livekit.stop());
    livekit.startRoom('Daily Standup');
    await livekit.idle();
    assert.equal(receiver.received.length, 5);
    assert.ok(receiver.received[1]!.at - receiver.received[0]!.at < 150, 'Retry-After: 0 instead of the 200 ms wait');
    const last = livekit.deliveries().at(-1)!;
    assert.deepEqual([last.attempt, last.next, last.error], [5, 'lost', 'giving up after 5 attempt(s)']);
  });

  test('keeps each room in order without one room holding up another', async (t) => {
    const receiver = await startReceiver(t, (_index, body) => ({ delayMs: body.includes('"name":"Slow Room"') ? 150 : 0 }));
    const livekit = new LiveKitSimulator({ webhookUrl: receiver.url, ...LIVEKIT });
    t.after(() => livekit.stop());
    livekit.join('Slow Room', 'Ana');
    livekit.join('Fast Room', 'Ben');
    livekit.finishRoom('Fast Room');
    livekit.finishRoom('Slow Room');
    await livekit.idle();

    const order = receiver.json().map((p) => `${(p.room as { name: string }).name}:${String(p.event)}`);
    const of = (room: string) => order.filter((entry) => entry.startsWith(room));
    assert.deepEqual(of('Slow Room'), ['Slow Room:room_started', 'Slow Room:participant_joined', 'Slow Room:participant_left', 'Slow Room:room_finished']);
    assert.deepEqual(of('Fast Room'), ['Fast Room:room_started', 'Fast Room:participant_joined', 'Fast Room:participant_left', 'Fast Room:room_finished']);
    assert.ok(order.indexOf('Fast Room:room_finished') < order.indexOf('Slow Room:participant_joined'), order.join(', '));
  });

  test('drops an event that waited in its queue longer than the maximum age', async (t) => {
    const receiver = await startReceiver(t, () => ({ delayMs: 120 }));
    const livekit = new LiveKitSimulator({ webhookUrl: receiver.url, ...LIVEKIT, maxAgeMs: 100 });
    t.after(() => livekit.stop());
    livekit.join('Daily Standup', 'Ana'); // room_started, then participant_joined waits 120 ms
    await livekit.idle();
    assert.equal(receiver.received.length, 1);
    const [sent, dropped] = livekit.deliveries();
    assert.equal(sent!.events[0], 'room_started');
    assert.deepEqual([dropped!.events[0], dropped!.attempt, dropped!.error], ['participant_joined', 0, 'dropped webhook: age']);
  });
});

// ── LiveSwitch and EnableX ──────────────────────────────────────────────────────────────────────────

describe('LiveSwitch simulator', () => {
  test('signs every POST with the shared secret; in Batch mode one POST carries several events', async (t) => {
    const receiver = await startReceiver(t);
    const liveswitch = new LiveSwitchSimulator({ webhookUrl: receiver.url, ...LIVESWITCH, batch: { maxEvents: 3, flushAfterMs: 50 } });
    t.after(() => liveswitch.stop());
    const client = liveswitch.join('Support Desk', 'Ana'); // channel.activated, client.registered, connection.connected
    liveswitch.leave(client); // connection.closed, client.unregistered, channel.deactivated
    await liveswitch.idle();

    assert.equal(receiver.received.length, 2);
    for (const request of receiver.received) {
      const verdict = liveswitchPlatform.verify(LIVESWITCH.settings, { headers: headerRecord(request.headers), body: Buffer.from(request.body), receivedAt: Date.now() });
      assert.equal(verdict.accepted, true);
    }
    const batches = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }[]).map((e) => e.type));
    assert.deepEqual(batches, [
      ['channel.activated', 'client.registered', 'connection.connected'],
      ['connection.closed', 'client.unregistered', 'channel.deactivated'],
    ]);
  });

  test('without Batch mode, one event per POST, and a partial batch goes out after its delay', async (t) => {
    const receiver = await startReceiver(t);
    const single = new LiveSwitchSimulator({ webhookUrl: receiver.url, ...LIVESWITCH });
    t.after(() => single.stop());
    single.join('Support Desk', 'Ana');
    await single.idle();
    assert.deepEqual(receiver.json().map((p) => p.type), ['channel.activated', 'client.registered', 'connection.connected']);

    const batched = new LiveSwitchSimulator({ webhookUrl: receiver.url, ...LIVESWITCH, batch: { maxEvents: 10, flushAfterMs: 30 } });
    t.after(() => batched.stop());
    batched.join('Partner Sync', 'Ben');
    await receiver.waitFor(4);
    assert.equal((JSON.parse(receiver.received[3]!.body) as unknown[]).length, 3);
  });
});

describe('EnableX simulator', () => {
  test('says nothing while a session runs; at its end roomdrop, then the recording, transcoded and file-transfer, with Basic auth', async (t) => {
    const receiver = await startReceiver(t);
    const credentials = { user: 'enx', password: 'enx-password' };
    const simulator = new EnableXSimulator({ webhookUrl: receiver.url, settings: credentials, filesStepMs: 10 });
    t.after(() => simulator.stop());
    const session = simulator.startSession('Town Hall');
    simulator.join('Town Hall', 'Ana');
    simulator.join('Town Hall', 'Ben');
    simulator.startRecording('Town Hall');
    await simulator.idle(); // anything sent during the session would be answered by now
    assert.equal(receiver.received.length, 0);
    simulator.endSession('Town Hall');
    await simulator.idle();

    for (const request of receiver.received) {
      assert.equal(enablex.verify(credentials, { headers: headerRecord(request.headers), body: Buffer.from(request.body), receivedAt: Date.now() }).accepted, true);
    }
    const payloads = receiver.json();
    assert.deepEqual(payloads.map((p) => p.type), ['roomdrop', 'recording', 'transcoded', 'file-transfer']);
    assert.ok(payloads.every((p) => p.room_id === session.roomId && p.conf_num === session.confNum && typeof p.trans_date === 'number'));
    assert.equal((payloads[1]!.recording as string[]).length, 2, 'one individual file per participant stream');
  });

  test('a session that was not recorded ends with roomdrop alone; the next session of the room has another conf_num', async (t) => {
    const receiver = await startReceiver(t);
    const simulator = new EnableXSimulator({ webhookUrl: receiver.url, settings: { user: 'enx', password: 'pw' }, filesStepMs: 10 });
    t.after(() => simulator.stop());
    simulator.startSession('Town Hall');
    simulator.endSession('Town Hall');
    simulator.startSession('Town Hall');
    simulator.endSession('Town Hall');
    await simulator.idle();
    const payloads = receiver.json();
    assert.deepEqual(payloads.map((p) => p.type), ['roomdrop', 'roomdrop']);
    assert.equal(payloads[0]!.room_id, payloads[1]!.room_id);
    assert.notEqual(payloads[0]!.conf_num, payloads[1]!.conf_num);
  });
});
