// OpenVidu Meet's module (server/platforms/meet/): its check refuses with a reason everything Meet would
// not send, its signing is Meet's, and both agree with each other and with the vectors of
// ../shared/protocols/openvidu-meet.md §1.3 (computed there, not with this code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meet } from '../server/platforms/meet/index.js';
import type { MeetSettings } from '../server/platforms/meet/settings.js';
import type { Verdict } from '../server/platforms/types.js';
import { createHmac } from 'node:crypto';
import { MEET_KEY, sign, signed } from './helpers/meet.js';
import { asReceived } from './helpers/platforms.js';

const NOW = 1759400012000;
const settingsWith = (apiKeys: string[]): MeetSettings => ({ serverUrl: 'http://meet.invalid', apiKeys, apiPath: undefined, maxAgeMs: 120_000 });
const SETTINGS = settingsWith([MEET_KEY]);
const verify = (body: string | Buffer, headers: Record<string, string>, receivedAt = NOW): Verdict =>
  meet.verify(SETTINGS, { headers, body: Buffer.from(body), receivedAt });

// The compact one-line form of the meetingStarted example, ../shared/protocols/openvidu-meet.md §2.3.1.
const MEETING_STARTED = JSON.stringify({
  event: 'meetingStarted',
  creationDate: 1759400012000,
  data: {
    roomId: 'DailyStandup-k3j9x0q2m7a1b4c',
    roomName: 'Daily Standup',
    creationDate: 1759399000456,
    autoDeletionPolicy: { withMeeting: 'when_meeting_ends', withRecordings: 'close' },
    config: {
      recording: { enabled: true, allowAccessTo: 'admin_moderator_speaker' },
      chat: { enabled: true },
      virtualBackground: { enabled: true },
    },
    moderatorUrl: 'http://localhost:9080/room/DailyStandup-k3j9x0q2m7a1b4c?secret=a8f3k2l9q0',
    speakerUrl: 'http://localhost:9080/room/DailyStandup-k3j9x0q2m7a1b4c?secret=z7x6c5v4b3',
    status: 'active_meeting',
    meetingEndAction: 'none',
  },
});

test('the protocol test vectors verify', () => {
  const testEvent = '{"event":"testEvent","creationDate":1759400000000,"data":{"message":"This is a test webhook event"}}';
  const a = verify(testEvent, { 'x-timestamp': '1759400000000', 'x-signature': 'bf8bf2485a4f6bbaa3c042984545f428892b6de69ad6bcdc54cd1f0aa75c43dd' }, 1759400000000);
  assert.equal(a.accepted, true);
  assert.equal(a.accepted && a.events[0]!.type, 'testEvent');

  assert.equal(Buffer.byteLength(MEETING_STARTED), 617);
  const b = verify(MEETING_STARTED, { 'x-timestamp': '1759400012000', 'x-signature': 'f16eebe20915b3f0913e9370e0ea67a679372112605d299b7bf74cdb7653fa59' });
  assert.equal(b.accepted, true);
  assert.equal(b.accepted && b.events[0]!.roomId, 'DailyStandup-k3j9x0q2m7a1b4c');
});

test('the raw bytes are verified, whatever their whitespace and escapes', () => {
  const pretty = `{\n  "event" : "meetingStarted",\n  "creationDate": ${NOW},\n  "data": { "roomId": "caf\\u00e9-1", "roomName": "Caf\\u00e9 \u2615" }\n}\n`;
  const verdict = verify(pretty, signed(pretty, NOW).headers);
  assert.equal(verdict.accepted, true);
  // The stored body is the bytes received, not a re-serialization.
  assert.equal(verdict.accepted && verdict.events[0]!.body.toString('utf8'), pretty);
  assert.equal(verdict.accepted && verdict.events[0]!.roomId, 'café-1');
});

test('an accepted event keeps type, creation time, room and only harmless headers', () => {
  const delivery = signed(MEETING_STARTED, NOW);
  const verdict = verify(MEETING_STARTED, { ...delivery.headers, 'user-agent': 'node', authorization: 'Bearer x' });
  assert.ok(verdict.accepted);
  const [event] = verdict.events;
  assert.equal(event!.source, 'meet');
  assert.equal(event!.type, 'meetingStarted');
  assert.equal(event!.createdAt, NOW);
  assert.deepEqual(event!.headers, { 'x-timestamp': String(NOW), 'content-type': 'application/json', 'user-agent': 'node' });
});

