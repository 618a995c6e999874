import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, SETTING_NAMES, loadConfig } from '../server/config.js';

test('defaults follow the Meet tutorial and the local deployment', () => {
  const config = loadConfig({});
  assert.equal(config.port, 6080);
  assert.equal(config.platforms.meet?.serverUrl, 'http://localhost:9080');
  assert.deepEqual(config.platforms.meet?.apiKeys, ['meet-api-key']);
  assert.equal(config.webhook.maxAgeMs, 120_000);
  assert.equal(config.webhook.maxBodyBytes, 1024 * 1024);
  assert.equal(config.store.dataDir, './data');
  assert.equal(config.store.retention, 100_000);
  assert.equal(config.sse.heartbeatMs, 15_000);
  assert.equal(config.sse.maxBufferBytes, 1024 * 1024);
});

test('values are read from the environment; empty means default', () => {
  const config = loadConfig({
    SERVER_PORT: '7000',
    OV_MEET_SERVER_URL: 'https://meet.example.com/',
    OV_MEET_API_KEY: ' new-key , old-key ',
    MAX_WEBHOOK_AGE: '30000',
    DATA_DIR: '',
  });
  assert.equal(config.port, 7000);
  assert.equal(config.platforms.meet?.serverUrl, 'https://meet.example.com');
  assert.deepEqual(config.platforms.meet?.apiKeys, ['new-key', 'old-key']);
  assert.equal(config.webhook.maxAgeMs, 30_000);
  assert.equal(config.store.dataDir, './data');
});

const bad: [Record<string, string>, RegExp][] = [
  [{ SERVER_PORT: 'abc' }, /^SERVER_PORT must be a whole number between 0 and 65535 \(got "abc"\)$/],
  [{ SERVER_PORT: '70000' }, /^SERVER_PORT must be at most 65535/],
  [{ OV_MEET_SERVER_URL: 'localhost:9080' }, /^OV_MEET_SERVER_URL must be an http:\/\/ or https:\/\/ URL/],
  [{ MAX_WEBHOOK_AGE: '-1' }, /^MAX_WEBHOOK_AGE must be a whole number/],
  [{ SSE_HEARTBEAT_MS: '60000' }, /^SSE_HEARTBEAT_MS must be at most 15000/],
  [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
  [{ PUBLIC_URL: 'roomwatch.example.com' }, /^PUBLIC_URL must be the http:\/\/ or https:\/\/ address platforms reach roomwatch at.* \(got "roomwatch.example.com"\)$/],
  [{ PUBLIC_URL: 'https://user:pw@roomwatch.example.com' }, /^PUBLIC_URL must be the http:\/\/ or https:\/\/ address/],
  [{ PUBLIC_URL: 'https://roomwatch.example.com/?x=1' }, /^PUBLIC_URL must be the http:\/\/ or https:\/\/ address/],
  [{ PUBLIC_URL: 'ftp://roomwatch.example.com' }, /^PUBLIC_URL must be the http:\/\/ or https:\/\/ address/],
];
for (const [env, message] of bad) {
  test(`a bad ${Object.keys(env)[0]} stops start-up with one line naming it`, () => {
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message));
  });
}

test('a bad key list is reported without echoing any key', () => {
  assert.throws(
    () => loadConfig({ OV_MEET_API_KEY: 'secret-one,,secret-two' }),
    (error: unknown) => error instanceof ConfigError && /^OV_MEET_API_KEY /.test(error.message) && !error.message.includes('secret'),
  );
});

test('PUBLIC_URL keeps a proxy\'s path and loses its trailing slash; unset, it is undefined', () => {
  assert.equal(loadConfig({ PUBLIC_URL: ' https://ops.example.com/roomwatch/ ' }).publicUrl, 'https://ops.example.com/roomwatch');
  assert.equal(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:6080' }).publicUrl, 'http://10.0.0.5:6080');
  assert.equal(loadConfig({}).publicUrl, undefined);
});

test('.env.example documents every setting', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  for (const name of SETTING_NAMES) assert.match(example, new RegExp(`^#? ?${name}=`, 'm'), name);
});

