// Each platform's webhook path over real HTTP: exactly 200 when genuine, 401 when not, 404 when the
// platform is not configured, never a 5xx; every accepted event stored and streamed once.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { health, startTestServer, type TestServer } from './helpers/server.js';
import { openSse } from './helpers/sse.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import { signLiveSwitchWebhook } from '../server/platforms/liveswitch/sign.js';
import { basicAuthorization } from '../server/platforms/enablex/sign.js';
import { stalledPost } from './helpers/stalled-request.js';

const LIVEKIT = { apiKey: 'devkey', apiSecret: 'a-livekit-secret-of-32-characters!' };
const LIVEKIT_KEY = { key: LIVEKIT.apiKey, secret: LIVEKIT.apiSecret };
const ENABLEX = { user: 'enx', password: 'enx-password' };
const LIVESWITCH = 'liveswitch-secret';
const OPENVIDU_AUTH = 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU';

const post = async (server: TestServer, path: string, body: string, headers: Record<string, string>) => {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: (await response.json()) as { stored?: number[]; repeated?: number[]; error?: string; message?: string; hint?: string } };
};

/** JSON nested `levels` deep inside a realistic envelope: 12 KB at 6 000 levels. */
const nestedInside = (envelope: Record<string, unknown>, levels = 6000) =>
  `${JSON.stringify(envelope).slice(0, -1)},"deep":${'['.repeat(levels)}${']'.repeat(levels)}}`;

