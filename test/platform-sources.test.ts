// The four other platforms' adapters: each accepts what its platform really sends and refuses, with a
// reason, everything else. Payloads follow ../shared/protocols/providers.md.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { openviduSource } from '../server/ingest/sources/openvidu.js';
import { livekitSource, signLiveKitWebhook } from '../server/ingest/sources/livekit.js';
import { liveswitchSource, signLiveSwitchWebhook } from '../server/ingest/sources/liveswitch.js';
import { basicAuthorization, enablexSource } from '../server/ingest/sources/enablex.js';
import type { Verdict } from '../server/ingest/sources/source.js';

const NOW = 1739900730_000;
const reason = (verdict: Verdict) => (verdict.accepted ? 'accepted' : verdict.reason);

describe('OpenVidu 2.x', () => {
  const source = openviduSource({ headers: [['Authorization', 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']] });
  const body =
    '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394690713,"event":"sessionCreated"}';
  const verify = (headers: Record<string, string>, bytes = body) => source.verify({ headers, body: Buffer.from(bytes), receivedAt: NOW });

  test('the configured header, exactly, lets the event in with its type, time and session', () => {
    const verdict = verify({ authorization: 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU', 'content-type': 'application/json' });
    assert.ok(verdict.accepted);
    const [event] = verdict.events;
    assert.deepEqual(
      { source: event!.source, type: event!.type, createdAt: event!.createdAt, roomId: event!.roomId, headers: event!.headers },
      {
        source: 'openvidu',
        type: 'sessionCreated',
        createdAt: 1601394690713,
        roomId: 'ses_Jd8tUyvhXO_1601394690713',
        headers: { 'content-type': 'application/json', authorization: '[masked]' },
      },
    );
    assert.equal(event!.body.toString(), body);
  });

  test('a missing or different header is refused', () => {
    assert.equal(reason(verify({})), 'missing_header');
    assert.equal(reason(verify({ authorization: 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVV' })), 'header_mismatch');
    assert.equal(reason(verify({ authorization: 'basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU' })), 'header_mismatch');
  });

  test('every configured header must match', () => {
    const two = openviduSource({ headers: [['X-Token', 'a'], ['X-Other', 'b']] });
    const check = (headers: Record<string, string>) => reason(two.verify({ headers, body: Buffer.from(body), receivedAt: NOW }));
    assert.equal(check({ 'x-token': 'a', 'x-other': 'b' }), 'accepted');
    assert.equal(check({ 'x-token': 'a' }), 'missing_header');
    assert.equal(check({ 'x-token': 'a', 'x-other': 'c' }), 'header_mismatch');
  });

  test('an empty header list accepts unauthenticated posts, on purpose', () => {
    assert.equal(reason(openviduSource({ headers: [] }).verify({ headers: {}, body: Buffer.from(body), receivedAt: NOW })), 'accepted');
  });

  test('an identical re-send has the same dedupe key; before 2.17 the session id is the room', () => {
    const old = '{"sessionId":"TestSession","timestamp":1561969010392,"event":"sessionCreated"}';
    const a = openviduSource({ headers: [] }).verify({ headers: {}, body: Buffer.from(old), receivedAt: NOW });
    const b = openviduSource({ headers: [] }).verify({ headers: {}, body: Buffer.from(old), receivedAt: NOW + 5 });
    assert.ok(a.accepted && b.accepted);
    assert.equal(a.events[0]!.dedupeKey, b.events[0]!.dedupeKey);
    assert.equal(a.events[0]!.roomId, 'TestSession');
  });

  test('a body it does not understand is kept as unrecognised, not refused', () => {
    const verdict = openviduSource({ headers: [] }).verify({ headers: {}, body: Buffer.from('not json'), receivedAt: NOW });
    assert.ok(verdict.accepted);
    assert.deepEqual([verdict.events[0]!.type, verdict.events[0]!.createdAt], ['unrecognised', null]);
  });
});

describe('OpenVidu 3 / LiveKit', () => {
  const credentials = { apiKey: 'devkey', apiSecret: 'secret-of-at-least-32-characters!!' };
  const source = livekitSource(credentials);
  const body =
    '{"event":"participant_left","id":"EV_3kWvQ9mZ2aBc","createdAt":"1739900730","room":{"sid":"RM_iJunwQ4cX9pE","name":"daily-standup"},"participant":{"sid":"PA_9xYzAbCdEfGh","identity":"alice","state":"DISCONNECTED"}}';
  const verify = (authorization: string | undefined, bytes = body, receivedAt = NOW) =>
    source.verify({ headers: authorization === undefined ? {} : { authorization }, body: Buffer.from(bytes), receivedAt });
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
    const verdict = await verify(await signLiveKitWebhook(credentials, body, NOW));
    assert.ok(verdict.accepted);
    const [event] = verdict.events;
    assert.deepEqual(
      { type: event!.type, createdAt: event!.createdAt, roomId: event!.roomId, dedupeKey: event!.dedupeKey, auth: event!.headers.authorization },
      { type: 'participant_left', createdAt: 1739900730_000, roomId: 'RM_iJunwQ4cX9pE', dedupeKey: 'livekit:EV_3kWvQ9mZ2aBc', auth: '[masked]' },
    );
    const again = await verify(await signLiveKitWebhook(credentials, body, NOW + 2000), body, NOW + 2000);
    assert.ok(again.accepted);
    assert.equal(again.events[0]!.dedupeKey, event!.dedupeKey);
  });

  test('a "Bearer " prefix is tolerated', async () => {
    assert.equal(reason(await verify(`Bearer ${await signLiveKitWebhook(credentials, body, NOW)}`)), 'accepted');
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
    const verdict = await verify(await signLiveKitWebhook(credentials, egress, 1731668994_000), egress, 1731668994_000);
    assert.ok(verdict.accepted);
    assert.equal(verdict.events[0]!.roomId, 'RM_7A62FjVFwWw5');
    assert.match(verdict.events[0]!.dedupeKey, /^livekit:[0-9a-f]{64}$/);
    assert.equal(verdict.events[0]!.body.toString(), egress);
  });
});

describe('LiveSwitch', () => {
  const secret = 'liveswitch-shared-secret';
  const source = liveswitchSource({ sharedSecret: secret });
  const verify = (body: string, signature?: string) =>
    source.verify({ headers: signature === undefined ? {} : { 'x-applicationsignature': signature }, body: Buffer.from(body), receivedAt: NOW });
  const single = '{"timestamp":1562614545646,"type":"channel.activated","applicationId":"my-app","channelId":"standup"}';

  test('the signature is base64 HMAC-SHA256 of the raw body with the shared secret', () => {
    const signature = createHmac('sha256', secret).update(single).digest('base64');
    assert.equal(signLiveSwitchWebhook(secret, single), signature);
    const verdict = verify(single, signature);
    assert.ok(verdict.accepted);
    assert.deepEqual([verdict.events[0]!.type, verdict.events[0]!.createdAt, verdict.events[0]!.roomId], ['channel.activated', 1562614545646, 'standup']);
    assert.equal(verdict.events[0]!.headers['x-applicationsignature'], '[masked]');
  });

  test('a batch becomes one event per element, each with its own dedupe key', () => {
    const batch = `[${single},{"timestamp":1562614546000,"type":"client.registered","applicationId":"my-app"},{"timestamp":1562614547000,"type":"channel.deactivated","channel":{"id":"standup"}}]`;
    const verdict = verify(batch, signLiveSwitchWebhook(secret, batch));
    assert.ok(verdict.accepted);
    assert.deepEqual(verdict.events.map((e) => [e.type, e.roomId]), [
      ['channel.activated', 'standup'],
      ['client.registered', null],
      ['channel.deactivated', 'standup'],
    ]);
    assert.equal(new Set(verdict.events.map((e) => e.dedupeKey)).size, 3);
    assert.deepEqual(JSON.parse(verdict.events[1]!.body.toString()), { timestamp: 1562614546000, type: 'client.registered', applicationId: 'my-app' });
  });

  test('refuses a missing, malformed or wrong signature', () => {
    assert.equal(reason(verify(single)), 'missing_header');
    assert.equal(reason(verify(single, 'abc')), 'malformed_signature');
    assert.equal(reason(verify(single, createHmac('sha256', secret).update(single).digest('hex'))), 'malformed_signature');
    assert.equal(reason(verify(single, signLiveSwitchWebhook('other-secret', single))), 'signature_mismatch');
    assert.equal(reason(verify(`${single} `, signLiveSwitchWebhook(secret, single))), 'signature_mismatch');
  });

  test('an event it does not know, or a body that is not JSON, is kept as it is', () => {
    const server = '{"timestamp":1562614545646,"origin":"gateway","type":"gateway.started","gateway":{"id":"dc5e"}}';
    const known = verify(server, signLiveSwitchWebhook(secret, server));
    assert.ok(known.accepted);
    assert.equal(known.events[0]!.type, 'gateway.started');
    const odd = verify('<xml/>', signLiveSwitchWebhook(secret, '<xml/>'));
    assert.ok(odd.accepted);
    assert.equal(odd.events[0]!.type, 'unrecognised');
  });
});

describe('EnableX', () => {
  const credentials = { user: 'enablex', password: 'p4ss:word' };
  const source = enablexSource(credentials);
  const verify = (body: string, authorization?: string) =>
    source.verify({ headers: authorization === undefined ? {} : { authorization }, body: Buffer.from(body), receivedAt: NOW });
  const roomdrop = '{"type":"roomdrop","trans_date":1614321234,"app_id":"5f1a2b3c4d5e6f","room_id":"60a1b2c3d4e5f6a7b8c9d0e1","conf_num":"123456"}';

  test('HTTP Basic with the configured user and password (a colon in the password included)', () => {
    assert.equal(basicAuthorization(credentials), `Basic ${Buffer.from('enablex:p4ss:word').toString('base64')}`);
    const verdict = verify(roomdrop, basicAuthorization(credentials));
    assert.ok(verdict.accepted);
    assert.deepEqual([verdict.events[0]!.type, verdict.events[0]!.createdAt, verdict.events[0]!.roomId], ['roomdrop', 1614321234_000, '60a1b2c3d4e5f6a7b8c9d0e1']);
    assert.equal(verdict.events[0]!.headers.authorization, '[masked]');
  });

  test('refuses missing or other credentials', () => {
    assert.equal(reason(verify(roomdrop)), 'missing_header');
    assert.equal(reason(verify(roomdrop, basicAuthorization({ user: 'enablex', password: 'guess' }))), 'bad_credentials');
    assert.equal(reason(verify(roomdrop, 'Bearer abc')), 'bad_credentials');
  });

  test('trans_date in milliseconds stays milliseconds; unknown types are kept', () => {
    const ms = '{"type":"something-new","trans_date":1614321234567,"room_id":42}';
    const verdict = verify(ms, basicAuthorization(credentials));
    assert.ok(verdict.accepted);
    assert.deepEqual([verdict.events[0]!.type, verdict.events[0]!.createdAt, verdict.events[0]!.roomId], ['something-new', 1614321234567, '42']);
  });
});
