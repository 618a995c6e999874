// Properties of every platform's check (server/platforms/<id>/verify.ts): for any headers and body — validly
// signed or not, realistic, deeply nested or not JSON at all — verify() never throws, every refusal is a
// reason of REJECTIONS, and every accepted event is well-formed and keeps no secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { REJECTIONS } from '../server/ingest/rejection.js';
import type { Verdict } from '../server/platforms/types.js';
import { enable, type EnabledPlatform } from '../server/platforms/index.js';
import { meet } from '../server/platforms/meet/index.js';
import type { MeetSettings } from '../server/platforms/meet/settings.js';
import { signMeetWebhook } from '../server/platforms/meet/sign.js';
import { openvidu } from '../server/platforms/openvidu/index.js';
import { livekit } from '../server/platforms/livekit/index.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import { liveswitch } from '../server/platforms/liveswitch/index.js';
import { signLiveSwitchWebhook } from '../server/platforms/liveswitch/sign.js';
import { enablex } from '../server/platforms/enablex/index.js';
import { basicAuthorization } from '../server/platforms/enablex/sign.js';
import { OVERFLOW_DEPTH, anyBody, deepObjectBody, jsonBody, jsonObject, nestedBody } from './fuzz/bodies.js';
import { checkProperty } from './fuzz/run-property.js';

type Headers = Record<string, string | string[] | undefined>;

const NOW = 1_739_900_730_000;
const MEET_KEYS = ['meet-key-current', 'meet-key-previous'];
const LIVEKIT = { key: 'APIfuzz', secret: 'livekit-secret-of-32-characters!' };
const LIVESWITCH_SECRET = 'liveswitch-shared-secret';
const ENABLEX = { user: 'enablex-user', password: 'enablex-password' };
const OPENVIDU_HEADERS: [string, string][] = [['X-Webhook-Token', 'openvidu-token']];

/** Header names the adapters look at, and others; values of any kind, including repeated headers. */
const noiseHeaders: fc.Arbitrary<Headers> = fc.dictionary(
  fc.oneof(
    fc.constantFrom('authorization', 'x-timestamp', 'x-signature', 'x-applicationsignature', 'x-webhook-token', 'content-type'),
    fc.string({ minLength: 1, maxLength: 12 }).map((name) => name.toLowerCase()),
  ),
  fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 })),
  { maxKeys: 4 },
);

/** Bodies up to depths that overflow JSON.stringify: adapters only parse them, and parsing cannot overflow. */
const body = fc.oneof({ weight: 4, arbitrary: anyBody() }, { weight: 1, arbitrary: nestedBody(OVERFLOW_DEPTH * 2, OVERFLOW_DEPTH) });

/** LiveSwitch re-encodes each element of a batch: its deep bodies are objects (see deepObjectBody). */
const liveswitchBody = fc.oneof({ weight: 4, arbitrary: anyBody() }, { weight: 1, arbitrary: deepObjectBody });
const batchElements = fc.array(fc.oneof(fc.jsonValue({ maxDepth: 3 }), nestedBody(1200).map((bytes) => JSON.parse(bytes.toString()) as unknown)), {
  maxLength: 4,
});

/** A request as an adapter gets it. */
interface Case {
  headers: Headers;
  body: Buffer;
  receivedAt: number;
}

/** Undefined four times out of five: a recipe's "use something wrong here" switch. */
const sometimes = <T>(wrong: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: wrong });

const receivedAt = fc.oneof(fc.constant(NOW), fc.integer({ min: NOW - 300_000, max: NOW + 300_000 }), fc.integer({ min: 0, max: 2 ** 47 }));

/**
 * Runs the adapter on requests built from generated recipes (a recipe says which credentials to use:
 * right, wrong, malformed or missing) and checks every verdict.
 */
function fuzzAdapter<R>(name: string, adapter: EnabledPlatform, recipes: fc.Arbitrary<R>, request: (recipe: R) => Case | Promise<Case>, { refusesSome = true } = {}) {
  test(`${name}: verify never throws, refuses only with a listed reason, accepts well-formed events`, async (t) => {
    const outcomes = { accepted: 0, refused: 0 };
    await checkProperty(
      t,
      fc.asyncProperty(recipes, async (recipe) => {
        const built = await request(recipe);
        const verdict = await adapter.verify(built);
        outcomes[verdict.accepted ? 'accepted' : 'refused']++;
        assertWellFormed(adapter, built, verdict);
      }),
      { shortRuns: 150 },
    );
    // The generators reach both paths (not checked when replaying a single case).
    if (!process.env.FUZZ_PATH) {
      assert.ok(outcomes.accepted > 0, 'no case was accepted');
      if (refusesSome) assert.ok(outcomes.refused > 0, 'no case was refused');
    }
  });
}

/** Headers whose values are credentials: never kept as they came. */
const SECRET_HEADERS = ['authorization', 'x-signature', 'x-applicationsignature', 'x-webhook-token'];

function assertWellFormed(adapter: EnabledPlatform, request: Case, verdict: Verdict): void {
  if (!verdict.accepted) {
    assert.ok(Object.hasOwn(REJECTIONS, verdict.reason), `refusal reason ${String(verdict.reason)} is not one of REJECTIONS`);
    return;
  }
  for (const event of verdict.events) {
    assert.equal(event.source, adapter.id);
    assert.ok(typeof event.type === 'string' && event.type !== '');
    assert.ok(typeof event.dedupeKey === 'string' && event.dedupeKey.startsWith(`${adapter.id}:`));
    assert.ok(event.roomId === null || (typeof event.roomId === 'string' && event.roomId !== ''));
    assert.ok(event.createdAt === null || Number.isFinite(event.createdAt));
    assert.ok(Buffer.isBuffer(event.body));
    for (const [name, value] of Object.entries(event.headers)) {
      assert.equal(typeof value, 'string');
      if (SECRET_HEADERS.includes(name)) assert.equal(value, '[masked]', `${name} kept unmasked`);
    }
  }
}

