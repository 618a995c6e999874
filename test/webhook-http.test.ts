import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { health, startTestServer, type TestServer } from './helpers/server.js';
import { meetDelivery, meetingStarted, post, signed } from './helpers/meet.js';
import { eventFrames, openSse } from './helpers/sse.js';
import { openDatabase } from '../server/store/sqlite/database.js';
import { stalledPost } from './helpers/stalled-request.js';
import type { EventPage, RefusalEntry } from '../server/inspector/types.js';

let server: TestServer;
before(async () => {
  // Meet's REST API on a closed port: this file is about webhooks, not about whatever listens on 9080.
  server = await startTestServer({ MAX_WEBHOOK_BYTES: String(64 * 1024), OV_MEET_SERVER_URL: 'http://127.0.0.1:9' });
});
after(() => server.dispose());

test('a signed Meet webhook is answered 200 after it is stored, and reaches /events unchanged', async () => {
  const sse = await openSse(`${server.url}/events`);
  const delivery = meetingStarted();
  const response = await post(server.url, delivery);
  assert.equal(response.status, 200);
  const [seq] = response.json.stored as number[];
  assert.ok(Number.isInteger(seq) && seq! >= 1);

  // The 200 came after the commit: another connection to the SQLite file already sees the row.
  const db = openDatabase(server.dataDir);
  const row = db.prepare('SELECT type, source, body FROM events WHERE seq = ?').get(seq) as { type: string; source: string; body: Buffer };
  db.close();
  assert.deepEqual({ type: row.type, source: row.source, body: row.body.toString() }, { type: 'meetingStarted', source: 'meet', body: delivery.body });

  const [frame] = eventFrames(await sse.waitFor((frames) => eventFrames(frames).length === 1));
  assert.deepEqual(frame, { id: String(seq), data: delivery.body });
  sse.close();
});

test('/webhook/meet is the same receiver', async () => {
  const delivery = meetingStarted();
  const response = await fetch(`${server.url}/webhook/meet`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  assert.equal(response.status, 200);
});

test('the console test event is accepted and broadcast like any other', async () => {
  const sse = await openSse(`${server.url}/events`);
  const delivery = meetDelivery('testEvent', { message: 'This is a test webhook event' });
  assert.equal((await post(server.url, delivery)).status, 200);
  const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).some((f) => f.data === delivery.body)));
  assert.equal(frames.filter((f) => f.data === delivery.body).length, 1);
  assert.equal(JSON.parse(frames.find((f) => f.data === delivery.body)!.data).event, 'testEvent');
  sse.close();
});

test('a retried delivery is answered 200, stored once and broadcast once', async () => {
  const sse = await openSse(`${server.url}/events`);
  const delivery = meetingStarted();
  const before = await health(server.url);
  const answers = [];
  for (let attempt = 0; attempt < 6; attempt++) answers.push(await post(server.url, delivery));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 200]);
  const seq = (answers[0]!.json.stored as number[])[0];
  for (const answer of answers.slice(1)) assert.deepEqual(answer.json, { stored: [], repeated: [seq] });

  // A later, different event proves the stream moved on without a second copy of the first.
  const next = meetingStarted();
  await post(server.url, next);
  const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).some((f) => f.data === next.body)));
  assert.equal(frames.filter((f) => f.data === delivery.body).length, 1);
  const after = await health(server.url);
  assert.equal(after.webhooks.repeats - before.webhooks.repeats, 5);
  assert.equal(after.webhooks.stored - before.webhooks.stored, 2);
  sse.close();
});

test('concurrent identical deliveries are stored once', async () => {
  const delivery = meetingStarted();
  const answers = await Promise.all(Array.from({ length: 8 }, () => post(server.url, delivery)));
  assert.ok(answers.every((a) => a.status === 200));
  assert.equal(answers.filter((a) => (a.json.stored as number[]).length === 1).length, 1);
});

