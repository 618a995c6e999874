// FORWARD_TO, FORWARD_MAX_AGE and FORWARD_TIMEOUT_MS: what they accept, and the one line that stops
// start-up when they are wrong (never echoing a URL, which may carry a token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../server/config.js';
import { targetLabel, targetWants } from '../server/forward/targets.js';

test('without FORWARD_TO nothing is forwarded; a delivery is retried for 24 h and given 10 s', () => {
  const { forward } = loadConfig({});
  assert.deepEqual(forward, { targets: [], maxAgeMs: 24 * 3_600_000, timeoutMs: 10_000 });
});

test('URLs separated by commas each get every webhook', () => {
  const { forward } = loadConfig({ FORWARD_TO: ' http://localhost:5000/webhook , https://app.example.com/hooks/meet?token=abc ' });
  assert.deepEqual(forward.targets, [
    { url: 'http://localhost:5000/webhook', sources: undefined, events: undefined },
    { url: 'https://app.example.com/hooks/meet?token=abc', sources: undefined, events: undefined },
  ]);
});

test('a JSON array gives each target its platforms and events', () => {
  const { forward } = loadConfig({
    FORWARD_TO: '[{"url":"http://localhost:5000/webhook","sources":["meet"],"events":["recordingEnded","meetingEnded"]},{"url":"http://billing:8080/in","sources":["livekit","openvidu"]}]',
  });
  assert.deepEqual(forward.targets, [
    { url: 'http://localhost:5000/webhook', sources: ['meet'], events: ['recordingEnded', 'meetingEnded'] },
    { url: 'http://billing:8080/in', sources: ['livekit', 'openvidu'], events: undefined },
  ]);
});

test('FORWARD_MAX_AGE takes milliseconds or a unit', () => {
  assert.equal(loadConfig({ FORWARD_MAX_AGE: '90s' }).forward.maxAgeMs, 90_000);
  assert.equal(loadConfig({ FORWARD_MAX_AGE: '30m' }).forward.maxAgeMs, 1_800_000);
  assert.equal(loadConfig({ FORWARD_MAX_AGE: '2d' }).forward.maxAgeMs, 2 * 86_400_000);
  assert.equal(loadConfig({ FORWARD_MAX_AGE: '5000' }).forward.maxAgeMs, 5000);
  assert.equal(loadConfig({ FORWARD_TIMEOUT_MS: '2500' }).forward.timeoutMs, 2500);
});

const bad: [Record<string, string>, RegExp][] = [
  [{ FORWARD_TO: 'localhost:5000/webhook' }, /^FORWARD_TO target 1 must be an http:\/\/ or https:\/\/ URL$/],
  [{ FORWARD_TO: 'http://a.example/x,,http://b.example/y' }, /^FORWARD_TO target 2 must be an http:\/\/ or https:\/\/ URL$/],
  [{ FORWARD_TO: 'ftp://files.example/in' }, /^FORWARD_TO target 1 must be an http/],
  [{ FORWARD_TO: '[{"url":"http://a.example/x"' }, /^FORWARD_TO is not valid JSON; write URLs separated by commas, or a JSON array/],
  [{ FORWARD_TO: '[{"url":"http://a.example/x","source":["meet"]}]' }, /^FORWARD_TO target 1 has an unknown key "source"; a target has url, sources and events$/],
  [{ FORWARD_TO: '[{"url":"http://a.example/x","sources":["zoom"]}]' }, /^FORWARD_TO target 1 "sources" must be a non-empty array of platform ids among meet, /],
  [{ FORWARD_TO: '[{"url":"http://a.example/x","events":"recordingEnded"}]' }, /^FORWARD_TO target 1 "events" must be a non-empty array of event names/],
  [{ FORWARD_TO: '[{"url":"http://a.example/x"},{"url":"http://a.example/x"}]' }, /^FORWARD_TO target 2 repeats the URL of an earlier one/],
  [{ FORWARD_TO: '["http://a.example/x"]' }, /^FORWARD_TO target 1 must be an object with a "url"$/],
  [{ FORWARD_MAX_AGE: 'a day' }, /^FORWARD_MAX_AGE must be a duration/],
  [{ FORWARD_MAX_AGE: '10ms' }, /^FORWARD_MAX_AGE must be at least 1 s/],
  [{ FORWARD_TIMEOUT_MS: '10' }, /^FORWARD_TIMEOUT_MS must be at least 100/],
];
for (const [env, message] of bad) {
  test(`${Object.keys(env)[0]}=${Object.values(env)[0]} stops start-up with one line saying why`, () => {
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'));
  });
}

test('a refused FORWARD_TO is never echoed: its URLs may carry tokens', () => {
  assert.throws(
    () => loadConfig({ FORWARD_TO: '[{"url":"https://app.example/in?token=s3cr3t","events":[]}]' }),
    (error: unknown) => error instanceof ConfigError && !error.message.includes('s3cr3t'),
  );
});

test('filters: a target wants a webhook when its platform and its event are both listed (or unfiltered)', () => {
  const meetEnds = { sources: ['meet'] as const, events: ['meetingEnded'] };
  assert.equal(targetWants(meetEnds, { source: 'meet', type: 'meetingEnded' }), true);
  assert.equal(targetWants(meetEnds, { source: 'meet', type: 'meetingStarted' }), false);
  assert.equal(targetWants(meetEnds, { source: 'livekit', type: 'meetingEnded' }), false);
  assert.equal(targetWants({ sources: undefined, events: undefined }, { source: 'enablex', type: 'roomdrop' }), true);
});

test('a target is shown without its credentials or query', () => {
  assert.equal(targetLabel('https://user:pass@app.example.com:8443/hooks?token=abc'), 'https://app.example.com:8443/hooks?…');
  assert.equal(targetLabel('http://localhost:5000/webhook'), 'http://localhost:5000/webhook');
});
