// OpenVidu 2's module (server/platforms/openvidu/): the static headers of OPENVIDU_WEBHOOK_HEADERS are the
// authentication (../shared/protocols/providers.md §1.2, §1.8); its check, its signing and their agreement.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../server/config.js';
import { openvidu } from '../server/platforms/openvidu/index.js';
import type { OpenViduSettings } from '../server/platforms/openvidu/settings.js';
import type { Verdict } from '../server/platforms/types.js';
import { asReceived } from './helpers/platforms.js';

const NOW = 1739900730_000;
const reason = (verdict: Verdict) => (verdict.accepted ? 'accepted' : verdict.reason);

describe('OpenVidu 2.x', () => {
  const SETTINGS: OpenViduSettings = { headers: [['Authorization', 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']] };
  const body =
    '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394690713,"event":"sessionCreated"}';
  const verify = (headers: Record<string, string>, bytes = body) => openvidu.verify(SETTINGS, { headers, body: Buffer.from(bytes), receivedAt: NOW });

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
    const two: OpenViduSettings = { headers: [['X-Token', 'a'], ['X-Other', 'b']] };
    const check = (headers: Record<string, string>) => reason(openvidu.verify(two, { headers, body: Buffer.from(body), receivedAt: NOW }));
    assert.equal(check({ 'x-token': 'a', 'x-other': 'b' }), 'accepted');
    assert.equal(check({ 'x-token': 'a' }), 'missing_header');
    assert.equal(check({ 'x-token': 'a', 'x-other': 'c' }), 'header_mismatch');
  });

  test('an empty header list accepts unauthenticated posts, on purpose', () => {
    assert.equal(reason(openvidu.verify({ headers: [] }, { headers: {}, body: Buffer.from(body), receivedAt: NOW })), 'accepted');
  });

  test('an identical re-send has the same dedupe key; before 2.17 the session id is the room', () => {
    const old = '{"sessionId":"TestSession","timestamp":1561969010392,"event":"sessionCreated"}';
    const a = openvidu.verify({ headers: [] }, { headers: {}, body: Buffer.from(old), receivedAt: NOW });
    const b = openvidu.verify({ headers: [] }, { headers: {}, body: Buffer.from(old), receivedAt: NOW + 5 });
    assert.ok(a.accepted && b.accepted);
    assert.equal(a.events[0]!.dedupeKey, b.events[0]!.dedupeKey);
    assert.equal(a.events[0]!.roomId, 'TestSession');
  });

  test('a body it does not understand is kept as unrecognised, not refused', () => {
    const verdict = openvidu.verify({ headers: [] }, { headers: {}, body: Buffer.from('not json'), receivedAt: NOW });
    assert.ok(verdict.accepted);
    assert.deepEqual([verdict.events[0]!.type, verdict.events[0]!.createdAt], ['unrecognised', null]);
  });

  test('a configured value is compared as Node hands the header over: surrounding whitespace trimmed', () => {
    // OpenVidu sends "X-Token: abc " as written in its OPENVIDU_WEBHOOK_HEADERS; Node trims the value it receives.
    const settings = loadConfig({ OPENVIDU_WEBHOOK_HEADERS: '["X-Token: abc ", "X-Other:  def"]' }).platforms.openvidu!;
    assert.deepEqual(settings.headers, [
      ['X-Token', 'abc'],
      ['X-Other', 'def'],
    ]);
    assert.equal(reason(openvidu.verify(settings, asReceived({ 'X-Token': 'abc ', 'X-Other': ' def' }, body, NOW))), 'accepted');
    assert.throws(() => loadConfig({ OPENVIDU_WEBHOOK_HEADERS: '["X-Token:  "]' }), /OPENVIDU_WEBHOOK_HEADERS must be a JSON array of "Name: value" strings/);
  });

  test('signing adds exactly the configured headers (the value of the OpenVidu docs\' example, OPENVIDUAPP:MY_SECRET), which the check accepts', async () => {
    // The docs' header value is HTTP Basic of OPENVIDUAPP:MY_SECRET, computed here without roomwatch's code.
    assert.equal(`Basic ${Buffer.from('OPENVIDUAPP:MY_SECRET').toString('base64')}`, 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU');
    const signed = await openvidu.sign(SETTINGS, body);
    assert.deepEqual(signed, { headers: { 'Content-Type': 'application/json', Authorization: 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU' }, body });
    assert.equal(reason(openvidu.verify(SETTINGS, asReceived(signed.headers, signed.body, NOW))), 'accepted');
    assert.equal(reason(openvidu.verify({ headers: [['Authorization', 'Basic other']] }, asReceived(signed.headers, signed.body, NOW))), 'header_mismatch');
  });
});
