// Forwarding survives kill -9: a real roomwatch process is killed while a target holds a delivery and
// others wait behind it; after a restart on the same DATA_DIR every acknowledged webhook reaches the
// target, in order, and only the one in flight at the kill comes twice, with the same delivery id. And a
// target stopped by a 410 Gone stays stopped across a restart, until an operator resumes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeDataDir } from './helpers/server.js';
import { startServerProcess } from './helpers/process.js';
import { meetingStarted, post } from './helpers/meet.js';
import { deliveryIds, startForwardTarget } from './helpers/forward-target.js';
import { eventually } from './helpers/stack.js';
import type { ForwardingOverview } from '../server/forward/api-types.js';

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

test('a target stopped by 410 Gone stays stopped after a restart, until Resume, which sends the refused webhook again and then the rest, in order', async (t) => {
  const dataDir = makeDataDir();
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  let alive = false;
  const gone = await startForwardTarget(() => (alive ? 200 : 410), '/gone');
  t.after(() => gone.close());
  // Gets everything: its arrival of a webhook is the marker that the restarted roomwatch has taken care of it.
  const other = await startForwardTarget(() => 200, '/other');
  t.after(() => other.close());
  const env = { DATA_DIR: dataDir, FORWARD_TO: `${gone.url},${other.url}` };
  const stored = async (url: string) => {
    const { status, json } = await post(url, meetingStarted());
    assert.equal(status, 200);
    return (json.stored as number[])[0]!;
  };
  const targetState = async (url: string) => ((await (await fetch(`${url}/api/forwarding`)).json()) as ForwardingOverview).targets[0]!;

  const first = await startServerProcess(env);
  t.after(() => void first.child.kill('SIGKILL'));
  const refused = await stored(first.url);
  await gone.waitFor((received) => received.length === 1);
  await eventually(() => targetState(first.url), (target) => target.state === 'stopped');
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  const second = await startServerProcess(env);
  t.after(() => void second.child.kill('SIGKILL'));
  const stopped = await targetState(second.url);
  assert.equal(stopped.state, 'stopped', 'still stopped after the restart');
  assert.match(stopped.lastError!, new RegExp(`410 Gone to webhook #${refused}`));
  const later = await stored(second.url);
  await other.waitFor((received) => received.some((request) => request.delivery === later));
  assert.deepEqual(deliveryIds(gone.received), [refused], 'nothing sent to it again, neither the refused webhook nor a new one');

  alive = true;
  const resumed = await fetch(`${second.url}/api/forwarding/targets/1/resume`, { method: 'POST' });
  assert.equal(resumed.status, 202);
  await gone.waitFor((received) => received.some((request) => request.delivery === later));
  assert.deepEqual(deliveryIds(gone.received), [refused, refused, later]);
  await eventually(() => targetState(second.url), (target) => target.state === 'idle' && target.lastError === null);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});
