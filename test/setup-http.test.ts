// GET /api/setup: the webhook URL each platform must be given (from PUBLIC_URL, else from the address the
// page was opened with, never from a foreign or forwarded host), what each platform last delivered and had
// refused with its hint and clock skew, and the warning for a platform silent while its rooms show meetings.
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { SetupReport } from '../server/setup/types.js';
import { startTestServer } from './helpers/server.js';
import { startStack } from './helpers/stack.js';
import { runningClock } from './helpers/clock.js';
import { meetDelivery, meetingStarted, post } from './helpers/meet.js';
import { rawRequest } from './helpers/raw-http.js';

async function setup(url: string, headers: Record<string, string> = {}): Promise<{ status: number; report: SetupReport }> {
  const response = await rawRequest(url, '/api/setup', { headers: { host: new URL(url).host, ...headers } });
  return { status: response.status, report: JSON.parse(response.body) as SetupReport };
}

const platformOf = (report: SetupReport, id: string) => report.platforms.find((platform) => platform.id === id)!;

test('with PUBLIC_URL, every webhook URL starts with it, whatever address the page uses', async (t) => {
  const server = await startTestServer({ PUBLIC_URL: 'https://ops.example.com/roomwatch/', LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'a-secret' });
  t.after(() => server.dispose());
  const { status, report } = await setup(server.url);
  assert.equal(status, 200);
  assert.equal(report.baseUrl, 'https://ops.example.com/roomwatch');
  assert.equal(report.baseFrom, 'PUBLIC_URL');
  assert.equal(report.baseNote, null);
  assert.equal(platformOf(report, 'meet').webhookUrl, 'https://ops.example.com/roomwatch/webhook');
  assert.equal(platformOf(report, 'livekit').webhookUrl, 'https://ops.example.com/roomwatch/webhook/livekit');
  assert.deepEqual(platformOf(report, 'livekit').otherWebhookUrls, ['https://ops.example.com/roomwatch/livekit/webhook']);
});

test('without PUBLIC_URL, the URL is the address the page was opened with; a forwarded host is not, a forwarded scheme from a trusted proxy is', async (t) => {
  const server = await startTestServer({ ALLOWED_HOSTS: 'roomwatch.internal' });
  t.after(() => server.dispose());
  const port = new URL(server.url).port;

  const local = await setup(server.url);
  assert.equal(local.report.baseUrl, `http://127.0.0.1:${port}`);
  assert.equal(local.report.baseFrom, 'request');
  assert.match(local.report.baseNote ?? '', /^127\.0\.0\.1 is this machine itself.*set PUBLIC_URL/);

  const named = await setup(server.url, { host: `roomwatch.internal:${port}`, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
  assert.equal(named.status, 200);
  // TRUST_PROXY=loopback: this test's socket is a trusted proxy, so its scheme counts, never its host.
  assert.equal(named.report.baseUrl, `https://roomwatch.internal:${port}`);
  assert.equal(named.report.baseNote, null);
  assert.equal(platformOf(named.report, 'meet').webhookUrl, `https://roomwatch.internal:${port}/webhook`);
});

test('a foreign Host gets the 403 of the host check, and no URL built from it', async (t) => {
  const server = await startTestServer();
  t.after(() => server.dispose());
  const response = await rawRequest(server.url, '/api/setup', { headers: { host: 'evil.example' } });
  assert.equal(response.status, 403);
  assert.equal((JSON.parse(response.body) as { error: string }).error, 'host_not_allowed');
  assert.ok(!response.body.includes('webhook'), response.body);
});

test('with every host allowed, a Host that is not a host name and port is refused rather than handed out', async (t) => {
  const server = await startTestServer({ ALLOWED_HOSTS: '*' });
  t.after(() => server.dispose());
  const response = await rawRequest(server.url, '/api/setup', { headers: { host: 'evil.example/phish?x=' } });
  assert.equal(response.status, 400);
  assert.equal((JSON.parse(response.body) as { error: string }).error, 'bad_host');
});

test('each platform says whether it is on and which settings turn it on, how it authenticates, and what to set on its side', async (t) => {
  const server = await startTestServer({ ENABLEX_WEBHOOK_USER: 'enx', ENABLEX_WEBHOOK_PASSWORD: 'enx-password' });
  t.after(() => server.dispose());
  const { report } = await setup(server.url);
  assert.deepEqual(
    report.platforms.map(({ id, enabled }) => [id, enabled]),
    [['meet', true], ['openvidu', false], ['livekit', false], ['liveswitch', false], ['enablex', true]],
  );
  assert.equal(platformOf(report, 'meet').enabledBy, null);
  assert.equal(platformOf(report, 'livekit').enabledBy, 'LIVEKIT_API_KEY and LIVEKIT_API_SECRET, LIVEKIT_KEYS or LIVEKIT_KEY_FILE');
  assert.match(platformOf(report, 'enablex').setupSteps.join('\n'), /HTTP Authentication.*ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD/);
  assert.match(platformOf(report, 'meet').setupSteps[0]!, /Meet console, page Embedded/);
  assert.ok(!JSON.stringify(report).includes('enx-password'), 'no secret in the report');
  // Meet's API is where nothing answers (the test server's default): the reconciler's status says so.
  await new Promise<void>((resolve) => {
    const poll = async () => ((await setup(server.url)).report.platforms[0]!.api?.state === 'unreachable' ? resolve() : setTimeout(poll, 25));
    void poll();
  });
  assert.equal(platformOf(report, 'enablex').api, null);
});

test('the last webhook, and the last refusal with its hint and the clock skew, per platform', async (t) => {
  const server = await startTestServer();
  t.after(() => server.dispose());
  assert.equal(platformOf((await setup(server.url)).report, 'meet').lastRefusal, null);

  assert.equal((await post(server.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { key: 'not-the-key' }))).status, 401);
  let meet = platformOf((await setup(server.url)).report, 'meet');
  assert.equal(meet.lastRefusal?.reason, 'signature_mismatch');
  assert.match(meet.lastRefusal?.hint ?? '', /^OV_MEET_API_KEY is not the key this Meet signs with/);
  assert.equal(meet.lastWebhook, null);

  assert.equal((await post(server.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { timestamp: Date.now() - 312_000 }))).status, 401);
  meet = platformOf((await setup(server.url)).report, 'meet');
  assert.equal(meet.lastRefusal?.reason, 'stale_timestamp');
  assert.ok(meet.lastRefusal!.skewMs! >= 312_000 && meet.lastRefusal!.skewMs! < 320_000, String(meet.lastRefusal?.skewMs));
  assert.match(meet.lastRefusal?.hint ?? '', /^X-Timestamp is 31\d s old/);

  const accepted = await post(server.url, meetingStarted('standup-k3j9x0q2m7a1b4c'));
  assert.equal(accepted.status, 200);
  meet = platformOf((await setup(server.url)).report, 'meet');
  assert.equal(meet.lastWebhook?.type, 'meetingStarted');
  assert.deepEqual([meet.lastWebhook?.seq], accepted.json.stored);
  assert.equal(meet.meetingsNow, 1);

  const ended = meetDelivery('meetingEnded', { roomId: 'standup-k3j9x0q2m7a1b4c', roomName: 'standup', status: 'open', meetingEndAction: 'none' }, { timestamp: Date.now() + 1 });
  assert.equal((await post(server.url, ended)).status, 200);
  meet = platformOf((await setup(server.url)).report, 'meet');
  assert.equal(meet.lastWebhook?.type, 'meetingEnded');
  assert.equal(meet.meetingsNow, 0);
});

