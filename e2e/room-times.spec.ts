// Times on the rooms list are relative ("updated 3 min ago", the exact time on hover) and an active room
// says how long its meeting has been on; one shared timer keeps them current and touches only the texts
// that change. The page's clock is Playwright's: minutes pass without waiting for them.
import type { Page } from '@playwright/test';
import type { DashboardSnapshot } from '../server/domain/rows.js';
import { expect, openDashboard, roomRow, test } from './fixtures.js';

/** Records, from now on, which elements' texts or attributes the page changes; the returned function reads them. */
async function watchMutations(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(`(() => {
    const seen = [];
    const name = (node) => {
      const element = node.nodeType === 1 ? node : node.parentElement;
      return element ? element.tagName.toLowerCase() + (element.className ? '.' + String(element.className).split(' ').join('.') : '') : '?';
    };
    globalThis.mutationLog = seen;
    globalThis.mutationWatcher?.disconnect();
    globalThis.mutationWatcher = new MutationObserver((records) => {
      for (const record of records) seen.push(record.type + ' ' + name(record.target) + (record.attributeName ? '@' + record.attributeName : ''));
    });
    globalThis.mutationWatcher.observe(document.querySelector('#rooms-screen'), { subtree: true, childList: true, characterData: true, attributes: true });
  })()`);
  return () => page.evaluate<string[]>('globalThis.mutationLog.splice(0)');
}

test('an active room says how long its meeting has been on, and every row when it last changed, both kept current', async ({ page, stack }) => {
  await page.clock.install();
  const [standup, review] = await stack.createRooms('Daily Standup', 'Design Review');
  await openDashboard(page, stack);
  stack.meet.join(standup!, { name: 'Ann', role: 'moderator' });
  const active = roomRow(page, stack, standup!);
  await expect(active.locator('.room-meeting')).toHaveText('in a meeting for less than a minute');
  await expect(active.locator('.room-updated')).toHaveText('updated just now');
  await expect(roomRow(page, stack, review!).locator('.room-meeting')).toBeHidden();

  // The exact time is on hover, and in the element's datetime.
  const snapshot = (await (await fetch(`${stack.url}/api/state`)).json()) as DashboardSnapshot;
  const row = snapshot.rooms.find((room) => room.roomId === standup)!;
  await expect(active.locator('.room-updated')).toHaveAttribute('datetime', new Date(row.updatedAt).toISOString());
  await expect(active.locator('.room-updated')).toHaveAttribute('title', /\d{1,2}:\d{2}:\d{2}/);
  await expect(active.locator('.room-meeting')).toHaveAttribute('title', /^Since .*\d{1,2}:\d{2}:\d{2}/);

  await page.clock.fastForward('12:00');
  await expect(active.locator('.room-meeting')).toHaveText('in a meeting for 12 min');
  await expect(active.locator('.room-updated')).toHaveText('updated 12 min ago');
  await expect(roomRow(page, stack, review!).locator('.room-updated')).toHaveText('updated 12 min ago');

  await page.clock.fastForward('01:00:00');
  await expect(active.locator('.room-meeting')).toHaveText('in a meeting for 1 h 12 min');
  await expect(active.locator('.room-updated')).toHaveText('updated 1 h ago');

  // The meeting ends: no duration any more, and the row changed just now.
  stack.meet.leave(standup!);
  await expect(active.locator('.status-badge')).toHaveText('OPEN');
  await expect(active.locator('.room-meeting')).toBeHidden();
});

test('the shared timer rewrites only the texts that changed, never a row', async ({ page, stack }) => {
  await page.clock.install();
  const [standup] = await stack.createRooms('Daily Standup', 'Design Review', 'Retro');
  await openDashboard(page, stack);
  stack.meet.startMeeting(standup!);
  await expect(roomRow(page, stack, standup!).locator('.room-meeting')).toHaveText('in a meeting for less than a minute');
  // Start on a known second: the first tick after this is 15 s later at most.
  await page.clock.runFor(20_000);
  const mutations = await watchMutations(page);

  // Ticks within the same minute change no text, so they touch nothing.
  await page.clock.runFor(15_000);
  await page.clock.runFor(15_000);
  const sameMinute = await mutations();

  await page.clock.fastForward('05:00');
  await expect(roomRow(page, stack, standup!).locator('.room-meeting')).toHaveText('in a meeting for 5 min');
  const changed = await mutations();
  expect(sameMinute).toEqual([]);
  // Three "updated" texts and one meeting duration, each replaced as text; no element added, removed or repainted.
  expect(changed.sort()).toEqual(['childList time.room-updated', 'childList time.room-updated', 'childList time.room-updated', 'childList span.room-meeting'].sort());
});