const now = () => Date.now();
const body = () => JSON.stringify({ event: 'meetingStarted', creationDate: now(), data: { roomId: `r-${Math.random()}` } });
const refusals: { name: string; make: () => { body: string; headers: Record<string, string> }; status: number; error: string }[] = [
  { name: 'no signature headers', make: () => ({ body: body(), headers: { 'content-type': 'application/json' } }), status: 401, error: 'missing_header' },
  {
    name: 'a signature that is not 64 hex characters',
    make: () => ({ body: body(), headers: { 'x-timestamp': String(now()), 'x-signature': 'abc' } }),
    status: 401,
    error: 'malformed_signature',
  },
  {
    name: 'an odd-length, non-hex signature',
    make: () => ({ body: body(), headers: { 'x-timestamp': String(now()), 'x-signature': `${'a'.repeat(63)}Z` } }),
    status: 401,
    error: 'malformed_signature',
  },
  {
    name: 'a wrong signature',
    make: () => ({ ...signed(body(), now(), 'another-key') }),
    status: 401,
    error: 'signature_mismatch',
  },
  {
    name: 'a stale timestamp',
    make: () => {
      const ts = now() - 121_000;
      return signed(JSON.stringify({ event: 'meetingStarted', creationDate: ts, data: {} }), ts);
    },
    status: 401,
    error: 'stale_timestamp',
  },
  {
    name: 'a future timestamp',
    make: () => {
      const ts = now() + 121_000;
      return signed(JSON.stringify({ event: 'meetingStarted', creationDate: ts, data: {} }), ts);
    },
    status: 401,
    error: 'future_timestamp',
  },
  { name: 'a signed body that is not JSON', make: () => signed('{"event":', now()), status: 400, error: 'bad_json' },
  {
    name: 'a body over the size limit',
    make: () => {
      const ts = now();
      return signed(JSON.stringify({ event: 'meetingStarted', creationDate: ts, data: { pad: 'x'.repeat(70 * 1024) } }), ts);
    },
    status: 413,
    error: 'too_large',
  },
];

for (const refusal of refusals) {
  test(`${refusal.name} is refused with ${refusal.status} ${refusal.error}, never stored nor broadcast`, async () => {
    const sse = await openSse(`${server.url}/events`);
    const before = await health(server.url);
    const delivery = refusal.make();
    const response = await fetch(`${server.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    assert.equal(response.status, refusal.status);
    const answer = (await response.json()) as { error: string; message: string; hint: string };
    assert.equal(answer.error, refusal.error);
    assert.ok(answer.message.length > 0);
    assert.ok(answer.hint.length > 0, 'every refusal says what to check');
    const after = await health(server.url);
    assert.equal(after.latestSeq, before.latestSeq);
    assert.equal(after.webhooks.refused[refusal.error], (before.webhooks.refused[refusal.error] ?? 0) + 1);
    // Then a good event: it must be the first and only webhook frame this client sees.
    const good = meetingStarted();
    await post(server.url, good);
    const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).length >= 1));
    assert.deepEqual(frames.map((f) => f.data), [good.body]);
    sse.close();
  });
}

test('a body announced larger than the limit is refused before it is read', async () => {
  const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const request = http.request(`${server.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024), 'x-timestamp': '1', 'x-signature': 'a'.repeat(64) },
    });
    request.on('response', (response) => {
      resolve({ status: response.statusCode!, connection: response.headers.connection });
      response.resume();
      request.destroy();
    });
    request.on('error', reject);
    request.write('{');
  });
  assert.deepEqual(answer, { status: 413, connection: 'close' });
});

test('a stray LiveKit webhook on /livekit/webhook is not a Meet event', async () => {
  const before = await health(server.url);
  const response = await fetch(`${server.url}/livekit/webhook`, {
    method: 'POST',
    headers: { authorization: 'Bearer x', 'content-type': 'application/webhook+json' },
    body: '{"event":"room_started"}',
  });
  assert.equal(response.status, 404);
  assert.equal((await health(server.url)).latestSeq, before.latestSeq);
});

/** The newest refusal the inspector lists. */
async function latestRefusal(): Promise<RefusalEntry> {
  const page = (await (await fetch(`${server.url}/api/events?outcome=refused&limit=1`)).json()) as EventPage;
  return page.entries[0] as RefusalEntry;
}

test('a request without X-Signature is refused at once, before its body is sent, and the connection closed', { timeout: 10_000 }, async () => {
  const request = stalledPost(`${server.url}/webhook`, { 'content-type': 'application/json', 'content-length': '1000', 'x-timestamp': String(Date.now()) });
  const answer = await request.answer;
  assert.equal(answer.status, 401);
  assert.equal(answer.json.error, 'missing_header');
  assert.match(answer.json.message as string, /X-Signature/);
  assert.match(answer.json.hint as string, /X-Signature/);
  assert.equal(answer.headers.connection, 'close');
  await request.closed;
});

