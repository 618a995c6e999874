// The inspector's search in payloads and its filter by room name, from the filter bar and kept in the
// route, and the Download links that save the current filter as JSON Lines or CSV. axe on the screen.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, openDashboard, test, type Stack } from './fixtures.js';
import { expectNoSeriousViolations } from './axe.js';
import { meetDelivery, type Delivery } from '../test/helpers/meet.js';

async function send(stack: Stack, delivery: Delivery): Promise<number> {
  const response = await fetch(`${stack.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { stored: number[] }).stored[0]!;
}

const rows = (page: Page) => page.locator('#events-body tr');
const filterBar = (page: Page) => page.locator('#events-filters');
const rowKeys = (page: Page) => rows(page).evaluateAll((elements) => elements.map((element) => element.getAttribute('data-key')));

test('search finds webhooks by the words of their payload, and room name by the room’s name; both kept in the route', async ({ page, stack }) => {
  const standup = await send(stack, meetDelivery('meetingStarted', { roomId: 'standup-1', roomName: 'Daily Standup', status: 'active_meeting' }));
  stack.clock.advance(1);
  await send(stack, meetDelivery('meetingStarted', { roomId: 'review-2', roomName: 'Quarterly Review', status: 'active_meeting' }));
  stack.clock.advance(1);
  const recording = await send(stack, meetDelivery('recordingStarted', { roomId: 'standup-1', recordingId: 'standup-1--EG_x--abc', status: 'starting' }));
  stack.clock.advance(1);

  await openDashboard(page, stack, '#/events');
  await expect(rows(page)).toHaveCount(3);

  await filterBar(page).getByLabel('Search', { exact: true }).fill('daily stand');
  await filterBar(page).getByLabel('Search', { exact: true }).press('Enter');
  await expect(page).toHaveURL(/#\/events\?q=daily\+stand$/);
  await expect.poll(() => rowKeys(page)).toEqual([`w:${standup}`]);
  await expect(page.locator('#events-status')).toContainText('not live');

  // The room's name finds its recording webhook too, which names no room.
  await filterBar(page).getByRole('button', { name: 'Clear' }).click();
  await filterBar(page).getByLabel('Room name', { exact: true }).fill('DAILY STANDUP');
  await filterBar(page).getByLabel('Room name', { exact: true }).press('Enter');
  await expect(page).toHaveURL(/#\/events\?roomName=DAILY\+STANDUP$/);
  await expect.poll(() => rowKeys(page)).toEqual([`w:${recording}`, `w:${standup}`]);

  // The route alone gives the same list, with the fields filled.
  await page.goto(`${stack.url}/#/events?q=quarterly`);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first().locator('.event-room')).toHaveText('review-2');
  await expect(filterBar(page).getByLabel('Search', { exact: true })).toHaveValue('quarterly');
  await expectNoSeriousViolations(page, 'Events with a search');
});

test('Download saves the current filter as CSV and as JSON Lines', async ({ page, stack }) => {
  const standup = await send(stack, meetDelivery('meetingStarted', { roomId: 'standup-1', roomName: 'Daily Standup', status: 'active_meeting' }));
  stack.clock.advance(1);
  const formula = await send(stack, meetDelivery('meetingStarted', { roomId: '=1+2', roomName: 'Sums', status: 'active_meeting' }));
  stack.clock.advance(1);
  await send(stack, meetDelivery('meetingEnded', { roomId: 'standup-1', roomName: 'Daily Standup', status: 'open' }));

  await openDashboard(page, stack, '#/events?type=meetingStarted');
  await expect(rows(page)).toHaveCount(2);

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('group', { name: 'Download' }).getByRole('link', { name: 'CSV' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/^roomwatch-events-.+\.csv$/);
  const csvText = await readFile((await csv.path())!, 'utf8');
  const csvRows = csvText.trimEnd().split('\r\n');
  expect(csvRows[0]).toBe('"received","kind","seq","source","type","room","outcome","repeats","reason","hint","body"');
  // Only the filter's two webhooks, newest first; the room id that looks like a formula is inert.
  expect(csvRows.length).toBe(3);
  expect(csvRows[1]).toContain(`"event","${formula}","meet","meetingStarted","'=1+2","accepted"`);
  expect(csvRows[2]).toContain(`"event","${standup}","meet","meetingStarted","standup-1","accepted"`);

  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('group', { name: 'Download' }).getByRole('link', { name: 'JSON Lines' }).click();
  const jsonl = await jsonDownload;
  expect(jsonl.suggestedFilename()).toMatch(/^roomwatch-events-.+\.jsonl$/);
  const lines = (await readFile((await jsonl.path())!, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { seq: number; body: string });
  expect(lines.map((line) => line.seq)).toEqual([formula, standup]);
  expect(JSON.parse(lines[1]!.body)).toMatchObject({ event: 'meetingStarted', data: { roomId: 'standup-1', roomName: 'Daily Standup' } });
});
