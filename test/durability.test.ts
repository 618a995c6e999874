import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeDataDir } from './helpers/server.js';
import { startServerProcess } from './helpers/process.js';
import { meetingStarted, type Delivery } from './helpers/meet.js';
import { ids, openSse } from './helpers/sse.js';
import { eventually } from './helpers/stack.js';

/** Every webhook frame up to `lastSeq`: the stream is in sequence order, so reaching it means all before it came. */
async function readThrough(url: string, lastSeq: number) {
  const sse = await openSse(`${url}/events?since=0`);
  await sse.waitFor((frames) => (ids(frames).at(-1) ?? 0) >= lastSeq, 10_000);
  sse.close();
  return new Map(sse.frames.filter((f) => f.id !== undefined).map((f) => [Number(f.id), f.data]));
}

/** Started for this test and killed after it, even when it fails (a live child would keep the run open). */
async function serverFor(t: TestContext, env: Record<string, string>, port?: number) {
  const server = await startServerProcess(env, port);
  t.after(() => void server.child.kill('SIGKILL'));
  return server;
}

test('every event answered 200 is still there after kill -9', async (t) => {
  const dataDir = makeDataDir();
  try {
    const first = await serverFor(t, { DATA_DIR: dataDir });
    const acknowledged = new Map<number, string>();
    let stop = false;
    let sendErrors = 0;
    const senders = Array.from({ length: 16 }, async () => {
      while (!stop) {
        const delivery: Delivery = meetingStarted();
        try {
          const response = await fetch(`${first.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
          if (response.status === 200) {
            const { stored } = (await response.json()) as { stored: number[] };
            acknowledged.set(stored[0]!, delivery.body);
          }
        } catch {
          sendErrors++; // the process died under this request: it was never acknowledged
          return;
        }
      }
    });
    // Killed while the senders are busy, once enough was acknowledged, however fast this machine is.
    await eventually(async () => acknowledged.size, (count) => count >= 200, 20_000);
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    stop = true;
    await Promise.all(senders);
    assert.ok(acknowledged.size > 50, `only ${acknowledged.size} events were acknowledged before the kill`);
    assert.ok(sendErrors > 0, 'the kill happened while requests were in flight');

    const second = await serverFor(t, { DATA_DIR: dataDir });
    const kept = await readThrough(second.url, Math.max(...acknowledged.keys()));
    for (const [seq, body] of acknowledged) assert.equal(kept.get(seq), body, `event ${seq} was acknowledged but lost`);
    second.child.kill('SIGTERM');
    await second.exited;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('after a graceful restart a client resumes from its Last-Event-ID with nothing missed', async (t) => {
  const dataDir = makeDataDir();
  try {
    const first = await serverFor(t, { DATA_DIR: dataDir });
    const sse = await openSse(`${first.url}/events`);
    const send = async (url: string) => {
      const delivery = meetingStarted();
      const response = await fetch(`${url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      return ((await response.json()) as { stored: number[] }).stored[0]!;
    };
    const seen = [await send(first.url), await send(first.url)];
    await sse.waitFor((frames) => ids(frames).length === 2);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    await sse.waitForClose();

    const port = Number(new URL(first.url).port);
    const second = await serverFor(t, { DATA_DIR: dataDir }, port);
    // Accepted while the browser was away.
    const missed = [await send(second.url), await send(second.url)];
    const resumed = await openSse(`${second.url}/events`, { 'last-event-id': String(seen.at(-1)) });
    await resumed.waitFor((frames) => ids(frames).length === 2);
    assert.deepEqual(ids(resumed.frames), missed);
    assert.ok(missed[0]! > seen.at(-1)!, 'sequence numbers keep increasing across restarts');
    resumed.close();
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a bad setting stops start-up with one line naming the variable', async () => {
  await assert.rejects(startServerProcess({ MAX_WEBHOOK_AGE: 'soon' }), (error: Error) => {
    assert.match(error.message, /roomwatch: invalid configuration: MAX_WEBHOOK_AGE must be a whole number/);
    return true;
  });
});
