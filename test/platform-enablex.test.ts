// EnableX's module (server/platforms/enablex/): HTTP Basic is its only authentication
// (../shared/protocols/providers.md §4); its check, its signing and their agreement.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secondsOrMsToMs } from '../server/domain/epoch-ms.js';
import { enablex } from '../server/platforms/enablex/index.js';
import { basicAuthorization } from '../server/platforms/enablex/sign.js';
import { asReceived } from './helpers/platforms.js';
import { loadConfig } from '../server/config.js';

const NOW = 1739900730_000;
const reason = (verdict: { accepted: boolean; reason?: string }) => (verdict.accepted ? 'accepted' : verdict.reason);

describe('EnableX', () => {
  const credentials = { user: 'enablex', password: 'p4ss:word' };
  const verify = (body: string, authorization?: string) =>
    enablex.verify(credentials, { headers: authorization === undefined ? {} : { authorization }, body: Buffer.from(body), receivedAt: NOW });
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

  test("time is read one way, the projection's: seconds below 1e12 (also as a decimal string), else ms", () => {
    for (const [transDate, expected] of [
      ['1614321234', 1614321234_000],
      ['1614321234567', 1614321234567],
      ['soon', null],
    ] as const) {
      const verdict = verify(`{"type":"roomdrop","trans_date":"${transDate}","room_id":"r"}`, basicAuthorization(credentials));
      assert.ok(verdict.accepted);
      assert.equal(verdict.events[0]!.createdAt, expected);
      assert.equal(secondsOrMsToMs(transDate) ?? null, expected);
    }
  });

  test('signing is HTTP Basic as RFC 7617 computes it ("Aladdin" / "open sesame"), and the check accepts it', async () => {
    const aladdin = { user: 'Aladdin', password: 'open sesame' };
    const signed = await enablex.sign(aladdin, roomdrop);
    assert.deepEqual(signed, { headers: { 'Content-Type': 'application/json', Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }, body: roomdrop });
    assert.equal(enablex.verify(aladdin, asReceived(signed.headers, signed.body, NOW)).accepted, true);
    assert.equal(enablex.verify(credentials, asReceived(signed.headers, signed.body, NOW)).accepted, false);
  });

  test('the Server API is on with ENABLEX_APP_ID and ENABLEX_APP_KEY (both or neither), only next to the webhook credentials', () => {
    const webhook = { ENABLEX_WEBHOOK_USER: 'u', ENABLEX_WEBHOOK_PASSWORD: 'p' };
    assert.deepEqual(loadConfig(webhook).platforms.enablex, { user: 'u', password: 'p' });
    assert.deepEqual(loadConfig({ ...webhook, ENABLEX_APP_ID: 'app', ENABLEX_APP_KEY: 'key' }).platforms.enablex, {
      user: 'u',
      password: 'p',
      api: { appId: 'app', appKey: 'key', url: 'https://api.enablex.io' },
    });
    assert.equal(loadConfig({ ...webhook, ENABLEX_APP_ID: 'app', ENABLEX_APP_KEY: 'key', ENABLEX_API_URL: 'http://127.0.0.1:9/' }).platforms.enablex?.api?.url, 'http://127.0.0.1:9');
    assert.throws(() => loadConfig({ ...webhook, ENABLEX_APP_ID: 'app' }), /^ConfigError: ENABLEX_APP_ID and ENABLEX_APP_KEY go together/);
    assert.throws(
      () => loadConfig({ ENABLEX_APP_ID: 'app', ENABLEX_APP_KEY: 'secret-key' }),
      (error: Error) => /^ENABLEX_APP_ID and ENABLEX_APP_KEY need ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD/.test(error.message) && !error.message.includes('secret-key'),
    );
  });
});
