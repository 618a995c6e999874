// roomwatch with OpenVidu 2's REST API, against the simulator's (tools/platform-sim/openvidu-rest.ts):
// real HTTP both ways, a real store. What a user sees: /api/state, the actions' answers, the file the
// page plays.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, ConfigError } from '../server/config.js';
import type { DashboardSnapshot, RecordingRow, RoomRow } from '../server/domain/rows.js';
import { OpenViduClient } from '../server/platforms/openvidu/client.js';
import { OpenViduSimulator, type OpenViduSimulatorOptions } from '../tools/platform-sim/openvidu.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { eventually } from './helpers/stack.js';
import { unreachableUrl } from './helpers/unreachable.js';

const SECRET = 'MY_SECRET';
const HEADERS = ['Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU'];
const SAMPLE = readFileSync(new URL('../tools/platform-sim/media/sample.mp4', import.meta.url));

interface Setup {
  sim: OpenViduSimulator;
  roomwatch: TestServer;
  openviduUrl: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The simulator serving its API, then roomwatch reading it, then the simulator posting to roomwatch. */
async function setup({ env = {}, sim: simOptions = {} }: { env?: Record<string, string>; sim?: Partial<OpenViduSimulatorOptions> } = {}): Promise<Setup> {
  const sim = new OpenViduSimulator({ settings: { headers: [['Authorization', 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']] }, secret: SECRET, readyAfterMs: 50, ...simOptions });
  const openviduUrl = await sim.serve();
  cleanups.push(() => sim.stop());
  const roomwatch = await startTestServer({ OPENVIDU_WEBHOOK_HEADERS: JSON.stringify(HEADERS), OPENVIDU_URL: openviduUrl, OPENVIDU_SECRET: SECRET, ...env });
  cleanups.push(() => roomwatch.dispose());
  sim.setWebhookUrl(`${roomwatch.url}/webhook/openvidu`);
  return { sim, roomwatch, openviduUrl };
}

const state = async (roomwatch: TestServer) => (await (await fetch(`${roomwatch.url}/api/state`)).json()) as DashboardSnapshot;
const room = (snapshot: DashboardSnapshot, roomId: string): RoomRow | undefined => snapshot.rooms.find((row) => row.source === 'openvidu' && row.roomId === roomId);
const recording = (snapshot: DashboardSnapshot, id: string): RecordingRow | undefined => snapshot.recordings.find((row) => row.source === 'openvidu' && row.recordingId === id);
const reconcile = (roomwatch: TestServer) => fetch(`${roomwatch.url}/api/reconcile`, { method: 'POST' });
const action = (roomwatch: TestServer, name: string, id: string) =>
  fetch(`${roomwatch.url}/api/platforms/openvidu/actions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) });
const uniqueOf = (sim: OpenViduSimulator, sessionId: string) => sim.sessions().find((session) => session.sessionId === sessionId)!.uniqueSessionId;

describe('OpenVidu 2 REST API', () => {
  test('the client reads 2.32’s shapes: one list each, no paging, sessions keyed as the webhooks key them', async () => {
    const sim = new OpenViduSimulator({ settings: { headers: [] }, secret: SECRET });
    const url = await sim.serve();
    cleanups.push(() => sim.stop());
    // 150 sessions, more than any page size: OpenVidu 2 answers them all at once.
    for (let index = 0; index < 150; index++) sim.join(sim.createSession(`Room ${index}`), 'Ana');
    const recordingId = sim.startRecording('Room-7');
    const client = new OpenViduClient({ url, secret: SECRET });
    const sessions = await client.listSessions();
    assert.equal(sessions.length, 150);
    const seven = sessions.find((session) => session.id === 'Room-7')!;
    assert.equal(`${seven.id}_${seven.createdAt}`, uniqueOf(sim, 'Room-7'));
    assert.equal(seven.recording, true);
    assert.equal(seven.connections?.content[0]?.status, 'active');
    const { recordings, recordingEnabled } = await client.listRecordings();
    assert.equal(recordingEnabled, true);
    assert.deepEqual(
      recordings.map((r) => [r.id, r.sessionId, r.status, r.url]),
      [[recordingId, 'Room-7', 'started', null]],
    );
  });

  test('a session whose sessionDestroyed was lost turns CLOSED at the next read; its recording gets its URL', async () => {
    const { sim, roomwatch, openviduUrl } = await setup();
    const sessionId = sim.createSession('Daily');
    const ana = sim.join(sessionId, 'Ana');
    const recordingId = sim.startRecording(sessionId);
    const roomId = uniqueOf(sim, sessionId);
    await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.status === 'active');

    sim.loseNext('sessionDestroyed');
    sim.leave(ana);
    await sim.idle();
    assert.ok(sim.deliveries().some((attempt) => attempt.events[0] === 'sessionDestroyed' && attempt.next === 'lost'));
    // Everything else arrived (the recording is ready), but the room is still ACTIVE: only the API knows.
    const before = await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.status === 'complete');
    assert.equal(room(before, roomId)?.status, 'active_meeting');
    assert.equal(room(before, roomId)?.participants, 0);

    await reconcile(roomwatch);
    const after = await eventually(() => state(roomwatch), (s) => room(s, roomId)?.status === 'closed' && recording(s, recordingId)?.files !== undefined);
    assert.equal(room(after, roomId)?.removed, false);
    const row = recording(after, recordingId)!;
    assert.equal(row.roomId, roomId);
    assert.deepEqual(row.files, [{ url: `${openviduUrl}/openvidu/recordings/${recordingId}/${recordingId}.mp4`, size: row.size, duration: row.duration }]);
    assert.equal(after.platforms.openvidu?.api?.state, 'reachable');
    assert.equal(after.platforms.openvidu?.api?.url, `${openviduUrl}/openvidu/api`);
  });

  test('a lost sessionDestroyed heals by itself within one reconcile interval, nobody asking', async () => {
    const intervalMs = 5000; // RECONCILE_INTERVAL_MS's smallest value
    const { sim, roomwatch } = await setup({ env: { RECONCILE_INTERVAL_MS: String(intervalMs) } });
    const sessionId = sim.createSession('Healing');
    const ana = sim.join(sessionId, 'Ana');
    const roomId = uniqueOf(sim, sessionId);
    await eventually(() => state(roomwatch), (s) => room(s, roomId)?.participants === 1);

    sim.loseNext('sessionDestroyed');
    sim.leave(ana);
    const lostAt = Date.now();
    await sim.log.waitFor((attempt) => attempt.events[0] === 'sessionDestroyed' && attempt.next === 'lost');
    // The next scheduled read, at most one interval after the last, closes it (plus the read itself).
    await eventually(() => state(roomwatch), (s) => room(s, roomId)?.status === 'closed', intervalMs + 2000);
    assert.ok(Date.now() - lostAt <= intervalMs + 2000);
  });

  test('without any webhook, a session and its recording appear from the API', async () => {
    const { sim, roomwatch } = await setup();
    sim.setWebhookUrl(undefined);
    const sessionId = sim.createSession('Quiet');
    sim.join(sessionId, 'Ana');
    sim.join(sessionId, 'Bruno');
    const recordingId = sim.startRecording(sessionId);
    await reconcile(roomwatch);
    const seen = await eventually(() => state(roomwatch), (s) => room(s, uniqueOf(sim, sessionId)) !== undefined && recording(s, recordingId) !== undefined);
    const row = room(seen, uniqueOf(sim, sessionId))!;
    assert.deepEqual([row.status, row.roomName, row.participants], ['active_meeting', 'Quiet', 2]);
    assert.deepEqual([recording(seen, recordingId)?.status, recording(seen, recordingId)?.roomId], ['active', row.roomId]);
  });

  test('a ready recording plays through roomwatch: its bytes, and a Range answered 206, with OpenVidu’s credentials kept here', async () => {
    const { sim, roomwatch } = await setup();
    const sessionId = sim.createSession('Recorded');
    const ana = sim.join(sessionId, 'Ana');
    const recordingId = sim.startRecording(sessionId);
    sim.leave(ana);
    await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.status === 'complete');

    // Straight after `ready`, before any read brought the URL: roomwatch asks OpenVidu for it.
    const media = `${roomwatch.url}/api/platforms/openvidu/recordings/${encodeURIComponent(recordingId)}/media`;
    const whole = await fetch(media);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/mp4');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), SAMPLE);

    const part = await fetch(media, { headers: { Range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${SAMPLE.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), SAMPLE.subarray(100, 200));

    // The file itself needs OpenVidu's Basic auth, which never leaves roomwatch.
    const url = (await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.files !== undefined)).recordings.find((r) => r.recordingId === recordingId)!.files![0]!.url;
    assert.equal((await fetch(url)).status, 401);
  });

  test('the relay gives a player only media: another type goes out as opaque bytes, and only a single range is passed on', async () => {
    // An OpenVidu whose file route answers HTML (a proxy's error page, say): never served as a page here.
    const ranges: (string | undefined)[] = [];
    const fake = http.createServer((req, res) => {
      if (req.url === '/openvidu/api/sessions') return void res.end('{"numberOfElements":0,"content":[]}');
      if (req.url === '/openvidu/api/recordings') {
        const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/openvidu/recordings/r1/r1.mp4`;
        return void res.end(JSON.stringify({ count: 1, items: [{ id: 'r1', name: 'r1', sessionId: 's', createdAt: 1, size: 5, duration: 1, url, status: 'ready' }] }));
      }
      ranges.push(req.headers.range);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<script>alert(1)</script>');
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => fake.close(() => resolve())));
    const roomwatch = await startTestServer({ OPENVIDU_WEBHOOK_HEADERS: '[]', OPENVIDU_URL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, OPENVIDU_SECRET: SECRET });
    cleanups.push(() => roomwatch.dispose());
    await eventually(() => state(roomwatch), (s) => recording(s, 'r1')?.files !== undefined);

    const media = `${roomwatch.url}/api/platforms/openvidu/recordings/r1/media`;
    const answer = await fetch(media, { headers: { Range: 'bytes=0-1,4-5' } });
    assert.equal(answer.headers.get('content-type'), 'application/octet-stream');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await answer.text(), '<script>alert(1)</script>');
    await fetch(media, { headers: { Range: 'bytes=2-' } }).then((response) => response.arrayBuffer());
    assert.deepEqual(ranges, [undefined, 'bytes=2-']);
  });

