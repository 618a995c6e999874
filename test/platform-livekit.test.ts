// LiveKit's module (server/platforms/livekit/): a JWT whose issuer names the key, signed with that key's
// secret, with the body's SHA-256 (../shared/protocols/providers.md §2.2). Its check and its signing agree
// with each other and with LiveKit's own SDK.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, decodeJwt } from 'jose';
import { AccessToken, WebhookReceiver } from 'livekit-server-sdk';
import { ConfigError, loadConfig } from '../server/config.js';
import { livekit } from '../server/platforms/livekit/index.js';
import type { LiveKitSettings } from '../server/platforms/livekit/settings.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import type { Verdict } from '../server/platforms/types.js';
import { asReceived } from './helpers/platforms.js';

const NOW = 1739900730_000;
const reason = (verdict: Verdict) => (verdict.accepted ? 'accepted' : verdict.reason);

describe('OpenVidu 3 / LiveKit', () => {
  const credentials = { apiKey: 'devkey', apiSecret: 'secret-of-at-least-32-characters!!' };
  const KEY = { key: credentials.apiKey, secret: credentials.apiSecret };
  const SETTINGS: LiveKitSettings = { keys: [KEY] };
  const body =
    '{"event":"participant_left","id":"EV_3kWvQ9mZ2aBc","createdAt":"1739900730","room":{"sid":"RM_iJunwQ4cX9pE","name":"daily-standup"},"participant":{"sid":"PA_9xYzAbCdEfGh","identity":"alice","state":"DISCONNECTED"}}';
  const verify = (authorization: string | undefined, bytes = body, receivedAt = NOW) =>
    livekit.verify(SETTINGS, { headers: authorization === undefined ? {} : { authorization }, body: Buffer.from(bytes), receivedAt });
  const tokenWith = async (claims: Record<string, unknown>, { key = credentials.apiKey, secret = credentials.apiSecret, iat = NOW / 1000, ttl = 300 } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(key)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + ttl)
      .sign(new TextEncoder().encode(secret));
  const bodyHash = createHash('sha256').update(body).digest('base64');

  test('a token signed with the secret, for this body, is accepted; retries dedupe on the event id', async () => {
    const verdict = await verify(await signLiveKitWebhook(KEY, body, NOW));
    assert.ok(verdict.accepted);
    const [event] = verdict.events;
    assert.deepEqual(
      { type: event!.type, createdAt: event!.createdAt, roomId: event!.roomId, dedupeKey: event!.dedupeKey, auth: event!.headers.authorization },
      { type: 'participant_left', createdAt: 1739900730_000, roomId: 'RM_iJunwQ4cX9pE', dedupeKey: 'livekit:EV_3kWvQ9mZ2aBc', auth: '[masked]' },
    );
    const again = await verify(await signLiveKitWebhook(KEY, body, NOW + 2000), body, NOW + 2000);
    assert.ok(again.accepted);
    assert.equal(again.events[0]!.dedupeKey, event!.dedupeKey);
  });

  test('a "Bearer " prefix is tolerated', async () => {
    assert.equal(reason(await verify(`Bearer ${await signLiveKitWebhook(KEY, body, NOW)}`)), 'accepted');
  });

  const refusals: [string, () => Promise<string | undefined>, string, string?][] = [
    ['no Authorization header', async () => undefined, 'missing_header'],
    ['something that is not a JWT', async () => 'hello', 'invalid_token'],
    ['a token signed with another secret', () => tokenWith({ sha256: bodyHash }, { secret: 'another-secret-of-32-characters!!!!' }), 'invalid_token'],
    ['a token from another API key', () => tokenWith({ sha256: bodyHash }, { key: 'otherkey' }), 'invalid_token'],
    ['an expired token', () => tokenWith({ sha256: bodyHash }, { iat: NOW / 1000 - 400 }), 'expired_token'],
    ['a token not valid yet', () => tokenWith({ sha256: bodyHash }, { iat: NOW / 1000 + 60 }), 'invalid_token'],
    ['a token for another body', () => tokenWith({ sha256: createHash('sha256').update('{}').digest('base64') }), 'body_hash_mismatch'],
    ['a token without the sha256 claim', () => tokenWith({}), 'body_hash_mismatch'],
    ['an unsigned token', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"iss":"devkey","sha256":"${bodyHash}"}`).toString('base64url')}.`, 'invalid_token'],
  ];
  for (const [name, token, expected] of refusals) {
    test(`refuses ${name} (${expected})`, async () => {
      assert.equal(reason(await verify(await token())), expected);
    });
  }

  test('egress events are about their room; big integers stay strings; an event without id dedupes on its bytes', async () => {
    const egress =
      '{"event":"egress_ended","createdAt":"1731668994","egressInfo":{"egressId":"EG_gyrUCPGmCQKw","roomId":"RM_7A62FjVFwWw5","roomName":"daily-standup","status":"EGRESS_COMPLETE","endedAt":"1731668993605577585"}}';
    const verdict = await verify(await signLiveKitWebhook(KEY, egress, 1731668994_000), egress, 1731668994_000);
    assert.ok(verdict.accepted);
    assert.equal(verdict.events[0]!.roomId, 'RM_7A62FjVFwWw5');
    assert.match(verdict.events[0]!.dedupeKey, /^livekit:[0-9a-f]{64}$/);
    assert.equal(verdict.events[0]!.body.toString(), egress);
  });

  // ── Several keys, chosen by the token's issuer (rotation), as operators list them ──────────────────

  const ROTATION: LiveKitSettings = {
    keys: [
      { key: 'APInew', secret: 'the-new-secret-of-32-characters!!' },
      { key: 'APIold', secret: 'the-old-secret-of-32-characters!!' },
    ],
  };

  test('the secret is the one of the key the token names: every listed key is accepted, another is not', async () => {
    for (const key of ROTATION.keys) {
      const token = await signLiveKitWebhook(key, body, NOW);
      assert.equal(reason(await livekit.verify(ROTATION, { headers: { authorization: token }, body: Buffer.from(body), receivedAt: NOW })), 'accepted', key.key);
    }
    // A listed key name with another key's secret, and a key not listed at all.
    const crossed = await signLiveKitWebhook({ key: 'APIold', secret: ROTATION.keys[0]!.secret }, body, NOW);
    const crossedVerdict = await livekit.verify(ROTATION, { headers: { authorization: crossed }, body: Buffer.from(body), receivedAt: NOW });
    assert.deepEqual(crossedVerdict, { accepted: false, reason: 'invalid_token', detail: 'bad signature' });
    const stranger = await signLiveKitWebhook({ key: 'APIstranger', secret: 'a-stranger-secret-of-32-chars!!!' }, body, NOW);
    const strangerVerdict = await livekit.verify(ROTATION, { headers: { authorization: stranger }, body: Buffer.from(body), receivedAt: NOW });
    assert.deepEqual(strangerVerdict, { accepted: false, reason: 'invalid_token', detail: 'signed with "APIstranger", which is not one of the keys set here' });
  });

  test('signing uses the first key, and the check accepts what it signs', async () => {
    const signed = await livekit.sign(ROTATION, body, NOW);
    assert.equal(signed.headers['Content-Type'], 'application/webhook+json');
    assert.equal(decodeJwt(signed.headers.Authorization!).iss, 'APInew');
    assert.equal(reason(await livekit.verify(ROTATION, asReceived(signed.headers, signed.body, NOW))), 'accepted');
  });

  // ── Against LiveKit's own SDK (livekit-server-sdk), not this code ──────────────────────────────────

  // The body of LiveKit's own WebhookReceiver test (providers.md §2.4).
  const SDK_BODY =
    '{"event":"room_started", "room":{"sid":"RM_TkVjUvAqgzKz", "name":"mytestroom", "emptyTimeout":300, "creationTime":"1628545903", "turnPassword":"ICkSr2rEeslkN6e9bXL4Ji5zzMD5Z7zzr6ulOaxMj6N", "enabledCodecs":[{"mime":"audio/opus"}, {"mime":"video/VP8"}]}}';

  test("a token made by LiveKit's own SDK for that body is accepted, for any listed key", async () => {
    for (const { key, secret } of ROTATION.keys) {
      const token = new AccessToken(key, secret);
      token.sha256 = createHash('sha256').update(SDK_BODY).digest('base64');
      const jwt = await token.toJwt();
      const verdict = await livekit.verify(ROTATION, { headers: { authorization: jwt }, body: Buffer.from(SDK_BODY), receivedAt: Date.now() });
      assert.ok(verdict.accepted, key);
      assert.deepEqual([verdict.events[0]!.type, verdict.events[0]!.roomId], ['room_started', 'RM_TkVjUvAqgzKz']);
    }
  });

  test("what roomwatch signs, LiveKit's own SDK receives as genuine", async () => {
    const signed = await livekit.sign(ROTATION, SDK_BODY, Date.now());
    const event = await new WebhookReceiver('APInew', ROTATION.keys[0]!.secret).receive(signed.body, signed.headers.Authorization);
    assert.equal(event.event, 'room_started');
    assert.equal(event.room?.sid, 'RM_TkVjUvAqgzKz');
    await assert.rejects(new WebhookReceiver('APInew', 'not-the-secret-of-32-characters!!').receive(signed.body, signed.headers.Authorization));
  });
});

