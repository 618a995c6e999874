// The OpenVidu Meet simulator, observed the way a peer observes Meet: HTTP status codes and bodies of its
// REST API, and the exact bytes and headers a small node:http receiver gets as webhooks
// (../shared/protocols/openvidu-meet.md §1, §2, §4, §7).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import type { MeetSimulator, MeetSimulatorOptions } from '../tools/meet-sim/index.js';
import { startMeetSimulator } from '../tools/meet-sim/index.js';
import { manualClock } from './helpers/clock.js';

const API_KEY = 'meet-api-key';
const FAST = { timing: { startMs: 20, stopMs: 20 } } satisfies MeetSimulatorOptions;

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────

interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  json: { event: string; creationDate: number; data: Record<string, unknown> };
}

interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Resolves once `count` webhooks arrived (fails after 5 s). */
  waitFor(count: number): Promise<ReceivedWebhook[]>;
  events(): string[];
}

/** A webhook receiver answering `statuses` in turn, then 200. */
async function startReceiver(t: TestContext, statuses: number[] = []): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, at: Date.now(), json: JSON.parse(body) as ReceivedWebhook['json'] });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    url,
    received,
    events: () => received.map((webhook) => webhook.json.event),
    waitFor: async (count) => {
      const deadline = Date.now() + 5000;
      while (received.length < count) {
        if (Date.now() > deadline) assert.fail(`expected ${count} webhooks, got ${received.length}: ${received.map((w) => w.json.event)}`);
        await sleep(10);
      }
      return received.slice(0, count);
    },
  };
}

async function startSim(t: TestContext, options: MeetSimulatorOptions = {}): Promise<MeetSimulator> {
  const sim = await startMeetSimulator({ ...FAST, ...options });
  t.after(() => sim.stop());
  return sim;
}

interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function api(
  sim: MeetSimulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { 'X-API-KEY': API_KEY },
): Promise<ApiAnswer> {
  const response = await fetch(`${sim.apiUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hmacHex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/** A room with one finished recording (created through a meeting that has ended again). */
async function roomWithRecording(sim: MeetSimulator, name = 'Recorded') {
  const room = sim.createRoom(name);
  const participant = sim.join(room.roomId, { name: 'Ann', role: 'moderator' });
  const recordingId = await sim.startRecording(room.roomId);
  await sim.stopRecording(recordingId);
  sim.leave(room.roomId, participant.identity);
  return { roomId: room.roomId, recordingId };
}

// ── Webhook bytes, signature and retries (§1) ──────────────────────────────────────────────────

describe('webhook delivery', () => {
  test('the test event is byte-identical to the §1.3 test vector', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { clock: () => 1759400000000 });

    const answer = await fetch(`${sim.url}/meet/internal-api/v1/config/webhooks/test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { message: 'Webhook URL is valid' });

    const [webhook] = await receiver.waitFor(1);
    const body = '{"event":"testEvent","creationDate":1759400000000,"data":{"message":"This is a test webhook event"}}';
    assert.equal(webhook!.body, body);
    assert.equal(webhook!.headers['content-type'], 'application/json');
    assert.equal(webhook!.headers['x-timestamp'], '1759400000000');
    assert.equal(webhook!.headers['x-signature'], hmacHex(API_KEY, `1759400000000.${body}`));
    assert.equal(webhook!.headers['x-signature'], 'bf8bf2485a4f6bbaa3c042984545f428892b6de69ad6bcdc54cd1f0aa75c43dd');
  });

  test('the test event reports an unhealthy URL with 400 and makes a single attempt', async (t) => {
    const receiver = await startReceiver(t, [404, 404]);
    const sim = await startSim(t);
    const answer = await fetch(`${sim.url}/meet/internal-api/v1/config/webhooks/test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    });
    assert.equal(answer.status, 400);
    assert.deepEqual(await answer.json(), {
      error: 'Webhook Error',
      message: `Webhook URL '${receiver.url}' is invalid: Client error (404 Not Found)`,
    });
    await sim.idle(); // a (wrong) retry would be waiting or in flight
    assert.equal(receiver.received.length, 1);
  });

  test('every webhook is signed over X-Timestamp "." raw body with the API key, body compact and ordered', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url, apiKey: 'another-key' });
    const room = sim.createRoom('Daily Standup');
    sim.join(room.roomId);

    const [webhook] = await receiver.waitFor(1);
    const { headers, body, json } = webhook!;
    assert.equal(headers['x-signature'], hmacHex('another-key', `${headers['x-timestamp']}.${body}`));
    assert.match(String(headers['x-signature']), /^[0-9a-f]{64}$/);
    assert.equal(String(json.creationDate), headers['x-timestamp']);
    assert.deepEqual(Object.keys(json), ['event', 'creationDate', 'data']);
    assert.equal(JSON.stringify(json), body, 'compact JSON, no whitespace');
    assert.equal(json.event, 'meetingStarted');
    assert.ok(Math.abs(Date.now() - json.creationDate) < 3000);
  });

  test('a receiver answering 500 then 200 gets exactly two identical attempts, 300 ms apart', async (t) => {
    const receiver = await startReceiver(t, [500]);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    sim.join(sim.createRoom('Retry').roomId);

    const [first, second] = await receiver.waitFor(2);
    await sim.idle(); // a (wrong) third attempt would be waiting or in flight
    assert.equal(receiver.received.length, 2);
    assert.equal(second!.body, first!.body);
    assert.equal(second!.headers['x-timestamp'], first!.headers['x-timestamp']);
    assert.equal(second!.headers['x-signature'], first!.headers['x-signature']);
    assert.ok(second!.at - first!.at >= 250, `retry came after ${second!.at - first!.at} ms`);
    assert.deepEqual(
      sim.deliveries().map(({ attempt, status, ok }) => ({ attempt, status, ok })),
      [
        { attempt: 1, status: 500, ok: false },
        { attempt: 2, status: 200, ok: true },
      ],
    );
  });

  test('any 2xx is success, and a webhook that keeps failing is dropped after six attempts', async (t) => {
    const receiver = await startReceiver(t, [204, 503, 503, 503, 503, 503, 503, 503]);
    const sim = await startSim(t, { webhookUrl: receiver.url, retryDelaysMs: [5, 5, 5, 5, 5] });
    const room = sim.createRoom('Flaky');
    sim.join(room.roomId); // answered 204: done in one attempt
    await receiver.waitFor(1);
    sim.leave(room.roomId); // answered 503 six times
    await receiver.waitFor(7);
    await sim.idle();
    assert.equal(receiver.received.length, 7);
    assert.deepEqual(receiver.events(), ['meetingStarted', ...Array(6).fill('meetingEnded')]);
    assert.deepEqual(
      sim.deliveries().filter((d) => d.event === 'meetingEnded').map((d) => d.attempt),
      [1, 2, 3, 4, 5, 6],
    );
  });

  test('nothing is sent while webhooks are disabled', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url, webhooksEnabled: false });
    const room = sim.createRoom('Quiet');
    sim.join(room.roomId);
    sim.leave(room.roomId);
    sim.setWebhooksEnabled(true);
    sim.join(room.roomId);
    await receiver.waitFor(1);
    await sim.idle();
    assert.deepEqual(receiver.events(), ['meetingStarted']);
  });
});

// ── Meetings (§2.3.2, §7.1) ─────────────────────────────────────────────────────────────────────

describe('meetings', () => {
  test('the first join starts the meeting, later joins send nothing, the last leave ends it (open/none)', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Daily Standup');
    const ann = sim.join(room.roomId, { name: 'Ann', role: 'moderator' });
    const bob = sim.join(room.roomId, { name: 'Bob' });
    assert.equal((await api(sim, 'GET', `/rooms/${room.roomId}`)).body.status, 'active_meeting');
    sim.leave(room.roomId, ann.identity);
    sim.leave(room.roomId, bob.identity);

    const [started, ended] = await receiver.waitFor(2);
    assert.equal(started!.json.event, 'meetingStarted');
    assert.equal(started!.json.data.status, 'active_meeting');
    assert.equal(ended!.json.event, 'meetingEnded');
    assert.equal(ended!.json.data.status, 'open');
    assert.equal(ended!.json.data.meetingEndAction, 'none');
    assert.equal((await api(sim, 'GET', `/rooms/${room.roomId}`)).body.status, 'open');
  });

  test('closing during a meeting answers 202 and ends as meetingEnded closed/none; closed rooms cannot be joined', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Design Review');
    sim.join(room.roomId);

    const closing = await api(sim, 'PUT', `/rooms/${room.roomId}/status`, { status: 'closed' });
    assert.equal(closing.status, 202);
    assert.equal(closing.body.message, `Room '${room.roomId}' scheduled to be closed when the meeting ends`);
    assert.equal(closing.body.room.meetingEndAction, 'close');
    assert.equal(closing.body.room.status, 'active_meeting');

    sim.endMeeting(room.roomId);
    const [, ended] = await receiver.waitFor(2);
    assert.equal(ended!.json.event, 'meetingEnded');
    assert.equal(ended!.json.data.status, 'closed');
    assert.equal(ended!.json.data.meetingEndAction, 'none');

    const join = await fetch(`${sim.url}/_sim/rooms/${room.roomId}/join`, { method: 'POST' });
    assert.equal(join.status, 409);
    assert.deepEqual(await join.json(), {
      error: 'Room Error',
      message: `Room '${room.roomId}' is closed and cannot be joined`,
    });
  });

  test('closing and reopening an idle room answers 200 and sends no webhook', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Idle');
    const closed = await api(sim, 'PUT', `/rooms/${room.roomId}/status`, { status: 'closed' });
    assert.equal(closed.status, 200);
    assert.equal(closed.body.message, `Room '${room.roomId}' closed successfully`);
    assert.equal(closed.body.room.status, 'closed');
    const reopened = await api(sim, 'PUT', `/rooms/${room.roomId}/status`, { status: 'open' });
    assert.equal(reopened.status, 200);
    assert.equal(reopened.body.room.status, 'open');
    assert.equal((await api(sim, 'PUT', `/rooms/${room.roomId}/status`, { status: 'gone' })).status, 422);
    await sim.idle();
    assert.equal(receiver.received.length, 0);
  });

  test('a meeting scheduled for deletion ends with meetingEnded active_meeting/delete and the room is gone', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('All Hands');
    sim.join(room.roomId);

    const scheduled = await api(sim, 'DELETE', `/rooms/${room.roomId}?withMeeting=when_meeting_ends`);
    assert.equal(scheduled.status, 202);
    assert.equal(scheduled.body.successCode, 'room_with_active_meeting_scheduled_to_be_deleted');
    assert.equal(scheduled.body.room.meetingEndAction, 'delete');
    assert.equal((await api(sim, 'GET', `/rooms/${room.roomId}`)).status, 200, 'still there during the meeting');

    sim.leave(room.roomId);
    const [, ended] = await receiver.waitFor(2);
    assert.equal(ended!.json.event, 'meetingEnded');
    assert.equal(ended!.json.data.status, 'active_meeting');
    assert.equal(ended!.json.data.meetingEndAction, 'delete');
    const gone = await api(sim, 'GET', `/rooms/${room.roomId}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { error: 'Room Error', message: `Room '${room.roomId}' does not exist` });
  });
});