  test('a recording still in progress is not played: 409 says why', async () => {
    const { sim, roomwatch } = await setup();
    const sessionId = sim.createSession('Ongoing');
    sim.join(sessionId, 'Ana');
    const recordingId = sim.startRecording(sessionId);
    await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.status === 'active');
    const answer = await fetch(`${roomwatch.url}/api/platforms/openvidu/recordings/${recordingId}/media`);
    assert.equal(answer.status, 409);
    assert.match(((await answer.json()) as { message: string }).message, /is started: it can be played once it is ready/);
  });

  test('Close session: OpenVidu closes it (everyone evicted, sessionDestroyed), and the room is CLOSED', async () => {
    const { sim, roomwatch } = await setup();
    const sessionId = sim.createSession('To Close');
    sim.join(sessionId, 'Ana');
    const roomId = uniqueOf(sim, sessionId);
    await eventually(() => state(roomwatch), (s) => room(s, roomId)?.participants === 1);

    const answer = await action(roomwatch, 'closeSession', roomId);
    assert.equal(answer.status, 200);
    assert.match(((await answer.json()) as { message: string }).message, /Session To-Close closed/);
    assert.deepEqual(sim.sessions(), []);
    assert.equal(room(await state(roomwatch), roomId)?.status, 'closed');
    await sim.idle();
    const destroyed = sim.deliveries().find((attempt) => attempt.events[0] === 'sessionDestroyed');
    assert.match(destroyed!.body, /"reason":"sessionClosedByServer"/);
    assert.equal(destroyed!.status, 200);
  });

  test('Close session on a session that has ended, or whose id a newer session took, closes nothing in OpenVidu', async () => {
    const { sim, roomwatch } = await setup();
    const first = sim.createSession('Reused');
    const ana = sim.join(first, 'Ana');
    const oldRoom = uniqueOf(sim, first);
    await eventually(() => state(roomwatch), (s) => room(s, oldRoom)?.participants === 1);
    sim.loseNext('sessionDestroyed');
    sim.leave(ana);
    await sim.idle();
    // The same custom id, a new session instance.
    await new Promise((resolve) => setTimeout(resolve, 2));
    sim.createSession('Reused');
    sim.join(first, 'Bruno');
    const newRoom = uniqueOf(sim, first);
    assert.notEqual(newRoom, oldRoom);

    const answer = await action(roomwatch, 'closeSession', oldRoom);
    assert.equal(answer.status, 404);
    const body = (await answer.json()) as { error: string; message: string };
    assert.equal(body.error, 'session_ended');
    assert.match(body.message, /has already ended; a newer session with the same id, started .*, is left alone/);
    assert.equal(sim.sessions().length, 1, 'the newer session still runs');
    assert.equal(room(await state(roomwatch), oldRoom)?.status, 'closed');
  });

  test('Stop recording: OpenVidu stops it, the row is processing, then complete when its file is ready', async () => {
    const { sim, roomwatch } = await setup({ sim: { readyAfterMs: 300 } });
    const sessionId = sim.createSession('Stoppable');
    sim.join(sessionId, 'Ana');
    const recordingId = sim.startRecording(sessionId);
    await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.status === 'active');

    const answer = await action(roomwatch, 'stopRecording', recordingId);
    assert.equal(answer.status, 200);
    assert.equal(recording(await state(roomwatch), recordingId)?.status, 'processing');
    await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.status === 'complete');

    const again = await action(roomwatch, 'stopRecording', recordingId);
    assert.equal(again.status, 404);
    assert.match(((await again.json()) as { message: string }).message, /has no recording .* in progress: it has already stopped/);
  });

  test('a wrong OPENVIDU_SECRET: the status says OpenVidu refused it, an action answers 502 (not the page’s 401), webhooks still work', async () => {
    const { sim, roomwatch } = await setup({ sim: { secret: 'the-real-one' } });
    const refused = await eventually(() => state(roomwatch), (s) => s.platforms.openvidu?.api?.state === 'unreachable');
    assert.match(String(refused.platforms.openvidu?.api?.error), /refused the credentials \(401\).*OPENVIDU_SECRET/);

    const sessionId = sim.createSession('Still Watched');
    sim.join(sessionId, 'Ana');
    const roomId = uniqueOf(sim, sessionId);
    await eventually(() => state(roomwatch), (s) => room(s, roomId)?.participants === 1);
    const answer = await action(roomwatch, 'closeSession', roomId);
    assert.equal(answer.status, 502);
    assert.match(((await answer.json()) as { message: string }).message, /OPENVIDU_SECRET/);
  });

  test('an unreachable OpenVidu: the dashboard keeps working from webhooks and says where it looked', async () => {
    const nowhere = await unreachableUrl();
    const sim = new OpenViduSimulator({ settings: { headers: [['Authorization', 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']] } });
    cleanups.push(() => sim.stop());
    const roomwatch = await startTestServer({ OPENVIDU_WEBHOOK_HEADERS: JSON.stringify(HEADERS), OPENVIDU_URL: nowhere, OPENVIDU_SECRET: SECRET });
    cleanups.push(() => roomwatch.dispose());
    sim.setWebhookUrl(`${roomwatch.url}/webhook/openvidu`);

    const down = await eventually(() => state(roomwatch), (s) => s.platforms.openvidu?.api?.state === 'unreachable');
    assert.equal(down.platforms.openvidu?.api?.url, `${nowhere}/openvidu/api`);
    assert.match(String(down.platforms.openvidu?.api?.error), new RegExp(`OpenVidu 2 at ${nowhere}/openvidu/api is not answering`));
    const sessionId = sim.createSession('From Webhooks');
    sim.join(sessionId, 'Ana');
    await eventually(() => state(roomwatch), (s) => room(s, uniqueOf(sim, sessionId))?.status === 'active_meeting');
    const answer = await action(roomwatch, 'closeSession', uniqueOf(sim, sessionId));
    assert.equal(answer.status, 503);
    assert.equal(((await answer.json()) as { error: string }).error, 'openvidu_unreachable');
  });

  test('OpenVidu with recording off (501): sessions still heal, and no recording is taken for deleted', async () => {
    const { sim, roomwatch } = await setup();
    const sessionId = sim.createSession('Recorded Before');
    const ana = sim.join(sessionId, 'Ana');
    const recordingId = sim.startRecording(sessionId);
    sim.leave(ana);
    await eventually(() => state(roomwatch), (s) => recording(s, recordingId)?.status === 'complete');
    const off = new OpenViduSimulator({ settings: { headers: [] }, secret: SECRET, recordingEnabled: false });
    cleanups.push(() => off.stop());
    const offUrl = await off.serve();
    assert.equal((await fetch(`${offUrl}/openvidu/api/recordings`, { headers: { Authorization: `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}` } })).status, 501);
    // The same store, now reading an OpenVidu whose recording module is off.
    await roomwatch.stop();
    const again = await startTestServer({ OPENVIDU_WEBHOOK_HEADERS: JSON.stringify(HEADERS), OPENVIDU_URL: offUrl, OPENVIDU_SECRET: SECRET }, roomwatch.dataDir);
    cleanups.push(() => again.stop());
    const read = await eventually(() => state(again), (s) => s.platforms.openvidu?.api?.state === 'reachable');
    assert.equal(recording(read, recordingId)?.status, 'complete');
  });

  test('without OPENVIDU_URL roomwatch uses no OpenVidu API: webhooks only, and its actions are not offered', async () => {
    const roomwatch = await startTestServer({ OPENVIDU_WEBHOOK_HEADERS: JSON.stringify(HEADERS) });
    cleanups.push(() => roomwatch.dispose());
    const snapshot = await state(roomwatch);
    assert.deepEqual(snapshot.platforms.openvidu, { enabled: true, api: null });
    const answer = await action(roomwatch, 'closeSession', 'ses_x_1');
    assert.equal(answer.status, 404);
    assert.equal(((await answer.json()) as { error: string }).error, 'no_platform_api');
  });

  test('settings: OPENVIDU_URL and OPENVIDU_SECRET go together, and need OPENVIDU_WEBHOOK_HEADERS', () => {
    const headers = { OPENVIDU_WEBHOOK_HEADERS: '[]' };
    assert.throws(() => loadConfig({ ...headers, OPENVIDU_URL: 'https://ov.example.com' }), (error: unknown) => error instanceof ConfigError && /OPENVIDU_URL and OPENVIDU_SECRET go together/.test(error.message));
    assert.throws(() => loadConfig({ OPENVIDU_URL: 'https://ov.example.com', OPENVIDU_SECRET: 's' }), /need OPENVIDU_WEBHOOK_HEADERS too/);
    assert.throws(() => loadConfig({ ...headers, OPENVIDU_URL: 'ov.example.com', OPENVIDU_SECRET: 's' }), /OPENVIDU_URL must be an http/);
    assert.deepEqual(loadConfig({ ...headers, OPENVIDU_URL: 'https://ov.example.com/', OPENVIDU_SECRET: 's' }).platforms.openvidu?.api, { url: 'https://ov.example.com', secret: 's' });
  });
});