test('a signed body nested 6 000 levels deep is refused with 400 too_deep, never stored, and kept as a refusal with its hint', async () => {
  const sse = await openSse(`${server.url}/events`);
  const before = await health(server.url);
  const ts = Date.now();
  const deep = `{"event":"meetingStarted","creationDate":${ts},"data":${'['.repeat(6000)}${']'.repeat(6000)}}`;
  const response = await fetch(`${server.url}/webhook`, { method: 'POST', ...signed(deep, ts) });
  assert.equal(response.status, 400);
  const answer = (await response.json()) as { error: string; hint: string };
  assert.equal(answer.error, 'too_deep');
  assert.match(answer.hint, /64 levels/);
  assert.equal((await health(server.url)).latestSeq, before.latestSeq);
  const refusal = await latestRefusal();
  assert.deepEqual([refusal.reason, refusal.hint], ['too_deep', answer.hint]);
  // The stream goes on: the next genuine webhook is the only webhook frame this client sees.
  const good = meetingStarted();
  await post(server.url, good);
  const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).length >= 1));
  assert.deepEqual(frames.map((f) => f.data), [good.body]);
  sse.close();
});

test('a stale timestamp is refused with a hint that says how old it is, and the refusal keeps X-Timestamp and the skew', async () => {
  const ts = Date.now() - 312_000;
  const delivery = signed(JSON.stringify({ event: 'meetingStarted', creationDate: ts, data: {} }), ts);
  const response = await fetch(`${server.url}/webhook`, { method: 'POST', ...delivery });
  assert.equal(response.status, 401);
  const answer = (await response.json()) as { error: string; hint: string };
  assert.equal(answer.error, 'stale_timestamp');
  assert.match(answer.hint, /^X-Timestamp is 31[23] s old \(MAX_WEBHOOK_AGE allows 120 s\): check the clocks/);
  const refusal = await latestRefusal();
  assert.equal(refusal.reason, 'stale_timestamp');
  assert.equal(refusal.hint, answer.hint);
  assert.equal(refusal.timestamp, ts);
  assert.ok(refusal.skewMs! >= 312_000 && refusal.skewMs! < 320_000, String(refusal.skewMs));
});

test('a future timestamp and a wrong key get hints that name what to check on each side', async () => {
  const ahead = Date.now() + 200_000;
  const future = await fetch(`${server.url}/webhook`, { method: 'POST', ...signed(JSON.stringify({ event: 'x', creationDate: ahead, data: {} }), ahead) });
  assert.match(((await future.json()) as { hint: string }).hint, /^X-Timestamp is 20\d s ahead of this host's clock/);
  assert.ok((await latestRefusal()).skewMs! <= -199_000);

  const forged = await fetch(`${server.url}/webhook`, { method: 'POST', ...signed(body(), now(), 'another-key') });
  assert.match(((await forged.json()) as { hint: string }).hint, /^OV_MEET_API_KEY is not the key this Meet signs with \(Meet console → Embedded → API key\)/);
});

describe('GET and other methods on the webhook paths', () => {
  test('GET /webhook says what the endpoint is, that it takes signed POSTs, and that Meet is enabled', async () => {
    for (const path of ['/webhook', '/webhook/meet']) {
      const response = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /^application\/json/);
      const answer = (await response.json()) as Record<string, unknown>;
      assert.equal(answer.endpoint, path);
      assert.equal(answer.platform, 'meet');
      assert.equal(answer.enabled, true);
      assert.match(answer.message as string, /OpenVidu Meet webhook endpoint.*POST requests authenticated with X-Timestamp and X-Signature/);
    }
  });

  test('another method is a 405 that names the allowed ones', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${server.url}/webhook`, { method });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'GET, HEAD, POST');
      assert.equal(((await response.json()) as { error: string }).error, 'method_not_allowed');
    }
  });

  test('an unknown path under /webhook is a JSON 404 that lists the endpoints, never an HTML page', async () => {
    for (const [method, path] of [
      ['GET', '/webhook/nope'],
      ['POST', '/webhook/meet/extra'],
      ['POST', '/webhook/'],
      ['GET', '/Webhook/zoom'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { method, headers: { accept: 'text/html' } });
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type')!, /^application\/json/, path);
      const answer = (await response.json()) as { error: string; message: string };
      assert.equal(answer.error, 'not_found');
      assert.match(answer.message, /\/webhook, \/webhook\/meet, \/webhook\/openvidu/);
    }
  });
});