// ── Recordings (§2.2, §2.6, §7.2) ───────────────────────────────────────────────────────────────

describe('recordings', () => {
  test('a recording sends started(starting), updated(active), updated(ending), ended(complete)', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Daily Standup');
    sim.join(room.roomId, { role: 'moderator' });
    await receiver.waitFor(1);

    const recordingId = await sim.startRecording(room.roomId);
    await sim.stopRecording(recordingId);
    const webhooks = (await receiver.waitFor(5)).slice(1);
    await sim.idle();
    assert.equal(receiver.received.length, 5, 'exactly four recording webhooks');
    assert.deepEqual(
      webhooks.map(({ json }) => `${json.event}:${String(json.data.status)}`),
      ['recordingStarted:starting', 'recordingUpdated:active', 'recordingUpdated:ending', 'recordingEnded:complete'],
    );
    assert.match(recordingId, new RegExp(`^${room.roomId}--EG_[0-9A-Za-z]{12}--[0-9a-z]{10}$`));
    for (const { json } of webhooks) {
      assert.equal(json.data.recordingId, recordingId);
      assert.equal(json.data.roomName, 'Daily Standup');
      assert.equal(json.data.layout, 'grid');
      assert.equal(json.data.encoding, 'H264_720P_30');
    }
    const ended = webhooks[3]!.json.data;
    assert.deepEqual(Object.keys(ended), [
      'recordingId', 'roomId', 'roomName', 'layout', 'encoding', 'status', 'filename', 'startDate', 'endDate',
      'duration', 'size', 'details',
    ]);
    assert.equal(typeof ended.duration, 'number');
    assert.equal(typeof ended.size, 'number');
    assert.equal((await api(sim, 'GET', `/recordings/${recordingId}`)).body.status, 'complete');
  });

  test('a failed recording ends as failed, without duration or size', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url, version: '3.4' });
    const room = sim.createRoom('Broken');
    sim.join(room.roomId);
    const recordingId = await sim.startRecording(room.roomId);
    await sim.stopRecording(recordingId, 'failed');
    const ended = (await receiver.waitFor(5))[4]!.json;
    assert.equal(ended.event, 'recordingEnded');
    assert.equal(ended.data.status, 'failed');
    assert.equal('duration' in ended.data, false);
    assert.equal('size' in ended.data, false);
    assert.equal('layout' in ended.data, false, '3.4 recordings have no layout');
  });

  test('recordings can be deleted only once stopped; bad ids are 422, unknown ones 404', async (t) => {
    const sim = await startSim(t);
    const room = sim.createRoom('Rec');
    sim.join(room.roomId);
    const recordingId = await sim.startRecording(room.roomId);

    const active = await api(sim, 'DELETE', `/recordings/${recordingId}`);
    assert.equal(active.status, 409);
    assert.deepEqual(active.body, { error: 'Recording Error', message: `Recording '${recordingId}' is not stopped yet` });
    assert.equal((await api(sim, 'DELETE', '/recordings/not-a-recording-id')).status, 422);
    const unknown = await api(sim, 'DELETE', `/recordings/${room.roomId}--EG_aaaaaaaaaaaa--bbbbbbbbbb`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'Recording Error');

    await sim.stopRecording(recordingId);
    const deleted = await api(sim, 'DELETE', `/recordings/${recordingId}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, { message: `Recording '${recordingId}' deleted successfully` });
    assert.equal((await api(sim, 'GET', `/recordings/${recordingId}`)).status, 404);
  });

  test('the playback URL and media endpoint serve the recording, with Range support and secret access', async (t) => {
    const sim = await startSim(t);
    const { recordingId } = await roomWithRecording(sim);
    const { body } = await api(sim, 'GET', `/recordings/${recordingId}/url`);
    const playback = new URL(body.url as string);
    assert.equal(playback.origin + playback.pathname, `${sim.url}/meet/recording/${recordingId}`);
    const secret = playback.searchParams.get('secret');
    assert.match(String(secret), /^[0-9a-z]{10}$/);

    const page = await fetch(body.url as string);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);

    const anonymous = await fetch(`${sim.apiUrl}/recordings/${recordingId}/media?secret=${secret}`, {
      headers: { Range: 'bytes=0-7' },
    });
    assert.equal(anonymous.status, 206);
    assert.equal(anonymous.headers.get('content-type'), 'video/mp4');
    assert.match(anonymous.headers.get('content-range') ?? '', /^bytes 0-7\/\d+$/);
    assert.equal((await anonymous.arrayBuffer()).byteLength, 8);
    assert.equal((await fetch(`${sim.apiUrl}/recordings/${recordingId}/media`)).status, 401);
    const unsatisfiable = await fetch(`${sim.apiUrl}/recordings/${recordingId}/media?secret=${secret}`, {
      headers: { Range: 'bytes=999999-' },
    });
    assert.equal(unsatisfiable.status, 416);
  });
});

// ── Room deletion (§4.4) ────────────────────────────────────────────────────────────────────────

describe('room deletion', () => {
  test('an idle room without recordings is deleted with 200 room_deleted and no webhook', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Plain');
    const deleted = await api(sim, 'DELETE', `/rooms/${room.roomId}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, { successCode: 'room_deleted', message: `Room '${room.roomId}' deleted successfully` });
    await sim.idle();
    assert.equal(receiver.received.length, 0);
  });

  test('a room with recordings: 409 room_has_recordings, close keeps it closed, force deletes both', async (t) => {
    const sim = await startSim(t);
    const first = await roomWithRecording(sim, 'First');

    const refused = await api(sim, 'DELETE', `/rooms/${first.roomId}`);
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body, {
      error: 'room_has_recordings',
      message: `Room '${first.roomId}' cannot be deleted because it has recordings.`,
    });

    const closed = await api(sim, 'DELETE', `/rooms/${first.roomId}?withRecordings=close`);
    assert.equal(closed.status, 200);
    assert.equal(closed.body.successCode, 'room_closed');
    assert.equal(closed.body.room.status, 'closed');
    assert.equal((await api(sim, 'GET', `/rooms/${first.roomId}`)).body.status, 'closed');

    const forced = await api(sim, 'DELETE', `/rooms/${first.roomId}?withRecordings=force`);
    assert.equal(forced.status, 200);
    assert.equal(forced.body.successCode, 'room_and_recordings_deleted');
    assert.equal('room' in forced.body, false);
    assert.equal((await api(sim, 'GET', `/rooms/${first.roomId}`)).status, 404);
    assert.equal((await api(sim, 'GET', `/recordings/${first.recordingId}`)).status, 404);
  });

  test('an active meeting: 409 without a policy, withMeeting=force ends it (meetingEnded) and deletes', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Busy');
    sim.join(room.roomId);

    const refused = await api(sim, 'DELETE', `/rooms/${room.roomId}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'room_has_active_meeting');

    const forced = await api(sim, 'DELETE', `/rooms/${room.roomId}?withMeeting=force`);
    assert.equal(forced.status, 200);
    assert.equal(forced.body.successCode, 'room_with_active_meeting_deleted');
    const [, ended] = await receiver.waitFor(2);
    assert.equal(ended!.json.event, 'meetingEnded');
    assert.equal(ended!.json.data.meetingEndAction, 'delete');
    assert.equal((await api(sim, 'GET', `/rooms/${room.roomId}`)).status, 404);
  });

  test('a meeting with recordings, withMeeting=when_meeting_ends: 409 without a recordings policy, then 202 and deletion at the end', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const { roomId, recordingId } = await roomWithRecording(sim, 'Weekly');
    sim.join(roomId);

    const refused = await api(sim, 'DELETE', `/rooms/${roomId}?withMeeting=when_meeting_ends`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'room_with_active_meeting_has_recordings_cannot_schedule_deletion');

    const scheduled = await api(sim, 'DELETE', `/rooms/${roomId}?withMeeting=when_meeting_ends&withRecordings=force`);
    assert.equal(scheduled.status, 202);
    assert.equal(scheduled.body.successCode, 'room_with_active_meeting_and_recordings_scheduled_to_be_deleted');
    assert.equal(scheduled.body.room.meetingEndAction, 'delete');
    assert.equal((await api(sim, 'GET', `/recordings/${recordingId}`)).status, 200);

    receiver.received.length = 0;
    sim.leave(roomId);
    const [ended] = await receiver.waitFor(1);
    assert.equal(ended!.json.data.meetingEndAction, 'delete');
    assert.equal((await api(sim, 'GET', `/rooms/${roomId}`)).status, 404);
    assert.equal((await api(sim, 'GET', `/recordings/${recordingId}`)).status, 404);
  });

  test('withRecordings=close during a meeting schedules a close (202) that meetingEnded carries out', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const { roomId } = await roomWithRecording(sim, 'Keep');
    sim.join(roomId);
    const scheduled = await api(sim, 'DELETE', `/rooms/${roomId}?withMeeting=when_meeting_ends&withRecordings=close`);
    assert.equal(scheduled.status, 202);
    assert.equal(scheduled.body.successCode, 'room_with_active_meeting_scheduled_to_be_closed');
    receiver.received.length = 0;
    sim.endMeeting(roomId);
    const [ended] = await receiver.waitFor(1);
    assert.equal(ended!.json.data.status, 'closed');
    assert.equal((await api(sim, 'GET', `/rooms/${roomId}`)).body.status, 'closed');
  });
});

// ── Lists and pagination (§4.2) ─────────────────────────────────────────────────────────────────

describe('lists', () => {
  test('GET /rooms pages with maxItems and nextPageToken, omitting the token on the last page', async (t) => {
    const sim = await startSim(t);
    const created = Array.from({ length: 12 }, (_, i) => sim.createRoom(`Room ${i}`).roomId);

    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const query = `maxItems=5${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`;
      const { status, body } = await api(sim, 'GET', `/rooms?${query}`);
      assert.equal(status, 200);
      assert.equal(body.pagination.maxItems, 5);
      assert.equal(body.pagination.isTruncated, 'nextPageToken' in body.pagination);
      sizes.push(body.rooms.length);
      seen.push(...(body.rooms as { roomId: string }[]).map((room) => room.roomId));
      token = body.pagination.nextPageToken;
    } while (token);
    assert.deepEqual(sizes, [5, 5, 2]);
    assert.deepEqual([...seen].sort(), [...created].sort());

    assert.equal((await api(sim, 'GET', '/rooms')).body.pagination.maxItems, 10);
    assert.equal((await api(sim, 'GET', '/rooms?maxItems=500')).body.pagination.maxItems, 100);
    assert.equal((await api(sim, 'GET', '/rooms?maxItems=0')).status, 422);
    const nonNumeric = await api(sim, 'GET', '/rooms?maxItems=abc');
    assert.equal(nonNumeric.status, 422);
    assert.equal(nonNumeric.body.error, 'Unprocessable Entity');
    assert.equal(nonNumeric.body.details[0].field, 'maxItems');
  });

  test('the recordings roomId filter is a sanitised prefix at 3.4 and exact from 3.5', async (t) => {
    const old = await startSim(t, { version: '3.4' });
    const standup = await roomWithRecording(old, 'Daily Standup');
    const standupX = await roomWithRecording(old, 'Daily StandupX');
    await roomWithRecording(old, 'Other');
    const byName = await api(old, 'GET', `/recordings?roomId=${encodeURIComponent('Daily Standup')}`);
    assert.deepEqual(
      (byName.body.recordings as { recordingId: string }[]).map((r) => r.recordingId).sort(),
      [standup.recordingId, standupX.recordingId].sort(),
    );

    const current = await startSim(t, { version: '3.8' });
    const exact = await roomWithRecording(current, 'Daily Standup');
    await roomWithRecording(current, 'Daily Standup Two');
    const byPrefix = await api(current, 'GET', '/recordings?roomId=daily_standup');
    assert.deepEqual(byPrefix.body.recordings, []);
    const byId = await api(current, 'GET', `/recordings?roomId=${exact.roomId}`);
    assert.deepEqual((byId.body.recordings as { recordingId: string }[]).map((r) => r.recordingId), [exact.recordingId]);
  });
});

// ── Versions: shapes and base paths (§2.3, §2.4, §2.8, §4.6) ────────────────────────────────────

describe('versions', () => {
  test('3.4 serves /api/v1 with moderatorUrl/speakerUrl rooms and sanitised names', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { version: '3.4', webhookUrl: receiver.url });
    assert.equal(sim.apiUrl, `${sim.url}/api/v1`);

    const created = await api(sim, 'POST', '/rooms', { roomName: 'Daily  Standup!' });
    assert.equal(created.status, 201);
    const room = created.body;
    assert.equal(created.headers.get('location'), `${sim.url}/api/v1/rooms/${room.roomId}`);
    assert.equal(room.roomName, 'Daily Standup');
    assert.match(room.roomId, /^DailyStandup-[0-9a-z]{15}$/);
    assert.deepEqual(Object.keys(room), [
      'roomId', 'roomName', 'creationDate', 'autoDeletionPolicy', 'config', 'moderatorUrl', 'speakerUrl', 'status',
      'meetingEndAction',
    ]);
    assert.match(room.moderatorUrl, new RegExp(`^${sim.url}/room/${room.roomId}\\?secret=[0-9a-z]{10}$`));
    assert.match(room.speakerUrl, new RegExp(`^${sim.url}/room/${room.roomId}\\?secret=[0-9a-z]{10}$`));
    assert.deepEqual(room.autoDeletionPolicy, { withMeeting: 'when_meeting_ends', withRecordings: 'close' });
    assert.deepEqual(room.config, {
      recording: { enabled: true, allowAccessTo: 'admin_moderator_speaker' },
      chat: { enabled: true },
      virtualBackground: { enabled: true },
    });
    assert.equal((await api(sim, 'POST', '/rooms', {})).body.roomName, 'Room');

    sim.join(room.roomId);
    const [started] = await receiver.waitFor(1);
    assert.deepEqual(started!.json.data, { ...room, status: 'active_meeting' });

    assert.equal((await fetch(`${sim.url}/meet/api/v1/rooms`, { headers: { 'X-API-KEY': API_KEY } })).status, 404);
    const component = await fetch(`${sim.url}/v1/openvidu-meet.js`);
    assert.equal(component.status, 200);
    assert.match(component.headers.get('content-type') ?? '', /javascript/);
    assert.match(await component.text(), /customElements\.define\('openvidu-meet'/);
  });

  test('3.8 serves /meet/api/v1 with owner/roles/access rooms and free-text names', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url, publicUrl: 'https://meet.example.test' });
    assert.equal(sim.apiUrl, `${sim.url}/meet/api/v1`);
    const name = '<img src=x onerror=alert(1)>';

    const created = await api(sim, 'POST', '/rooms', { roomName: name });
    assert.equal(created.status, 201);
    const room = created.body;
    assert.equal(room.roomName, name);
    assert.match(room.roomId, /^img_srcx_onerroralert1-[0-9a-z]{15}$/);
    assert.deepEqual(Object.keys(room), [
      'roomId', 'roomName', 'owner', 'creationDate', 'access', 'status', 'rolesUpdatedAt', 'meetingEndAction',
    ]);
    assert.equal(room.owner, 'admin');
    assert.match(
      room.access.anonymous.moderator.url,
      new RegExp(`^https://meet\\.example\\.test/meet/room/${room.roomId}\\?secret=[0-9a-z]{10}$`),
    );
    assert.match(room.access.anonymous.recording.url, new RegExp(`/meet/room/${room.roomId}/recordings\\?secret=`));
    assert.deepEqual(room.access.user, { enabled: false, url: `https://meet.example.test/meet/room/${room.roomId}` });

    const expanded = await api(sim, 'GET', `/rooms/${room.roomId}?extraFields=config,roles`);
    assert.deepEqual(Object.keys(expanded.body.config), ['chat', 'recording', 'virtualBackground', 'e2ee', 'captions']);
    assert.equal(expanded.body.roles.speaker.permissions.canRecord, false);

    sim.join(room.roomId);
    const [started] = await receiver.waitFor(1);
    assert.deepEqual(Object.keys(started!.json.data), [
      'roomId', 'roomName', 'owner', 'creationDate', 'config', 'roles', 'access', 'status', 'rolesUpdatedAt',
      'meetingEndAction',
    ]);
    assert.equal('moderatorUrl' in started!.json.data, false);

    assert.equal((await fetch(`${sim.url}/api/v1/rooms`, { headers: { 'X-API-KEY': API_KEY } })).status, 404);
    assert.equal((await fetch(`${sim.url}/meet/v1/openvidu-meet.js`)).status, 200);
  });

  test('the meeting page never puts a room name into markup', async (t) => {
    const sim = await startSim(t);
    const name = '<img src=x onerror=alert(1)>';
    const room = sim.createRoom(name);
    const page = await fetch(room.links.moderator);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.equal(html.includes(name), false);
    assert.match(html, /\\u003cimg src=x onerror=alert\(1\)>/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'nonce-/);
    assert.equal((await fetch(room.links.moderator.replace(/secret=\w+/, 'secret=wrong'))).status, 403);
  });
});

