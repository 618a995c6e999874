// LiveSwitch's module (server/platforms/liveswitch/): X-ApplicationSignature, base64 HMAC-SHA256 of the
// raw body with the shared secret of the application the body names (../shared/protocols/providers.md §3).
// Its check and its signing agree with each other and with an HMAC computed here with node:crypto.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { ConfigError, loadConfig } from '../server/config.js';
import { liveswitch } from '../server/platforms/liveswitch/index.js';
import type { LiveSwitchSettings } from '../server/platforms/liveswitch/settings.js';
import { signLiveSwitchWebhook } from '../server/platforms/liveswitch/sign.js';
import type { Verdict } from '../server/platforms/types.js';
import { asReceived } from './helpers/platforms.js';

const NOW = 1739900730_000;
const reason = (verdict: Verdict) => (verdict.accepted ? 'accepted' : verdict.reason);
const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');

describe('LiveSwitch', () => {
  const secret = 'liveswitch-shared-secret';
  const SHARED: LiveSwitchSettings = { applications: new Map(), sharedSecret: secret };
  const verify = (body: string, signature?: string) =>
    liveswitch.verify(SHARED, { headers: signature === undefined ? {} : { 'x-applicationsignature': signature }, body: Buffer.from(body), receivedAt: NOW });
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

  // ── A secret per application, chosen by the body's applicationId, as LiveSwitch's own example does ──

  const body = (applicationId: string, type = 'channel.activated') => `{"timestamp":1562614545646,"type":"${type}","applicationId":"${applicationId}","channelId":"standup"}`;
  const PER_APPLICATION: LiveSwitchSettings = {
    applications: new Map([
      ['app-sales', ['sales-secret-new', 'sales-secret-old']],
      ['app-support', ['support-secret']],
    ]),
    sharedSecret: undefined,
  };
  const check = (settings: LiveSwitchSettings, bytes: string, signingSecret: string) =>
    liveswitch.verify(settings, { headers: { 'x-applicationsignature': hmac(signingSecret, bytes) }, body: Buffer.from(bytes), receivedAt: NOW });

  test("each application's webhooks are checked with that application's own secret, and every secret of a rotation is accepted", () => {
    assert.equal(reason(check(PER_APPLICATION, body('app-sales'), 'sales-secret-new')), 'accepted');
    assert.equal(reason(check(PER_APPLICATION, body('app-sales'), 'sales-secret-old')), 'accepted');
    assert.equal(reason(check(PER_APPLICATION, body('app-support'), 'support-secret')), 'accepted');
    // Another application's secret does not do.
    assert.deepEqual(check(PER_APPLICATION, body('app-support'), 'sales-secret-new'), { accepted: false, reason: 'signature_mismatch', detail: 'application app-support' });
  });

  test('an application with no secret here is refused, saying which; the shared secret covers the applications not listed', () => {
    assert.deepEqual(check(PER_APPLICATION, body('app-other'), 'whatever'), {
      accepted: false,
      reason: 'signature_mismatch',
      detail: 'application app-other: no shared secret is set for it',
    });
    const withShared: LiveSwitchSettings = { ...PER_APPLICATION, sharedSecret: 'shared-secret' };
    assert.equal(reason(check(withShared, body('app-other'), 'shared-secret')), 'accepted');
    // A listed application keeps to its own secrets.
    assert.equal(reason(check(withShared, body('app-sales'), 'shared-secret')), 'signature_mismatch');
  });

  test('the id is read where it sits: at the top, in the subject named by the origin, or in a batch\'s first element', () => {
    const nested = '{"timestamp":1,"origin":"client","type":"client.registered","client":{"id":"c1","applicationId":"app-support"}}';
    assert.equal(reason(check(PER_APPLICATION, nested, 'support-secret')), 'accepted');
    const batch = `[${body('app-sales')},${body('app-sales', 'channel.deactivated')}]`;
    const verdict = check(PER_APPLICATION, batch, 'sales-secret-old');
    assert.ok(verdict.accepted);
    assert.equal(verdict.events.length, 2);
  });

  test('the settings: LIVESWITCH_APPLICATION_SECRETS lines, an application listed twice keeping both secrets in order', () => {
    const settings = loadConfig({ LIVESWITCH_APPLICATION_SECRETS: 'app-sales: sales-secret-new\napp-support: support-secret\napp-sales: sales-secret-old' }).platforms.liveswitch;
    assert.deepEqual(settings, PER_APPLICATION);
    assert.equal(loadConfig({}).platforms.liveswitch, undefined);
    assert.throws(
      () => loadConfig({ LIVESWITCH_APPLICATION_SECRETS: 'app-sales sales-secret' }),
      (error: unknown) => error instanceof ConfigError && /^LIVESWITCH_APPLICATION_SECRETS must be "applicationId: shared secret" lines/.test(error.message) && !error.message.includes('sales-secret'),
    );
  });

  test("signing uses the first secret of the body's application, as an HMAC computed with node:crypto does, and the check accepts it", async () => {
    const signed = await liveswitch.sign(PER_APPLICATION, body('app-sales'));
    assert.deepEqual(signed, { headers: { 'Content-Type': 'application/json', 'X-ApplicationSignature': hmac('sales-secret-new', body('app-sales')) }, body: body('app-sales') });
    assert.equal(reason(liveswitch.verify(PER_APPLICATION, asReceived(signed.headers, signed.body, NOW))), 'accepted');
    await assert.rejects(async () => liveswitch.sign(PER_APPLICATION, body('app-other')), /no LiveSwitch shared secret is set for application app-other/);
  });
});
