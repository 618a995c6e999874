// An HTTP-level property: random bodies and headers, some with the platform's valid credentials, POSTed
// to a real roomwatch on every platform path, never get a 5xx; and the live stream still works after all
// of them were stored and streamed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fc from 'fast-check';
import { signMeetWebhook } from '../server/platforms/meet/sign.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import { signLiveSwitchWebhook } from '../server/platforms/liveswitch/sign.js';
import { basicAuthorization } from '../server/platforms/enablex/sign.js';
import { startTestServer } from './helpers/server.js';
import { freePort } from './helpers/process.js';
import { openSse } from './helpers/sse.js';
import { anyBody, deepObjectBody, jsonObject } from './fuzz/bodies.js';
import { checkProperty } from './fuzz/run-property.js';

const MEET_KEY = 'fuzz-meet-key';
const LIVEKIT = { apiKey: 'APIfuzz', apiSecret: 'livekit-secret-of-32-characters!' };
const LIVEKIT_KEY = { key: LIVEKIT.apiKey, secret: LIVEKIT.apiSecret };
const LIVESWITCH_SECRET = 'fuzz-liveswitch-secret';
const ENABLEX = { user: 'fuzz-user', password: 'fuzz-password' };
const MAX_BODY = 64 * 1024;

const PATHS = ['/webhook', '/webhook/meet', '/webhook/openvidu', '/webhook/livekit', '/livekit/webhook', '/webhook/liveswitch', '/webhook/enablex'];

/** The platform's own credentials for this body, as its path expects them. */
async function credentials(path: string, body: Buffer): Promise<Record<string, string>> {
  const now = Date.now();
  if (path === '/webhook' || path === '/webhook/meet') return { 'x-timestamp': String(now), 'x-signature': signMeetWebhook(MEET_KEY, now, body) };
  if (path.includes('livekit')) return { authorization: await signLiveKitWebhook(LIVEKIT_KEY, body, now) };
  if (path.includes('liveswitch')) return { 'x-applicationsignature': signLiveSwitchWebhook(LIVESWITCH_SECRET, body) };
  if (path.includes('enablex')) return { authorization: basicAuthorization(ENABLEX) };
  return {}; // OPENVIDU_WEBHOOK_HEADERS=[]: no credentials at all, the open path
}

const token = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), minLength: 1, maxLength: 16 });
/** Values HTTP allows in a header: visible ASCII, spaces and tabs. */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 80 });
const headers = fc.dictionary(
  fc.oneof(fc.constantFrom('authorization', 'x-timestamp', 'x-signature', 'x-applicationsignature', 'content-type', 'last-event-id'), token),
  headerValue,
  { maxKeys: 5 },
);

const request = fc.record({
  path: fc.constantFrom(...PATHS),
  body: fc.oneof(
    { weight: 6, arbitrary: anyBody() },
    { weight: 2, arbitrary: jsonObject().map((fields) => Buffer.from(JSON.stringify({ ...fields, creationDate: Date.now() }))) },
    { weight: 1, arbitrary: deepObjectBody },
    { weight: 1, arbitrary: fc.integer({ min: MAX_BODY - 10, max: MAX_BODY + 10 }).map((size) => Buffer.alloc(size, 0x5b)) },
  ),
  noise: headers,
  signed: fc.boolean(),
  chunked: fc.boolean(),
});

function post(url: string, path: string, headers: Record<string, string>, body: Buffer, chunked: boolean, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (chunked) {
      req.write(body.subarray(0, body.length >> 1));
      req.end(body.subarray(body.length >> 1));
    } else {
      req.setHeader('content-length', body.length);
      req.end(body);
    }
  });
}

test('random bodies and headers on every platform path never get a 5xx, and the stream keeps going', async (t) => {
  const server = await startTestServer({
    OV_MEET_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
    OV_MEET_API_KEY: MEET_KEY,
    OPENVIDU_WEBHOOK_HEADERS: '[]',
    LIVEKIT_API_KEY: LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: LIVEKIT.apiSecret,
    LIVESWITCH_SHARED_SECRET: LIVESWITCH_SECRET,
    ENABLEX_WEBHOOK_USER: ENABLEX.user,
    ENABLEX_WEBHOOK_PASSWORD: ENABLEX.password,
    MAX_WEBHOOK_BYTES: String(MAX_BODY),
  });
  const agent = new http.Agent({ keepAlive: true });
  try {
    const sse = await openSse(`${server.url}/events`);
    const statuses = new Map<number, number>();
    await checkProperty(
      t,
      fc.asyncProperty(request, async ({ path, body, noise, signed, chunked }) => {
        const sent = { ...noise, ...(signed ? await credentials(path, body) : {}) };
        const status = await post(server.url, path, sent, body, chunked, agent);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        assert.ok(status >= 200 && status < 500, `${path} answered ${status}`);
      }),
      { shortRuns: 150, share: 0.05 },
    );
    if (!process.env.FUZZ_PATH) assert.ok((statuses.get(200) ?? 0) > 0 && statuses.size > 1, `statuses: ${JSON.stringify([...statuses])}`);

    // Whatever was stored, the stream still carries the next webhook, and the server still answers.
    const marker = Buffer.from('{"event":"sessionDestroyed","sessionId":"after-the-fuzz"}');
    assert.equal(await post(server.url, '/webhook/openvidu', { 'content-type': 'application/json' }, marker, false, agent), 200);
    await sse.waitFor((frames) => frames.some((f) => f.event === 'webhook' && f.data.includes('after-the-fuzz')));
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    sse.close();
  } finally {
    agent.destroy();
    await server.dispose();
  }
});