// ── Authentication and errors (§4.1) ───────────────────────────────────────────────────────────

describe('authentication and errors', () => {
  test('the API answers 401 without or with a wrong X-API-KEY', async (t) => {
    const sim = await startSim(t);
    const missing = await api(sim, 'GET', '/rooms', undefined, {});
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { error: 'Authentication Error', message: 'Unauthorized' });
    const wrong = await api(sim, 'GET', '/rooms', undefined, { 'X-API-KEY': 'nope' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: 'Authentication Error', message: 'Invalid API key' });
    assert.equal((await api(sim, 'GET', '/recordings', undefined, {})).status, 401);
  });

  test('unknown paths, unknown rooms, bad JSON and invalid bodies get Meet error bodies', async (t) => {
    const sim = await startSim(t);
    const unknownPath = await api(sim, 'GET', '/meetings');
    assert.equal(unknownPath.status, 404);
    assert.deepEqual(unknownPath.body, { error: 'Path Not Found', message: 'API path not implemented' });

    const unknownRoom = await api(sim, 'GET', '/rooms/nope-123');
    assert.deepEqual(unknownRoom.body, { error: 'Room Error', message: "Room 'nope-123' does not exist" });

    const badJson = await fetch(`${sim.apiUrl}/rooms`, {
      method: 'POST',
      headers: { 'X-API-KEY': API_KEY, 'Content-Type': 'application/json' },
      body: '{"roomName":',
    });
    assert.equal(badJson.status, 400);
    assert.deepEqual(await badJson.json(), { error: 'Bad Request', message: 'Malformed body' });

    const tooLong = await api(sim, 'POST', '/rooms', { roomName: 'x'.repeat(51) });
    assert.equal(tooLong.status, 422);
    assert.deepEqual(tooLong.body.details, [{ field: 'roomName', message: 'roomName cannot exceed 50 characters' }]);
  });
});