test('DATABASE_URL: unset is SQLite under DATA_DIR, a postgres URL is taken, anything else stops start-up without echoing it', () => {
  assert.equal(loadConfig({}).store.databaseUrl, undefined);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' }).store.databaseUrl, 'postgres://root@127.0.0.1:5432/test');
  assert.equal(loadConfig({ DATABASE_URL: 'postgresql://db/roomwatch' }).store.databaseUrl, 'postgresql://db/roomwatch');
  for (const wrong of ['mysql://user:hunter2@db/x', 'sqlite:./data/roomwatch.db', 'postgres://']) {
    assert.throws(
      () => loadConfig({ DATABASE_URL: wrong }),
      (error: Error) => error instanceof ConfigError && error.message === 'DATABASE_URL must be a postgres:// or postgresql:// URL' && !error.message.includes('hunter2'),
    );
  }
});

test("the configuration table (docs/configuration.md, linked from the README) lists every setting, roomwatch's and every platform's", () => {
  const table = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  assert.match(readFileSync(new URL('../README.md', import.meta.url), 'utf8'), /\(docs\/configuration\.md\)/);
  for (const name of SETTING_NAMES) assert.match(table, new RegExp(`^\\| [^|]*\`${name}\``, 'm'), name);
});

test('the other platforms are off unless their credentials are set', () => {
  const { meet, ...others } = loadConfig({}).platforms;
  assert.ok(meet, 'Meet is always on');
  assert.deepEqual(others, {});
  const config = loadConfig({
    OPENVIDU_WEBHOOK_HEADERS: '["Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU", "X-Token: a: b"]',
    LIVEKIT_API_KEY: 'devkey',
    LIVEKIT_API_SECRET: 'secret',
    LIVESWITCH_SHARED_SECRET: 'ls',
    ENABLEX_WEBHOOK_USER: 'u',
    ENABLEX_WEBHOOK_PASSWORD: 'p',
  });
  const { meet: _meet, ...platforms } = config.platforms;
  assert.deepEqual(platforms, {
    openvidu: {
      headers: [
        ['Authorization', 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU'],
        ['X-Token', 'a: b'],
      ],
    },
    livekit: { keys: [{ key: 'devkey', secret: 'secret' }] },
    liveswitch: { applications: new Map(), sharedSecret: 'ls' },
    enablex: { user: 'u', password: 'p' },
  });
  assert.deepEqual(loadConfig({ OPENVIDU_WEBHOOK_HEADERS: '[]' }).platforms.openvidu, { headers: [] });
});

const badSources: [Record<string, string>, RegExp][] = [
  [{ OPENVIDU_WEBHOOK_HEADERS: 'Authorization: Basic x' }, /^OPENVIDU_WEBHOOK_HEADERS must be a JSON array/],
  [{ OPENVIDU_WEBHOOK_HEADERS: '["Authorization=x"]' }, /^OPENVIDU_WEBHOOK_HEADERS must be a JSON array of "Name: value" strings/],
  [{ LIVEKIT_API_KEY: 'devkey' }, /^LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together/],
  [{ ENABLEX_WEBHOOK_PASSWORD: 'p' }, /^ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD go together/],
];
for (const [env, message] of badSources) {
  test(`a bad ${Object.keys(env)[0]} is one clear line, without its secret`, () => {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('Basic x'),
    );
  });
}

test('the settings that guard the dashboard and bound the store are read and checked', () => {
  const config = loadConfig({
    ALLOWED_HOSTS: 'Roomwatch.Example.com, .corp.example, *.ngrok-free.app',
    TRUST_PROXY: 'loopback, 10.0.0.0/8',
    EVENT_RETENTION_DAYS: '30',
    EVENT_RETENTION_MB: '512',
    CLOSED_ROOM_RETENTION_HOURS: '2',
  });
  assert.deepEqual(config.dashboard.allowedHosts, ['roomwatch.example.com', '.corp.example', '*.ngrok-free.app']);
  assert.equal(config.trustProxy, 'loopback, 10.0.0.0/8');
  assert.equal(config.store.maxAgeMs, 30 * 24 * 3600 * 1000);
  assert.equal(config.store.maxBytes, 512 * 1024 * 1024);
  assert.equal(config.store.closedRoomRetentionMs, 2 * 3600 * 1000);
  assert.equal(loadConfig({ TRUST_PROXY: 'none' }).trustProxy, false);
  assert.equal(loadConfig({}).trustProxy, 'loopback');
  assert.throws(() => loadConfig({ ALLOWED_HOSTS: 'http://x.example' }), /^ConfigError: ALLOWED_HOSTS must be host names/);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'somewhere' }), /^ConfigError: TRUST_PROXY must be loopback, none/);
  assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), (error: unknown) => error instanceof ConfigError && !error.message.includes('short'));
});
