// The nesting check that runs on a webhook's raw bytes before anything parses them: exact on JSON,
// blind to brackets inside strings, and far from what real platforms send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../server/domain/json-depth.js';
import { sampleRecording, sampleRoom } from '../tools/meet-sim/samples.js';
import * as livekit from './fixtures/livekit.js';
import * as openvidu from './fixtures/openvidu.js';
import * as enablex from './fixtures/enablex.js';
import * as liveswitch from './fixtures/liveswitch.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
/** Depth of a parsed value: 0 for a scalar, 1 for a flat object or array. */
const depthOf = (value: unknown): number =>
  typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

test('a body nested exactly to the limit passes, one level more does not', () => {
  assert.equal(nestsDeeperThan(bytes(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH), false);
  assert.equal(nestsDeeperThan(bytes(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH), true);
  assert.equal(nestsDeeperThan(bytes(`{"a":${'{"a":'.repeat(6000)}1${'}'.repeat(6001)}`), MAX_JSON_DEPTH), true);
});

for (const [name, text, deeperThan2] of [
  ['brackets inside a string', '{"a":"[[[[{{{{"}', false],
  ['an escaped quote does not end the string', '{"a":"\\"[[[["}', false],
  ['an escaped backslash does end it', '[["\\\\"],[[[]]]]', true],
  ['a \\u escape', '{"a":"\\u005b[[["}', false],
  ['non-ASCII text around brackets', '{"é":"日本[[[","b":["ü"]}', false],
  ['closing brackets never go below zero', ']]]]]]' + nested(3), true],
  ['text that is not JSON', 'hello {', false],
] as const) {
  test(`depth counting: ${name}`, () => {
    assert.equal(nestsDeeperThan(bytes(text), 2), deeperThan2);
  });
}

test('agrees with the depth of the parsed value for any JSON', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
      const text = JSON.stringify(value);
      assert.equal(nestsDeeperThan(bytes(text), max), depthOf(value) > max, text);
    }),
  );
});

test("every platform's real payloads nest far below the limit", () => {
  const options = { baseUrl: 'http://localhost:9080', now: 1759400012000 };
  const payloads: unknown[] = [];
  for (const version of ['3.4', '3.8'] as const) {
    const room = sampleRoom('Daily Standup', 'active_meeting', 'none', { ...options, version });
    payloads.push({ event: 'meetingStarted', creationDate: 1, data: room });
    payloads.push({ event: 'recordingEnded', creationDate: 1, data: sampleRecording(room, 'complete', { ...options, version }) });
  }
  payloads.push(livekit.egressEnded(), livekit.participantJoined(), livekit.roomStarted(), livekit.sdkRoomStarted);
  payloads.push(openvidu.nodeCrashed(), openvidu.recordingStatusChanged('ready'), openvidu.participantJoined());
  payloads.push(enablex.fileTransfer(), enablex.transcoded(), [liveswitch.activated(), liveswitch.gatewayStarted]);
  for (const payload of payloads) {
    assert.ok(depthOf(payload) <= 6, JSON.stringify(payload).slice(0, 200));
    assert.equal(nestsDeeperThan(bytes(JSON.stringify(payload)), MAX_JSON_DEPTH), false);
  }
});
