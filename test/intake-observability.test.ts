// What the intake tells an operator: one info line per accepted webhook and one warning with a hint per
// refusal (in the real process's log, never a secret), and the Prometheus counters of every outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { health, makeDataDir, startTestServer } from './helpers/server.js';
import { startServerProcess } from './helpers/process.js';
import { eventually } from './helpers/stack.js';
import { meetingStarted, post, signed } from './helpers/meet.js';
import { signLiveSwitchWebhook } from '../server/platforms/liveswitch/sign.js';

type LogLine = Record<string, unknown> & { msg: string };
const logLines = (output: string): LogLine[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

test('the log has one info line per accepted webhook and a warning with the hint, X-Timestamp and skew per refusal, and no signature', async () => {
  const dataDir = makeDataDir();
  const server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info', OV_MEET_SERVER_URL: 'http://127.0.0.1:9' });
  try {
    const delivery = meetingStarted('standup-k3j9x0q2m7a1b4c');
    const first = await post(server.url, delivery);
    await post(server.url, delivery);
    const ts = Date.now() - 312_000;
    const stale = signed(JSON.stringify({ event: 'meetingStarted', creationDate: ts, data: {} }), ts);
    assert.equal((await post(server.url, stale)).status, 401);

    const lines = await eventually(
      async () => logLines(server.output()),
      (all) => all.some((line) => line.msg === 'webhook refused'),
    );
    const seq = (first.json.stored as number[])[0];
    const stored = lines.filter((line) => line.msg === 'webhook stored');
    assert.deepEqual(
      stored.map(({ level, source, type, room, seq }) => ({ level, source, type, room, seq })),
      [{ level: 30, source: 'meet', type: 'meetingStarted', room: 'standup-k3j9x0q2m7a1b4c', seq }],
    );
    const repeat = lines.find((line) => line.msg === 'repeated delivery acknowledged, not stored again')!;
    assert.deepEqual([repeat.level, repeat.seq, repeat.type], [30, seq, 'meetingStarted']);

    const refused = lines.find((line) => line.msg === 'webhook refused')!;
    assert.equal(refused.level, 40);
    assert.equal(refused.reason, 'stale_timestamp');
    assert.equal(refused.timestamp, ts);
    assert.ok((refused.skewMs as number) >= 312_000);
    assert.match(refused.hint as string, /^X-Timestamp is 31\d s old \(MAX_WEBHOOK_AGE allows 120 s\): check the clocks/);
    for (const secret of [delivery.headers['x-signature']!, stale.headers['x-signature']!]) assert.ok(!server.output().includes(secret));
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('intake metrics count every request, accepted event, repeat and refusal by reason, and time each acknowledgement', async () => {
  const server = await startTestServer({ LIVESWITCH_SHARED_SECRET: 'ls-secret', OV_MEET_SERVER_URL: 'http://127.0.0.1:9' });
  try {
    const delivery = meetingStarted();
    await post(server.url, delivery);
    await post(server.url, delivery);
    await post(server.url, signed('{"event":"x"}', Date.now(), 'not-the-key'));
    const batch = JSON.stringify([{ type: 'channel.activated', channelId: 'a' }, { type: 'client.registered' }]);
    await fetch(`${server.url}/webhook/liveswitch`, { method: 'POST', headers: { 'x-applicationsignature': signLiveSwitchWebhook('ls-secret', batch) }, body: batch });
    await fetch(`${server.url}/webhook/liveswitch`, { method: 'POST', body: '{}' });

    const { text } = await server.metrics.scrape();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.equal(value('roomwatch_webhooks_received_total{platform="meet"}'), 3);
    assert.equal(value('roomwatch_webhooks_received_total{platform="liveswitch"}'), 2);
    assert.equal(value('roomwatch_webhooks_accepted_total{platform="meet"}'), 1);
    assert.equal(value('roomwatch_webhooks_accepted_total{platform="liveswitch"}'), 2);
    assert.equal(value('roomwatch_webhooks_repeated_total{platform="meet"}'), 1);
    assert.equal(value('roomwatch_webhooks_refused_total{platform="meet",reason="signature_mismatch"}'), 1);
    assert.equal(value('roomwatch_webhooks_refused_total{platform="liveswitch",reason="missing_header"}'), 1);
    // Three acknowledgements: the first delivery, its repeat, and the batch.
    assert.equal(value('roomwatch_webhook_commit_seconds_count'), 3);
    assert.equal(value('roomwatch_webhook_bytes_in_flight'), 0);
    // /healthz counts from the same place.
    const { webhooks } = await health(server.url);
    assert.deepEqual(webhooks, { stored: 3, repeats: 1, refused: { signature_mismatch: 1, missing_header: 1 } });
  } finally {
    await server.dispose();
  }
});