describe('with every platform configured', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      OPENVIDU_WEBHOOK_HEADERS: JSON.stringify([`Authorization: ${OPENVIDU_AUTH}`]),
      LIVEKIT_API_KEY: LIVEKIT.apiKey,
      LIVEKIT_API_SECRET: LIVEKIT.apiSecret,
      LIVESWITCH_SHARED_SECRET: LIVESWITCH,
      ENABLEX_WEBHOOK_USER: ENABLEX.user,
      ENABLEX_WEBHOOK_PASSWORD: ENABLEX.password,
      OV_MEET_SERVER_URL: 'http://127.0.0.1:9',
    });
  });
  after(() => server.dispose());

  const livekitBody = (id: string) =>
    `{"event":"room_started","id":"${id}","createdAt":"${Math.floor(Date.now() / 1000)}","room":{"sid":"RM_${id}","name":"daily-standup","creationTime":"1628545903"}}`;

  const cases: { platform: string; path: string; body: string; headers: (body: string) => Promise<Record<string, string>>; type: string }[] = [
    {
      platform: 'openvidu',
      path: '/webhook/openvidu',
      body: `{"sessionId":"ses_A","uniqueSessionId":"ses_A_1","timestamp":${Date.now()},"event":"sessionCreated"}`,
      headers: async () => ({ authorization: OPENVIDU_AUTH }),
      type: 'sessionCreated',
    },
    {
      platform: 'livekit',
      path: '/webhook/livekit',
      body: livekitBody('EV_first'),
      headers: async (body) => ({ authorization: await signLiveKitWebhook(LIVEKIT_KEY, body), 'content-type': 'application/webhook+json' }),
      type: 'room_started',
    },
    {
      platform: 'livekit (where the OpenVidu local deployment posts)',
      path: '/livekit/webhook',
      body: livekitBody('EV_second'),
      headers: async (body) => ({ authorization: await signLiveKitWebhook(LIVEKIT_KEY, body) }),
      type: 'room_started',
    },
    {
      platform: 'liveswitch',
      path: '/webhook/liveswitch',
      body: `{"timestamp":${Date.now()},"type":"channel.activated","channelId":"standup"}`,
      headers: async (body) => ({ 'x-applicationsignature': signLiveSwitchWebhook(LIVESWITCH, body) }),
      type: 'channel.activated',
    },
    {
      platform: 'enablex',
      path: '/webhook/enablex',
      body: '{"type":"roomdrop","trans_date":1614321234,"app_id":"5f1a","room_id":"60a1","conf_num":"123456"}',
      headers: async () => ({ authorization: basicAuthorization(ENABLEX) }),
      type: 'roomdrop',
    },
  ];

  for (const { platform, path, body, headers, type } of cases) {
    test(`${platform}: a genuine webhook is answered exactly 200, stored, and streamed as a named webhook frame`, async () => {
      const sse = await openSse(`${server.url}/events`);
      const sent = body;
      const answer = await post(server, path, sent, await headers(sent));
      assert.equal(answer.status, 200);
      assert.equal(answer.json.stored!.length, 1);
      const frames = await sse.waitFor((all) => all.some((f) => f.event === 'webhook'));
      const frame = frames.find((f) => f.event === 'webhook')!;
      assert.equal(frame.id, String(answer.json.stored![0]));
      const data = JSON.parse(frame.data) as { source: string; type: string; payload: unknown };
      assert.equal(data.source, platform.split(' ')[0]);
      assert.equal(data.type, type);
      assert.deepEqual(data.payload, JSON.parse(sent));
      sse.close();
    });
  }

  test('wrong credentials are a 401 on every path, and nothing is stored', async () => {
    const before = await health(server.url);
    const attempts = [
      await post(server, '/webhook/openvidu', '{"event":"sessionCreated"}', { authorization: 'Basic d3Jvbmc6d3Jvbmc=' }),
      await post(server, '/webhook/livekit', livekitBody('EV_x'), {
        authorization: await signLiveKitWebhook({ key: LIVEKIT.apiKey, secret: 'not-the-secret-but-just-as-long!!!' }, livekitBody('EV_x')),
      }),
      await post(server, '/webhook/liveswitch', '{"type":"x"}', { 'x-applicationsignature': signLiveSwitchWebhook('wrong', '{"type":"x"}') }),
      await post(server, '/webhook/enablex', '{"type":"roomdrop"}', { authorization: basicAuthorization({ user: 'enx', password: 'nope' }) }),
      await post(server, '/webhook/enablex', '{"type":"roomdrop"}', {}),
    ];
    assert.deepEqual(attempts.map((a) => a.status), [401, 401, 401, 401, 401]);
    assert.deepEqual(attempts.map((a) => a.json.error), ['header_mismatch', 'invalid_token', 'signature_mismatch', 'bad_credentials', 'missing_header']);
    // Each says what to check, on both sides, in the platform's own terms.
    const hints = attempts.map((a) => a.json.hint!);
    assert.match(hints[0]!, /^Authorization has another value than OPENVIDU_WEBHOOK_HEADERS here: OpenVidu's OPENVIDU_WEBHOOK_HEADERS \(its \.env\)/);
    assert.match(hints[1]!, /^The key LiveKit signs webhooks with \(livekit\.yaml: webhook\.api_key\) and its secret .* must be among LIVEKIT_API_KEY and LIVEKIT_API_SECRET, LIVEKIT_KEYS or LIVEKIT_KEY_FILE/);
    assert.match(hints[2]!, /^The shared secret of the application that sends this webhook .* must be set here: in LIVESWITCH_APPLICATION_SECRETS .* or as LIVESWITCH_SHARED_SECRET/);
    assert.match(hints[3]!, /EnableX portal .* are not ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD/);
    assert.match(hints[4]!, /^EnableX sends Authorization only with HTTP Authentication on/);
    for (const hint of hints) for (const secret of [LIVEKIT.apiSecret, LIVESWITCH, ENABLEX.password, OPENVIDU_AUTH]) assert.ok(!hint.includes(secret));
    assert.equal((await health(server.url)).latestSeq, before.latestSeq);
  });

  test('a request without the platform authentication header is refused at once, before its body is sent', { timeout: 10_000 }, async () => {
    for (const [path, header] of [
      ['/webhook/openvidu', 'Authorization'],
      ['/webhook/livekit', 'Authorization'],
      ['/livekit/webhook', 'Authorization'],
      ['/webhook/liveswitch', 'X-ApplicationSignature'],
      ['/webhook/enablex', 'Authorization'],
    ] as const) {
      const request = stalledPost(`${server.url}${path}`, { 'content-type': 'application/json', 'content-length': String(1024 * 1024) });
      const answer = await request.answer;
      assert.equal(answer.status, 401, path);
      assert.equal(answer.json.error, 'missing_header', path);
      assert.match(answer.json.message as string, new RegExp(header), path);
      assert.equal(answer.headers.connection, 'close', path);
      await request.closed;
    }
  });

  test('a genuine body nested 6 000 levels deep is refused 400 too_deep on every platform, a LiveSwitch batch too, and nothing is stored', async () => {
    const before = await health(server.url);
    const livekitDeep = nestedInside({ event: 'room_started', id: 'EV_deep', createdAt: String(Math.floor(Date.now() / 1000)) });
    const liveswitchDeep = nestedInside({ timestamp: Date.now(), type: 'channel.activated', channelId: 'deep' });
    const batch = `[{"type":"channel.activated","channelId":"ok"},${liveswitchDeep}]`;
    const enablexDeep = nestedInside({ type: 'roomdrop', trans_date: 1614321234, room_id: 'deep', conf_num: '1' });
    const openviduDeep = nestedInside({ event: 'sessionCreated', sessionId: 'ses_deep', timestamp: Date.now() });
    const attempts = [
      await post(server, '/webhook/livekit', livekitDeep, { authorization: await signLiveKitWebhook(LIVEKIT_KEY, livekitDeep) }),
      await post(server, '/webhook/liveswitch', liveswitchDeep, { 'x-applicationsignature': signLiveSwitchWebhook(LIVESWITCH, liveswitchDeep) }),
      await post(server, '/webhook/liveswitch', batch, { 'x-applicationsignature': signLiveSwitchWebhook(LIVESWITCH, batch) }),
      await post(server, '/webhook/enablex', enablexDeep, { authorization: basicAuthorization(ENABLEX) }),
      await post(server, '/webhook/openvidu', openviduDeep, { authorization: OPENVIDU_AUTH }),
    ];
    assert.deepEqual(attempts.map((a) => [a.status, a.json.error]), Array(5).fill([400, 'too_deep']));
    assert.ok(attempts.every((a) => a.json.hint!.includes('64 levels')));
    assert.equal((await health(server.url)).latestSeq, before.latestSeq);
  });

  test('GET on each enabled path says it is enabled and how it authenticates', async () => {
    for (const [path, platform, how] of [
      ['/webhook/openvidu', 'openvidu', /OPENVIDU_WEBHOOK_HEADERS/],
      ['/webhook/livekit', 'livekit', /JWT in Authorization/],
      ['/livekit/webhook', 'livekit', /JWT in Authorization/],
      ['/webhook/liveswitch', 'liveswitch', /X-ApplicationSignature/],
      ['/webhook/enablex', 'enablex', /HTTP Basic/],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
      const answer = (await response.json()) as { platform: string; enabled: boolean; message: string; enableWith?: string };
      assert.deepEqual([answer.platform, answer.enabled, answer.enableWith], [platform, true, undefined], path);
      assert.match(answer.message, how, path);
    }
  });

  test('a LiveKit retry (same event id, new token) is stored once', async () => {
    const body = livekitBody('EV_retried');
    const first = await post(server, '/webhook/livekit', body, { authorization: await signLiveKitWebhook(LIVEKIT_KEY, body) });
    const retry = await post(server, '/webhook/livekit', body, { authorization: await signLiveKitWebhook(LIVEKIT_KEY, body, Date.now() + 1000) });
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.json, { stored: [], repeated: first.json.stored });
  });

  test('an identical OpenVidu re-send (no event id) is stored once', async () => {
    const body = `{"sessionId":"ses_R","timestamp":${Date.now()},"event":"sessionDestroyed"}`;
    const first = await post(server, '/webhook/openvidu', body, { authorization: OPENVIDU_AUTH });
    const again = await post(server, '/webhook/openvidu', body, { authorization: OPENVIDU_AUTH });
    assert.deepEqual(again.json, { stored: [], repeated: first.json.stored });
  });

  test('a LiveSwitch batch is stored and streamed as one event per element', async () => {
    const sse = await openSse(`${server.url}/events`);
    const batch = JSON.stringify([
      { timestamp: Date.now(), type: 'channel.activated', channelId: 'batch-room' },
      { timestamp: Date.now(), type: 'client.registered', clientId: 'c1' },
      { timestamp: Date.now(), type: 'channel.deactivated', channelId: 'batch-room' },
    ]);
    const answer = await post(server, '/webhook/liveswitch', batch, { 'x-applicationsignature': signLiveSwitchWebhook(LIVESWITCH, batch) });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.stored!.length, 3);
    const frames = await sse.waitFor((all) => all.filter((f) => f.event === 'webhook').length === 3);
    assert.deepEqual(
      frames.filter((f) => f.event === 'webhook').map((f) => (JSON.parse(f.data) as { type: string }).type),
      ['channel.activated', 'client.registered', 'channel.deactivated'],
    );
    sse.close();
  });

  test('a genuine payload nobody understands is stored as unrecognised with 200, never a 5xx', async () => {
    const odd = await post(server, '/webhook/enablex', 'this is not JSON {', { authorization: basicAuthorization(ENABLEX) });
    assert.equal(odd.status, 200);
    const livekitOdd = '{"event":"agent_job_started","id":"EV_agent","job":{"weird":[1,2,3]}}';
    const lk = await post(server, '/webhook/livekit', livekitOdd, { authorization: await signLiveKitWebhook(LIVEKIT_KEY, livekitOdd) });
    assert.equal(lk.status, 200);
    const openviduOdd = await post(server, '/webhook/openvidu', '[1,2,3]', { authorization: OPENVIDU_AUTH });
    assert.equal(openviduOdd.status, 200);
  });
});