test('a retried delivery has the same dedupe key; another delivery has another', () => {
  const first = verify(MEETING_STARTED, signed(MEETING_STARTED, NOW).headers);
  const retry = verify(MEETING_STARTED, signed(MEETING_STARTED, NOW).headers, NOW + 9300);
  const otherBody = MEETING_STARTED.replace('Daily Standup', 'Daily Standup 2');
  const other = verify(otherBody, signed(otherBody, NOW).headers);
  assert.ok(first.accepted && retry.accepted && other.accepted);
  assert.equal(first.events[0]!.dedupeKey, retry.events[0]!.dedupeKey);
  assert.notEqual(first.events[0]!.dedupeKey, other.events[0]!.dedupeKey);
});

test('every key of a rotation is accepted; others are not', () => {
  const rotating = settingsWith(['new-key', 'old-key']);
  for (const key of ['new-key', 'old-key']) {
    const { headers } = signed(MEETING_STARTED, NOW, key);
    assert.equal(meet.verify(rotating, { headers, body: Buffer.from(MEETING_STARTED), receivedAt: NOW }).accepted, true, key);
  }
  const { headers } = signed(MEETING_STARTED, NOW, 'other-key');
  assert.deepEqual(meet.verify(rotating, { headers, body: Buffer.from(MEETING_STARTED), receivedAt: NOW }), {
    accepted: false,
    reason: 'signature_mismatch',
    detail: undefined,
  });
});

test('an upper-case hex signature is the same signature', () => {
  const { headers } = signed(MEETING_STARTED, NOW);
  assert.equal(verify(MEETING_STARTED, { ...headers, 'x-signature': headers['x-signature']!.toUpperCase() }).accepted, true);
});

test('a signed body without an event name is kept as unrecognised', () => {
  const body = `{"creationDate":${NOW},"data":{}}`;
  const verdict = verify(body, signed(body, NOW).headers);
  assert.ok(verdict.accepted);
  assert.equal(verdict.events[0]!.type, 'unrecognised');
});

const good = signed(MEETING_STARTED, NOW);
const signature = good.headers['x-signature']!;
const refusals: { name: string; body?: string; headers: Record<string, string>; receivedAt?: number; reason: string }[] = [
  { name: 'no X-Timestamp', headers: { 'x-signature': signature }, reason: 'missing_header' },
  { name: 'no X-Signature', headers: { 'x-timestamp': String(NOW) }, reason: 'missing_header' },
  { name: 'a timestamp with trailing garbage', headers: { 'x-timestamp': `${NOW}abc`, 'x-signature': signature }, reason: 'malformed_timestamp' },
  { name: 'a negative timestamp', headers: { 'x-timestamp': '-5', 'x-signature': signature }, reason: 'malformed_timestamp' },
  { name: 'a fractional timestamp', headers: { 'x-timestamp': '1759400012000.5', 'x-signature': signature }, reason: 'malformed_timestamp' },
  { name: 'an empty timestamp', headers: { 'x-timestamp': '', 'x-signature': signature }, reason: 'malformed_timestamp' },
  { name: 'a 63-character signature', headers: { 'x-timestamp': String(NOW), 'x-signature': signature.slice(1) }, reason: 'malformed_signature' },
  { name: 'a 65-character signature', headers: { 'x-timestamp': String(NOW), 'x-signature': `${signature}0` }, reason: 'malformed_signature' },
  { name: 'a non-hex signature', headers: { 'x-timestamp': String(NOW), 'x-signature': `${signature.slice(0, 63)}g` }, reason: 'malformed_signature' },
  { name: 'a prefixed signature', headers: { 'x-timestamp': String(NOW), 'x-signature': `sha256=${signature}` }, reason: 'malformed_signature' },
  { name: 'a timestamp older than the window', headers: good.headers, receivedAt: NOW + 120_001, reason: 'stale_timestamp' },
  { name: 'a timestamp further ahead than the window', headers: good.headers, receivedAt: NOW - 120_001, reason: 'future_timestamp' },
  { name: 'a signature made with another key', headers: signed(MEETING_STARTED, NOW, 'wrong').headers, reason: 'signature_mismatch' },
  { name: 'a body changed after signing', body: MEETING_STARTED.replace('active_meeting', 'closed'), headers: good.headers, reason: 'signature_mismatch' },
  { name: 'another timestamp than the one signed', headers: { ...good.headers, 'x-timestamp': String(NOW + 1) }, reason: 'signature_mismatch' },
  {
    name: 'a signature of the body alone (the openapi text, not what Meet does)',
    headers: { ...good.headers, 'x-signature': createHmac('sha256', MEET_KEY).update(MEETING_STARTED).digest('hex') },
    reason: 'signature_mismatch',
  },
  { name: 'a signed body that is not JSON', body: 'not json', headers: signed('not json', NOW).headers, reason: 'bad_json' },
  { name: 'a signed JSON array', body: '[1,2]', headers: signed('[1,2]', NOW).headers, reason: 'bad_json' },
  {
    name: 'a body creationDate that is not the timestamp header',
    body: MEETING_STARTED,
    headers: signed(MEETING_STARTED, NOW + 5).headers,
    reason: 'timestamp_mismatch',
  },
];

