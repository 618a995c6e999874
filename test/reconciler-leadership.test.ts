// Only the leader's reconcilers read a platform's API on their own: a paused one (another instance leads)
// reads nothing on its schedule or when asked soon, and starts reading at once when it takes over. Real
// parts: the Meet simulator's REST API, Meet's API client, the SQLite store; the reads are counted by the
// reconcilers' own metric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startMeetSimulator } from '../tools/meet-sim/index.js';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { Metrics } from '../server/metrics.js';
import { meetApi } from '../server/platforms/meet/api.js';
import { Reconciler } from '../server/platforms/reconciler.js';
import { makeDataDir } from './helpers/server.js';
import { openTestStore } from './helpers/sqlite-store.js';

test('a paused reconciler reads nothing on its own while the leading one keeps reading; it reads at once when started', async () => {
  const meet = await startMeetSimulator();
  const dataDir = makeDataDir();
  const store = await openTestStore(dataDir);
  const metrics = new Metrics();
  const log = createLogger('silent', false);
  const settings = loadConfig({ OV_MEET_SERVER_URL: meet.url }).platforms.meet!;
  const api = meetApi(settings, { store, log, now: Date.now, refreshSoon: () => {}, closedRoomRetentionMs: 3_600_000 });
  const reconciler = (id: string) => new Reconciler({ platform: { id, label: id }, api, store, log, intervalMs: 20, retryMs: 20, metrics });
  const runs = async (id: string) => (await metrics.reconcileRuns.get()).values.find((value) => value.labels.platform === id)?.value ?? 0;
  const until = async (condition: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const leader = reconciler('leader');
  const follower = reconciler('follower');
  try {
    follower.pause();
    follower.refreshSoon(0);
    leader.start();
    // The leader's reads are the marker: by its fifth, the follower would have read on its own several times.
    await until(async () => (await runs('leader')) >= 5, 'the leader reads on its schedule');
    assert.equal(await runs('follower'), 0);

    // Leadership moves: the old leader stops reading on its own (a read under way may still finish).
    leader.pause();
    const leaderRuns = await runs('leader');
    follower.start();
    await until(async () => (await runs('follower')) >= 5, 'the new leader reads at once, then on its schedule');
    assert.ok((await runs('leader')) <= leaderRuns + 1, 'the old leader read on after it was paused');
  } finally {
    leader.stop();
    follower.stop();
    await store.close();
    await meet.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
