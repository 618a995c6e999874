import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { health, startTestServer, type TestServer } from './helpers/server.js';
import { rawRequest } from './helpers/raw-http.js';
import { meetDelivery, meetingStarted, post } from './helpers/meet.js';
import { eventually } from './helpers/stack.js';
import { scrape } from './helpers/metrics.js';

const TOKEN = 'scraper-token-0123456789';
const PASSWORD = 'correct horse battery';

// Test servers point at a Meet URL where nothing answers (test/helpers): every reconciliation fails, and is counted.

describe('GET /metrics without a password or token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.dispose());

  test('is Prometheus text whose counters and store figures move with real webhooks', async () => {
    const first = await scrape(server.url);
    assert.equal(first.status, 200);
    assert.match(first.contentType ?? '', /^text\/plain; version=0\.0\.4/);
    const accepted = first.value('roomwatch_webhooks_accepted_total', { platform: 'meet' }) ?? 0;

    const rooms = [meetingStarted(), meetingStarted(), meetingStarted()];
    for (const delivery of rooms) assert.equal((await post(server.url, delivery)).status, 200);
    const recording = { recordingId: 'standup-q7w8e9r0t1y2u3i--EG_recording--1', roomId: 'standup-q7w8e9r0t1y2u3i', roomName: 'standup', status: 'active' };
    assert.equal((await post(server.url, meetDelivery('recordingStarted', recording))).status, 200);
    assert.equal((await post(server.url, rooms[0]!)).status, 200); // a retry: acknowledged, not stored again
    const { latestSeq } = await health(server.url);

    const after = await scrape(server.url);
    assert.equal(after.value('roomwatch_webhooks_accepted_total', { platform: 'meet' }), accepted + 4);
    assert.equal(after.value('roomwatch_store_latest_seq'), latestSeq);
    assert.ok(after.value('roomwatch_store_bytes')! > 0);
    // Row and entry counts are read at most every 2 s; poll until they show the three new rooms.
    const settled = await eventually(
      () => scrape(server.url),
      (s) => s.value('roomwatch_rooms', { platform: 'meet', status: 'active_meeting' }) === 3,
    );
    assert.equal(settled.value('roomwatch_recordings', { platform: 'meet', status: 'active' }), 1);
    // Each webhook is one entry, and each row it changed is one more.
    assert.equal(settled.value('roomwatch_store_events', { kind: 'webhook' }), 4);
    assert.equal(settled.value('roomwatch_store_events', { kind: 'change' }), 3 + 1);
    assert.equal(settled.value('roomwatch_log_lines_dropped_total'), 0);
  });

  test('without a token it is guarded like /api: a foreign host name is refused (DNS rebinding)', async () => {
    const { port } = new URL(server.url);
    const answer = await rawRequest(server.url, '/metrics', { headers: { host: `attacker.example:${port}` } });
    assert.equal(answer.status, 403);
    assert.equal((JSON.parse(answer.body) as { error: string }).error, 'host_not_allowed');
  });

  test('counts reconciliation runs and failures for Meet', async () => {
    const counted = await eventually(
      () => scrape(server.url),
      (s) => (s.value('roomwatch_reconcile_failures_total', { platform: 'meet' }) ?? 0) >= 1,
    );
    assert.ok(counted.value('roomwatch_reconcile_runs_total', { platform: 'meet' })! >= counted.value('roomwatch_reconcile_failures_total', { platform: 'meet' })!);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  after(() => server.dispose());

  test('needs the bearer token, compared byte for byte', async () => {
    const anonymous = await scrape(server.url);
    assert.equal(anonymous.status, 401);
    assert.deepEqual(JSON.parse(anonymous.text), { error: 'unauthenticated', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' });
    for (const wrong of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      assert.equal((await scrape(server.url, { authorization: wrong })).status, 401, wrong);
    }
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="roomwatch metrics"');
    const scraped = await scrape(server.url, { authorization: `Bearer ${TOKEN}` });
    assert.equal(scraped.status, 200);
    assert.notEqual(scraped.value('roomwatch_store_latest_seq'), undefined);
  });

  test('a scraper with the token may use any host name, such as a service name', async () => {
    const { port } = new URL(server.url);
    const answer = await rawRequest(server.url, '/metrics', { headers: { host: `roomwatch.monitoring.svc:${port}`, authorization: `Bearer ${TOKEN}` } });
    assert.equal(answer.status, 200);
    assert.match(answer.body, /^roomwatch_store_latest_seq /m);
  });
});

describe('GET /metrics with DASHBOARD_PASSWORD', () => {
  let server: TestServer;
  let tokenServer: TestServer;
  before(async () => {
    server = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD });
    tokenServer = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD, METRICS_TOKEN: TOKEN });
  });
  after(async () => {
    await server.dispose();
    await tokenServer.dispose();
  });

  const session = async (url: string) => {
    const response = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: PASSWORD }).toString(),
      redirect: 'manual',
    });
    return response.headers.get('set-cookie')!.split(';')[0]!;
  };

  test('needs a signed-in session, like /api', async () => {
    const anonymous = await scrape(server.url);
    assert.equal(anonymous.status, 401);
    assert.match(JSON.parse(anonymous.text).message, /a signed-in session/);
    // No token is configured: a bearer header opens nothing.
    assert.equal((await scrape(server.url, { authorization: `Bearer ${TOKEN}` })).status, 401);
    assert.equal((await scrape(server.url, { cookie: await session(server.url) })).status, 200);
  });

  test('with METRICS_TOKEN too, takes either the session or the token', async () => {
    assert.equal((await scrape(tokenServer.url)).status, 401);
    assert.equal((await scrape(tokenServer.url, { cookie: await session(tokenServer.url) })).status, 200);
    assert.equal((await scrape(tokenServer.url, { authorization: `Bearer ${TOKEN}` })).status, 200);
  });
});
