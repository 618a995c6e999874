// The Usage screen: its charts take new points live (a webhook, a meeting) without the page reloading;
// each chart has a summary and a table; axe finds nothing serious; on a phone nothing scrolls sideways.
import type { Page } from '@playwright/test';
import { expect, openDashboard, test } from './fixtures.js';
import { expectNoSeriousViolations } from './axe.js';

const summary = (page: Page, id: string) => page.locator(`#${id}-summary`);
/** The newest row of a chart's table (the tables list newest first). */
const newestRow = (page: Page, id: string) => page.locator(`#${id} tbody tr`).first();

test('a chart receives a new point live after a webhook, and a meeting shows as on, without reloading', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Daily Standup');
  await openDashboard(page, stack, '#/usage?range=1h');
  await expect(page).toHaveTitle('Usage · roomwatch');
  await expect(page.getByRole('link', { name: 'Usage' })).toHaveAttribute('aria-current', 'page');
  await expect(summary(page, 'usage-webhooks')).toContainText('0 stored, 0 repeated, 0 refused');
  await expect(summary(page, 'usage-meetings')).toContainText('0 in the latest minute');
  // Survives only if the page is never loaded again.
  await page.evaluate(() => Object.assign(globalThis, { usageMarker: 'still here' }));

  stack.meet.startMeeting(room!);
  await expect(summary(page, 'usage-webhooks')).toContainText('1 stored, 0 repeated, 0 refused');
  await expect(summary(page, 'usage-meetings')).toContainText('1 in the latest minute');
  await page.getByText('Show as a table').first().click();
  await expect(newestRow(page, 'usage-meetings').locator('td').nth(1)).toHaveText('1');
  await expect(newestRow(page, 'usage-webhooks').locator('td').nth(1)).toHaveText('1');
  await expect(summary(page, 'usage-minutes')).toContainText('OpenVidu Meet');
  expect(await page.evaluate(() => (globalThis as unknown as { usageMarker?: string }).usageMarker)).toBe('still here');
  // The chart itself was drawn (uPlot's canvas, hidden from assistive technology, the table standing in).
  await expect(page.locator('#usage-webhooks .usage-chart canvas')).toHaveCount(1);
});

test('the Usage screen passes axe, with its tables open, and fits a phone', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Design Review');
  stack.meet.startMeeting(room!);
  await page.setViewportSize({ width: 390, height: 844 });
  await openDashboard(page, stack, '#/usage?range=7d');
  await expect(summary(page, 'usage-meetings')).toContainText('1 in the latest hour');
  for (const toggle of await page.getByText('Show as a table').all()) await toggle.click();
  await expectNoSeriousViolations(page, 'the Usage screen');
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, 'the page scrolls sideways at 390 px').toBe(0);
  const chartWidth = await page.locator('#usage-meetings canvas').evaluate((canvas) => canvas.getBoundingClientRect().width);
  expect(chartWidth).toBeLessThanOrEqual(390);
});