describe('LiveKit keys in the settings', () => {
  const keys = (env: Record<string, string>) => loadConfig(env).platforms.livekit?.keys;

  test('LIVEKIT_API_KEY first, then LIVEKIT_KEYS ("key: secret" lines, as LiveKit server reads them), then a keys file', (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roomwatch-keys-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, '# rotated on Monday\nAPIfile: "file-secret: with a colon"\nAPInew: new-secret\n', { mode: 0o600 });
    assert.deepEqual(
      keys({ LIVEKIT_API_KEY: 'APInew', LIVEKIT_API_SECRET: 'new-secret', LIVEKIT_KEYS: 'APIold: old-secret\nAPIolder: older-secret # until Friday', LIVEKIT_KEY_FILE: file }),
      [
        { key: 'APInew', secret: 'new-secret' },
        { key: 'APIold', secret: 'old-secret' },
        { key: 'APIolder', secret: 'older-secret' },
        { key: 'APIfile', secret: 'file-secret: with a colon' },
      ],
    );
    assert.deepEqual(keys({ LIVEKIT_KEYS: 'devkey: secret' }), [{ key: 'devkey', secret: 'secret' }]);
    assert.equal(keys({}), undefined, 'off without any key');
  });

  test('a keys file others may read, a missing one, a bad line or a key given two secrets stops start-up, naming no secret', (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roomwatch-keys-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const open = path.join(dir, 'open.yaml');
    writeFileSync(open, 'APIx: secret-x\n');
    chmodSync(open, 0o644);
    const failures: [Record<string, string>, RegExp][] = [
      [{ LIVEKIT_KEY_FILE: open }, /LIVEKIT_KEY_FILE .*open\.yaml may be read by other users; chmod 600 it/],
      [{ LIVEKIT_KEY_FILE: path.join(dir, 'none.yaml') }, /LIVEKIT_KEY_FILE .*none\.yaml cannot be read \(ENOENT\)/],
      [{ LIVEKIT_KEYS: 'APIx secret-x' }, /^LIVEKIT_KEYS must be "key: secret" lines, as LiveKit's own LIVEKIT_KEYS: line 1 is not "name: secret"$/],
      [{ LIVEKIT_API_KEY: 'APIx', LIVEKIT_API_SECRET: 'secret-1', LIVEKIT_KEYS: 'APIx: secret-2' }, /LiveKit key APIx is given twice with different secrets/],
    ];
    for (const [env, message] of failures) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message) && !/secret-x|secret-1|secret-2/.test(error.message),
        JSON.stringify(env),
      );
    }
  });

  test("LIVEKIT_URL, LiveKit's address as its SDKs take it, turns the server API on: ws and wss read as http and https", () => {
    const apiUrl = (url: string) => loadConfig({ LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret', LIVEKIT_URL: url }).platforms.livekit?.apiUrl;
    assert.equal(apiUrl('wss://my-project.livekit.cloud'), 'https://my-project.livekit.cloud');
    assert.equal(apiUrl('ws://localhost:7880/'), 'http://localhost:7880');
    assert.equal(apiUrl('https://livekit.example.com'), 'https://livekit.example.com');
    assert.equal(loadConfig({ LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' }).platforms.livekit?.apiUrl, undefined, 'webhooks only');
    const failures: [Record<string, string>, RegExp][] = [
      [{ LIVEKIT_URL: 'http://localhost:7880' }, /^LIVEKIT_URL needs a key to call LiveKit with: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET/],
      [{ LIVEKIT_KEYS: 'devkey: s', LIVEKIT_URL: 'https://proxy.example.com/livekit' }, /^LIVEKIT_URL must be LiveKit's address without a path \(its API is under \/twirp there\)/],
      [{ LIVEKIT_KEYS: 'devkey: s', LIVEKIT_URL: 'localhost:7880' }, /^LIVEKIT_URL must be an http:\/\/, https:\/\/, ws:\/\/ or wss:\/\/ URL/],
      [{ LIVEKIT_KEYS: 'devkey: s', LIVEKIT_URL: 'https://admin:hunter2@livekit.example.com' }, /^LIVEKIT_URL must not carry a user name or password/],
    ];
    for (const [env, message] of failures) assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message), JSON.stringify(env));
  });
});