for (const refusal of refusals) {
  test(`refuses ${refusal.name} (${refusal.reason})`, () => {
    const verdict = verify(refusal.body ?? MEETING_STARTED, refusal.headers, refusal.receivedAt ?? NOW);
    assert.equal(verdict.accepted, false);
    assert.equal(!verdict.accepted && verdict.reason, refusal.reason);
  });
}

test('the window edge itself is accepted in both directions', () => {
  assert.equal(verify(MEETING_STARTED, good.headers, NOW + 120_000).accepted, true);
  assert.equal(verify(MEETING_STARTED, good.headers, NOW - 120_000).accepted, true);
});

// ── Signing: Meet's, and in agreement with the check ────────────────────────────────────────────────

const TEST_EVENT = '{"event":"testEvent","creationDate":1759400000000,"data":{"message":"This is a test webhook event"}}';

test('signing reproduces the protocol test vectors (§1.3) with the first key of a rotation', async () => {
  const first = await meet.sign(settingsWith([MEET_KEY, 'old-key']), TEST_EVENT, 1759400000000);
  assert.deepEqual(first, {
    headers: {
      'Content-Type': 'application/json',
      'X-Timestamp': '1759400000000',
      'X-Signature': 'bf8bf2485a4f6bbaa3c042984545f428892b6de69ad6bcdc54cd1f0aa75c43dd',
    },
    body: TEST_EVENT,
  });
  const second = await meet.sign(SETTINGS, MEETING_STARTED, 1759400012000);
  assert.equal(second.headers['X-Signature'], 'f16eebe20915b3f0913e9370e0ea67a679372112605d299b7bf74cdb7653fa59');
});

test('a body signed at another time gets that time as creationDate, every other byte kept, and a signature made independently agrees', async () => {
  const later = NOW + 5 * 60_000;
  const pretty = `{ "event": "meetingStarted", "creationDate" : ${NOW}, "data": { "roomId": "r-1", "creationDate": 1 } }`;
  const { headers, body } = await meet.sign(SETTINGS, pretty, later);
  assert.equal(body, pretty.replace(`: ${NOW}`, `: ${later}`));
  assert.equal(headers['X-Timestamp'], String(later));
  assert.equal(headers['X-Signature'], sign(MEET_KEY, later, body), 'as helpers/meet.ts computes it with node:crypto');
});

test('what signing makes, the check accepts; with another key it does not', async () => {
  const signedNow = await meet.sign(SETTINGS, MEETING_STARTED, NOW);
  const verdict = meet.verify(SETTINGS, asReceived(signedNow.headers, signedNow.body, NOW + 30_000));
  assert.ok(verdict.accepted);
  assert.equal(verdict.events[0]!.createdAt, NOW);
  const other = await meet.sign(settingsWith(['another-key']), MEETING_STARTED, NOW);
  assert.equal((meet.verify(SETTINGS, asReceived(other.headers, other.body, NOW)) as { reason?: string }).reason, 'signature_mismatch');
});
