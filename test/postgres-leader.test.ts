// One leader among the instances on a database: exactly one holds the session lock, and when its
// session dies (pg_terminate_backend, as when its process is killed) another takes over.
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import type { Store } from '../server/store/store.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { openOn } from './helpers/postgres-store.js';

const skip = postgresSkipReason;

/** Resolves with the first store whose leadership changes to `leading` (its state counts if it already is). */
function nextLeader(stores: Store[], except?: Store): Promise<Store> {
  return new Promise((resolve) => {
    for (const store of stores) {
      if (store === except) continue;
      if (store.leadership.isLeader()) return resolve(store);
      store.leadership.onChange((leading) => leading && resolve(store));
    }
  });
}

function lostLeadership(store: Store): Promise<void> {
  return new Promise((resolve) => {
    if (!store.leadership.isLeader()) return resolve();
    store.leadership.onChange((leading) => !leading && resolve());
  });
}

test("exactly one of three instances leads; when the leader's session is terminated it stops leading, and one instance leads again", { skip, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const stores = await Promise.all(['a', 'b', 'c'].map((instance) => openOn(database, { instance: `leader-${instance}` })));
  t.after(() => Promise.all(stores.map((store) => store.close())));
  const names = new Map(stores.map((store, i) => [store, `leader-${'abc'[i]}`]));

  const first = await nextLeader(stores);
  assert.deepEqual(stores.filter((store) => store.leadership.isLeader()), [first]);

  // Its process lives on, so it is a candidate again: whoever takes the lock next leads, alone.
  assert.equal(await database.terminate(`roomwatch-leader:${names.get(first)}`), 1);
  await lostLeadership(first);
  const next = await nextLeader(stores);
  assert.deepEqual(stores.filter((store) => store.leadership.isLeader()), [next]);
});

/** Instances as processes; each says `leading` on stdout when it takes the lead. */
function spawnInstance(url: string, name: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/postgres-instance.ts', url, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const leading = new Promise<void>((resolve) => lines.on('line', (line) => line === 'leading' && resolve()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, leading, exited };
}

test('when the leading process is killed (SIGKILL), another instance takes over', { skip, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  const instances = ['p', 'q', 'r'].map((name) => spawnInstance(database.url, `process-${name}`));
  // The processes go first, then their database (hooks run in the order they are added).
  t.after(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await Promise.all(instances.map((instance) => instance.exited));
  });
  t.after(() => database.drop());
  const leader = await Promise.race(instances.map((instance) => instance.leading.then(() => instance)));
  const started = performance.now();
  leader.child.kill('SIGKILL');
  await leader.exited;
  const successor = await Promise.race(instances.filter((instance) => instance !== leader).map((instance) => instance.leading.then(() => instance)));
  t.diagnostic(`${successor.name} took over ${Math.round(performance.now() - started)} ms after ${leader.name} was killed (leader check every 200 ms)`);
  assert.notEqual(successor, leader);
});

test('closing the leader hands leadership to another instance', { skip, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const stores = await Promise.all(['x', 'y'].map((instance) => openOn(database, { instance: `close-${instance}` })));
  t.after(() => Promise.all(stores.map((store) => store.close())));
  const first = await nextLeader(stores);
  const other = stores.find((store) => store !== first)!;
  await first.close();
  assert.equal(await nextLeader([other]), other);
});