describe('with no other platform configured', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.dispose());

  test('their paths answer 404 and say how to enable them', async () => {
    for (const [path, setting] of [
      ['/webhook/openvidu', 'OPENVIDU_WEBHOOK_HEADERS'],
      ['/webhook/livekit', 'LIVEKIT_API_KEY and LIVEKIT_API_SECRET, LIVEKIT_KEYS or LIVEKIT_KEY_FILE'],
      ['/livekit/webhook', 'LIVEKIT_API_KEY and LIVEKIT_API_SECRET, LIVEKIT_KEYS or LIVEKIT_KEY_FILE'],
      ['/webhook/liveswitch', 'LIVESWITCH_SHARED_SECRET or LIVESWITCH_APPLICATION_SECRETS'],
      ['/webhook/enablex', 'ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD'],
    ]) {
      const answer = await post(server, path!, '{}', {});
      assert.equal(answer.status, 404, path);
      assert.equal(answer.json.error, 'source_not_enabled');
      assert.ok(answer.json.message!.includes(setting!), answer.json.message);

      const described = (await (await fetch(`${server.url}${path}`)).json()) as { enabled: boolean; enableWith: string; message: string };
      assert.deepEqual([described.enabled, described.enableWith], [false, setting], path);
      assert.match(described.message, new RegExp(`not enabled here: set ${setting} and restart roomwatch`), path);
    }
  });
});

describe('with OpenVidu 2 accepting unauthenticated posts (OPENVIDU_WEBHOOK_HEADERS=[])', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ OPENVIDU_WEBHOOK_HEADERS: '[]', OV_MEET_SERVER_URL: 'http://127.0.0.1:9' });
  });
  after(() => server.dispose());

  test('a body nested 6 000 levels deep, with no credentials at all, is refused 400 too_deep and not stored', async () => {
    const before = await health(server.url);
    const deep = nestedInside({ event: 'sessionCreated', sessionId: 'ses_deep', timestamp: Date.now() });
    assert.ok(deep.length > 12_000);
    const answer = await post(server, '/webhook/openvidu', deep, {});
    assert.deepEqual([answer.status, answer.json.error], [400, 'too_deep']);
    assert.equal((await health(server.url)).latestSeq, before.latestSeq);
    // A shallow post is still accepted: nothing else changed for this platform.
    const shallow = await post(server, '/webhook/openvidu', `{"event":"sessionCreated","sessionId":"ses_ok","timestamp":${Date.now()}}`, {});
    assert.equal(shallow.status, 200);
  });
});
