// The dashboard through nginx in front of two roomwatch processes on one PostgreSQL database: when the
// instance its stream comes from is killed, the page reconnects through nginx to the other and keeps
// showing every change, with nothing missed.
import { expect, test } from '@playwright/test';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../test/helpers/postgres-db.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/process.js';
import { startNginx, type Nginx } from '../test/helpers/nginx.js';
import { meetingStarted, post } from '../test/helpers/meet.js';

test.skip(postgresSkipReason !== undefined, postgresSkipReason);

let db: TestDatabase;
let instances: ServerProcess[];
let nginx: Nginx;

test.beforeEach(async () => {
  db = await createTestDatabase();
  const first = await startServerProcess({ DATABASE_URL: db.url });
  instances = [first, await startServerProcess({ DATABASE_URL: db.url })];
  nginx = await startNginx(instances.map(({ url }) => url));
});

test.afterEach(async () => {
  await nginx.stop();
  for (const instance of instances) instance.child.kill('SIGKILL');
  await Promise.all(instances.map(({ exited }) => exited));
  await db.drop();
});

async function openStreams(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^roomwatch_sse_streams (\d+)/m.exec(text)?.[1] ?? 0);
}

const badgeOf = (page: import('@playwright/test').Page, roomId: string) => page.locator(`.room-row[data-key="meet:${roomId}"] .status-badge`);

test('the page keeps updating when the instance it streams from is killed', async ({ page }) => {
  await page.goto(`${nginx.url}/#/rooms`);
  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live');

  // A meeting that starts on one instance shows, whichever instance the page streams from.
  const before = meetingStarted();
  const beforeRoom = (JSON.parse(before.body) as { data: { roomId: string } }).data.roomId;
  expect((await post(instances[1]!.url, before)).status).toBe(200);
  await expect(badgeOf(page, beforeRoom)).toHaveText('ACTIVE');

  // The instance holding the page's stream dies.
  const streams = await Promise.all(instances.map(({ url }) => openStreams(url)));
  const streaming = streams.findIndex((count) => count > 0);
  expect(streaming).toBeGreaterThanOrEqual(0);
  const victim = instances[streaming]!;
  const survivor = instances[1 - streaming]!;
  victim.child.kill('SIGKILL');
  await victim.exited;

  // Stored while the page reconnects, and after: both show, through nginx, on the survivor.
  const during = meetingStarted();
  const duringRoom = (JSON.parse(during.body) as { data: { roomId: string } }).data.roomId;
  expect((await post(survivor.url, during)).status).toBe(200);
  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  const after = meetingStarted();
  const afterRoom = (JSON.parse(after.body) as { data: { roomId: string } }).data.roomId;
  expect((await post(survivor.url, after)).status).toBe(200);
  await expect(badgeOf(page, duringRoom)).toHaveText('ACTIVE');
  await expect(badgeOf(page, afterRoom)).toHaveText('ACTIVE');
  await expect(badgeOf(page, beforeRoom)).toHaveText('ACTIVE');
  expect(await openStreams(survivor.url)).toBe(1);
});