fuzzAdapter(
  'meet',
  enable<MeetSettings>(meet, { serverUrl: 'http://meet.invalid', apiKeys: MEET_KEYS, apiPath: undefined, maxAgeMs: 120_000 }),
  fc.record({
    noise: noiseHeaders,
    timestamp: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: NOW - 60_000, max: NOW + 60_000 }) }, fc.integer({ min: NOW - 400_000, max: NOW + 400_000 })),
    timestampHeader: sometimes(fc.string({ maxLength: 20 })),
    body: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('object', 'object without creationDate') },
      { weight: 2, arbitrary: body },
    ),
    fields: jsonObject(),
    key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...MEET_KEYS) }, fc.constant('a wrong key')),
    signature: sometimes(fc.string({ maxLength: 70 })),
    drop: sometimes(fc.constantFrom('x-timestamp', 'x-signature')),
  }),
  ({ noise, timestamp, timestampHeader, body, fields, key, signature, drop }) => {
    const bytes =
      body === 'object'
        ? Buffer.from(JSON.stringify({ ...fields, creationDate: timestamp }))
        : body === 'object without creationDate'
          ? Buffer.from(JSON.stringify(fields))
          : body;
    const stamp = timestampHeader ?? String(timestamp);
    const headers: Headers = { ...noise, 'x-timestamp': stamp, 'x-signature': signature ?? signMeetWebhook(key, stamp, bytes) };
    if (drop) delete headers[drop];
    return { headers, body: bytes, receivedAt: NOW };
  },
);

const openviduRecipes = fc.record({ noise: noiseHeaders, token: fc.constantFrom('openvidu-token', 'wrong', undefined), body, receivedAt });
const openviduRequest = ({ noise, token, body, receivedAt }: { noise: Headers; token: string | undefined; body: Buffer; receivedAt: number }): Case => ({
  headers: token === undefined ? noise : { ...noise, 'x-webhook-token': token },
  body,
  receivedAt,
});
fuzzAdapter('openvidu with a required header', enable(openvidu, { headers: OPENVIDU_HEADERS }), openviduRecipes, openviduRequest);
fuzzAdapter('openvidu with OPENVIDU_WEBHOOK_HEADERS=[]', enable(openvidu, { headers: [] }), openviduRecipes, openviduRequest, { refusesSome: false });

fuzzAdapter(
  'livekit',
  enable(livekit, { keys: [LIVEKIT, { key: 'APIrotated', secret: 'the-previous-secret-of-32-chars!' }] }),
  fc.record({
    noise: noiseHeaders,
    body: fc.oneof(jsonObject().map((fields) => Buffer.from(JSON.stringify(fields))), body),
    secret: fc.oneof({ weight: 4, arbitrary: fc.constant(LIVEKIT.secret) }, fc.constant('another secret of 32 characters!')),
    apiKey: fc.oneof({ weight: 4, arbitrary: fc.constant(LIVEKIT.key) }, fc.constant('APIother')),
    signedAt: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: NOW - 200_000, max: NOW }) }, fc.integer({ min: NOW - 900_000, max: NOW + 60_000 })),
    bearer: fc.boolean(),
    tamper: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
    token: sometimes(fc.string({ maxLength: 80 })),
  }),
  async ({ noise, body, secret, apiKey, signedAt, bearer, tamper, token }) => {
    const jwt = token ?? (await signLiveKitWebhook({ key: apiKey, secret }, body, signedAt));
    return {
      headers: { ...noise, authorization: bearer ? `Bearer ${jwt}` : jwt },
      body: tamper ? Buffer.concat([body, Buffer.from(' ')]) : body,
      receivedAt: NOW,
    };
  },
);

fuzzAdapter(
  'liveswitch',
  enable(liveswitch, { applications: new Map([['my-app', ['my-app-secret']]]), sharedSecret: LIVESWITCH_SECRET }),
  fc.record({
    noise: noiseHeaders,
    body: fc.oneof(liveswitchBody, batchElements.map((elements) => Buffer.from(JSON.stringify(elements)))),
    signature: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('valid', 'wrong secret') },
      { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
  }),
  ({ noise, body, signature }) => {
    const value =
      signature === 'valid'
        ? signLiveSwitchWebhook(LIVESWITCH_SECRET, body)
        : signature === 'wrong secret'
          ? signLiveSwitchWebhook('not the secret', body)
          : signature;
    return { headers: value === undefined ? noise : { ...noise, 'x-applicationsignature': value }, body, receivedAt: NOW };
  },
);

fuzzAdapter(
  'enablex',
  enable(enablex, ENABLEX),
  fc.record({
    noise: noiseHeaders,
    body: fc.oneof(jsonBody(), body),
    authorization: fc.oneof(
      { weight: 4, arbitrary: fc.constant(basicAuthorization(ENABLEX)) },
      { weight: 1, arbitrary: fc.constant(basicAuthorization({ user: ENABLEX.user, password: 'wrong' })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
  }),
  ({ noise, body, authorization }) => ({ headers: authorization === undefined ? noise : { ...noise, authorization }, body, receivedAt: NOW }),
);