test('a platform whose rooms show a meeting that no webhook announced gets a warning once the meeting has run a while, gone with its next webhook', async (t) => {
  const clock = runningClock();
  const stack = await startStack({ now: clock.now });
  t.after(() => stack.dispose());
  const { url } = stack.roomwatch;
  stack.meet.setWebhooksEnabled(false);
  const { roomId } = stack.meet.createRoom('Quiet Room');
  stack.meet.startMeeting(roomId);
  for (;;) {
    await rawRequest(url, '/api/reconcile', { method: 'POST', headers: { host: new URL(url).host } });
    if (platformOf((await setup(url)).report, 'meet').meetingsNow === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Just found: its start webhook may still be on its way.
  assert.equal(platformOf((await setup(url)).report, 'meet').silence, null);

  clock.advance(3 * 60_000);
  const silent = platformOf((await setup(url)).report, 'meet');
  assert.match(silent.silence ?? '', /^A room shows a meeting that no webhook announced, and no webhook from OpenVidu Meet has ever arrived: check that OpenVidu Meet posts to the webhook URL above/);

  assert.equal((await post(url, meetingStarted(`other-k3j9x0q2m7a1b4c`, clock.now()))).status, 200);
  assert.equal(platformOf((await setup(url)).report, 'meet').silence, null);
});

test('after a restart, the last webhook and refusal of each platform are read back from the stored log', async (t) => {
  const first = await startTestServer();
  const { dataDir } = first;
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  assert.equal((await post(first.url, meetingStarted('standup-k3j9x0q2m7a1b4c'))).status, 200);
  assert.equal((await post(first.url, meetDelivery('meetingEnded', { roomId: 'standup' }, { key: 'not-the-key' }))).status, 401);
  const before = platformOf((await setup(first.url)).report, 'meet');
  await first.stop();

  const second = await startTestServer({}, dataDir);
  t.after(() => second.stop());
  const after = platformOf((await setup(second.url)).report, 'meet');
  assert.equal(after.lastWebhook?.type, 'meetingStarted');
  assert.deepEqual(after.lastWebhook, before.lastWebhook);
  assert.deepEqual(after.lastRefusal, before.lastRefusal);
  assert.equal(after.lastRefusal?.reason, 'signature_mismatch');
});

test('with DASHBOARD_PASSWORD, the setup report needs a session like every /api route', async (t) => {
  const server = await startTestServer({ DASHBOARD_PASSWORD: 'a long passphrase' });
  t.after(() => server.dispose());
  const response = await rawRequest(server.url, '/api/setup', { headers: { host: new URL(server.url).host } });
  assert.equal(response.status, 401);
  assert.ok(!response.body.includes('/webhook'), response.body);
});