// ── Delivery tricks ─────────────────────────────────────────────────────────────────────────────

describe('delivery tricks', () => {
  test('sendDuplicate(n) delivers the next webhook n more times with identical bytes', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Dup');
    sim.sendDuplicate(2);
    sim.join(room.roomId);
    const copies = await receiver.waitFor(3);
    assert.equal(new Set(copies.map((c) => `${c.headers['x-signature']}|${c.headers['x-timestamp']}|${c.body}`)).size, 1);
    sim.leave(room.roomId);
    await receiver.waitFor(4);
    await sim.idle();
    assert.deepEqual(receiver.events(), ['meetingStarted', 'meetingStarted', 'meetingStarted', 'meetingEnded']);
  });

  test('holdAndReorder delivers held webhooks newest first; delayNext makes one arrive late', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t, { webhookUrl: receiver.url });
    const room = sim.createRoom('Order');
    sim.holdAndReorder(2);
    sim.join(room.roomId);
    sim.leave(room.roomId);
    await receiver.waitFor(2);
    assert.deepEqual(receiver.events(), ['meetingEnded', 'meetingStarted']);
    const [ended, started] = receiver.received;
    assert.ok(ended!.json.creationDate >= started!.json.creationDate);

    sim.delayNext(300);
    sim.join(room.roomId);
    sim.leave(room.roomId);
    await receiver.waitFor(4);
    assert.deepEqual(receiver.events().slice(2), ['meetingEnded', 'meetingStarted']);
  });

  test('a re-sent delivery repeats the earlier bytes; backdateNext stamps a valid but stale webhook', async (t) => {
    const receiver = await startReceiver(t);
    const clock = manualClock();
    const sim = await startSim(t, { webhookUrl: receiver.url, clock: clock.now });
    const room = sim.createRoom('Stale');
    sim.join(room.roomId);
    const [original] = await receiver.waitFor(1);
    const delivery = (await sim.waitForDelivery((d) => d.event === 'meetingStarted' && d.ok)).delivery;
    clock.advance(1000); // a copy signed anew would carry another X-Timestamp
    sim.resendDelivery(delivery);
    const [, copy] = await receiver.waitFor(2);
    assert.equal(copy!.body, original!.body);
    assert.equal(copy!.headers['x-signature'], original!.headers['x-signature']);

    sim.backdateNext(10 * 60_000);
    sim.leave(room.roomId);
    const [, , stale] = await receiver.waitFor(3);
    const timestamp = Number(stale!.headers['x-timestamp']);
    assert.equal(timestamp, clock.now() - 10 * 60_000);
    assert.equal(stale!.headers['x-signature'], hmacHex(API_KEY, `${timestamp}.${stale!.body}`));
  });

  test('the /_sim HTTP controls drive the same simulator', async (t) => {
    const receiver = await startReceiver(t);
    const sim = await startSim(t);
    const control = async (method: string, path: string, body?: unknown): Promise<Omit<ApiAnswer, 'headers'>> => {
      const response = await fetch(`${sim.url}/_sim${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
    };
    assert.equal((await control('PUT', '/webhook', { url: receiver.url })).body.webhook.enabled, true);
    const room = (await control('POST', '/rooms', { roomName: 'Over HTTP' })).body;
    const joined = await control('POST', `/rooms/${room.roomId}/join`, { name: 'Ann', role: 'moderator' });
    assert.equal(joined.status, 201);
    const started = await control('POST', `/rooms/${room.roomId}/recordings`);
    assert.equal(started.status, 201);
    const stopped = await control('POST', `/recordings/${started.body.recordingId}/stop`, { outcome: 'limit_reached' });
    assert.equal(stopped.body.status, 'limit_reached');
    assert.equal((await control('POST', `/rooms/${room.roomId}/leave`, { identity: joined.body.identity })).body.left, true);
    await receiver.waitFor(6);
    const deliveries = (await control('GET', '/deliveries')).body as { event: string }[];
    assert.deepEqual(
      [...new Set(deliveries.map((d) => d.event))],
      ['meetingStarted', 'recordingStarted', 'recordingUpdated', 'recordingEnded', 'meetingEnded'],
    );
  });
});
