// Forwarding survives kill -9: a real roomwatch process is killed while a target holds a delivery and
// others wait behind it; after a restart on the same DATA_DIR every acknowledged webhook reaches the
// target, in order, and only the one in flight at the kill comes twice, with the same delivery id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeDataDir } from './helpers/server.js';
import { startServerProcess } from './helpers/process.js';
import { meetingStarted, post } from './helpers/meet.js';
import { deliveryIds, startForwardTarget } from './helpers/forward-target.js';

test('kill -9 with deliveries pending: after a restart nothing is lost, and only the one in flight is repeated', async (t) => {
  const dataDir = makeDataDir();
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  // Three answered, then the fourth is held open: it is in flight when roomwatch dies.
  const target = await startForwardTarget((_request, index) => (index < 3 ? 200 : new Promise<number>(() => undefined)));
  t.after(() => target.close());
  const env = { DATA_DIR: dataDir, FORWARD_TO: target.url };

  const first = await startServerProcess(env);
  t.after(() => void first.child.kill('SIGKILL'));
  const acknowledged: { seq: number; body: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const delivery = meetingStarted();
    const { status, json } = await post(first.url, delivery);
    assert.equal(status, 200);
    acknowledged.push({ seq: (json.stored as number[])[0]!, body: delivery.body });
  }
  await target.waitFor((received) => received.length === 4);
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, 'SIGKILL');

  target.answerWith(() => 200);
  const second = await startServerProcess(env);
  t.after(() => void second.child.kill('SIGKILL'));
  const last = acknowledged.at(-1)!.seq;
  await target.waitFor((received) => received.some((request) => request.delivery === last));
  const seqs = acknowledged.map(({ seq }) => seq);
  assert.deepEqual(deliveryIds(target.received), [...seqs.slice(0, 4), ...seqs.slice(3)]);
  const bodyOf = new Map(acknowledged.map(({ seq, body }) => [seq, body]));
  for (const request of target.received) assert.equal(request.body, bodyOf.get(request.delivery));
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});
