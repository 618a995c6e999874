// The hint every refusal carries: one for each platform and reason, naming what to check, quoting only
// times and bounds (never a credential); and the platform's own send time a refusal keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RejectReason } from '../server/ingest/rejection.js';
import { refusalHint, type WebhookLimits } from '../server/ingest/hints.js';
import { PLATFORMS } from '../server/platforms/index.js';
import { meet } from '../server/platforms/meet/index.js';
import { openvidu } from '../server/platforms/openvidu/index.js';
import { livekit } from '../server/platforms/livekit/index.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import { liveswitch } from '../server/platforms/liveswitch/index.js';
import { enablex } from '../server/platforms/enablex/index.js';
import type { HintTable } from '../server/ingest/hints.js';

const LIMITS: WebhookLimits = { maxAgeMs: 120_000, maxBodyBytes: 1_048_576, requestTimeoutMs: 10_000, maxBytesInFlight: 33_554_432 };
// Hints are written without access to the settings: no value of these could ever appear in one.
const SECRETS = ['meet-secret-key', 'Bearer ov-secret', 'lk-secret-of-32-characters-long!', 'ls-secret', 'enx-password'];
const adapters = PLATFORMS;

for (const adapter of adapters) {
  test(`${adapter.id}: every reason has a hint, with every fact known or not, and none quotes a credential`, () => {
    for (const reason of Object.values(RejectReason)) {
      for (const facts of [
        { detail: undefined, skewMs: undefined, limits: LIMITS },
        { detail: 'Authorization', skewMs: 312_000, limits: LIMITS },
      ]) {
        const hint = refusalHint(adapter.hints, reason, facts);
        assert.ok(hint.length > 20, `${adapter.id} ${reason}`);
        assert.ok(!/undefined|NaN|\[object/.test(hint), `${adapter.id} ${reason}: ${hint}`);
        for (const secret of SECRETS) assert.ok(!hint.includes(secret), `${adapter.id} ${reason}`);
      }
    }
  });
}

const hint = (adapter: { hints: HintTable }, reason: RejectReason, detail?: string, skewMs?: number) =>
  refusalHint(adapter.hints, reason, { detail, skewMs, limits: LIMITS });

for (const [name, actual, expected] of [
  ['Meet, wrong key', hint(meet, 'signature_mismatch'), /^OV_MEET_API_KEY is not the key this Meet signs with \(Meet console → Embedded → API key\)/],
  ['Meet, stale', hint(meet, 'stale_timestamp', '312 s old', 312_400), /^X-Timestamp is 312 s old \(MAX_WEBHOOK_AGE allows 120 s\): check the clocks/],
  ['Meet, ahead', hint(meet, 'future_timestamp', '200 s ahead', -200_000), /^X-Timestamp is 200 s ahead of this host's clock/],
  ['Meet, header missing', hint(meet, 'missing_header', 'X-Signature'), /X-Signature is missing: this request did not come from Meet/],
  ['OpenVidu 2, header missing', hint(openvidu, 'missing_header', 'Authorization'), /requires Authorization.*OPENVIDU_WEBHOOK_HEADERS in OpenVidu's \.env/],
  ['LiveKit, bad token', hint(livekit, 'invalid_token', 'bad signature'), /livekit\.yaml: webhook\.api_key.*LIVEKIT_KEYS.*the token failed on: bad signature/],
  ['LiveSwitch, wrong secret', hint(liveswitch, 'signature_mismatch', 'application my-app'), /LIVESWITCH_APPLICATION_SECRETS as "applicationId: secret".*\(application my-app\)/],
  ['LiveKit, expired', hint(livekit, 'expired_token', undefined, 400_000), /^The token was issued 400 s ago, and LiveKit's are valid 5 minutes/],
  ['LiveSwitch, no signature', hint(liveswitch, 'missing_header'), /deployment \(server\) webhooks carry none/],
  ['EnableX, wrong password', hint(enablex, 'bad_credentials'), /HTTP Authentication\) are not ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD/],
  ['any platform, too deep', hint(enablex, 'too_deep'), /more than 64 levels deep/],
  ['any platform, busy', hint(livekit, 'busy'), /MAX_WEBHOOK_BYTES_IN_FLIGHT \(33554432 bytes\)/],
  ['any platform, slow body', hint(meet, 'request_timeout'), /WEBHOOK_REQUEST_TIMEOUT_MS \(10000 ms\)/],
  [
    'any platform, too large when the in-flight bound is the smaller',
    refusalHint(meet.hints, 'too_large', { detail: undefined, skewMs: undefined, limits: { ...LIMITS, maxBytesInFlight: 4096 } }),
    /over 4096 bytes \(MAX_WEBHOOK_BYTES_IN_FLIGHT, lower than MAX_WEBHOOK_BYTES\)/,
  ],
] as const) {
  test(`hint: ${name}`, () => assert.match(actual, expected));
}

test("a refusal keeps Meet's X-Timestamp and LiveKit's token issue time, and nothing that is not a time", async () => {
  assert.equal(meet.sentAt({ 'x-timestamp': '1759400000000' }), 1759400000000);
  assert.equal(meet.sentAt({ 'x-timestamp': 'yesterday' }), undefined);
  assert.equal(meet.sentAt({}), undefined);
  const token = await signLiveKitWebhook({ key: 'devkey', secret: 'any-secret-at-all-32-characters!' }, '{}', 1759400000000);
  assert.equal(livekit.sentAt({ authorization: token }), 1759400000000);
  assert.equal(livekit.sentAt({ authorization: 'not.a.jwt' }), undefined);
  assert.equal(livekit.sentAt({}), undefined);
  assert.ok(!('sentAt' in openvidu));
});
