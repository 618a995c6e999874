// On a phone (390 px wide) the Events list is a card per entry, with its type, room and outcome in view and
// no sideways scrolling; a refusal's card shows its hint and, unfolded, the clock skew. No other screen
// scrolls sideways either.
import type { Locator, Page } from '@playwright/test';
import { meetDelivery, type Delivery } from '../test/helpers/meet.js';
import { expect, openDashboard, roomRow, test } from './fixtures.js';

const PHONE = { width: 390, height: 844 };

/** Posts a webhook; the seq it was stored as, or the status when refused. */
async function send(url: string, delivery: Delivery): Promise<{ status: number; seq?: number }> {
  const response = await fetch(`${url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const answer = (await response.json()) as { stored?: number[] };
  return { status: response.status, seq: answer.stored?.[0] };
}

/** How far the page, and the element if given, could scroll sideways (0 when everything fits). */
async function sidewaysOverflow(page: Page, element?: Locator): Promise<number> {
  const pageOverflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  const own = element ? await element.evaluate((node) => node.scrollWidth - node.clientWidth) : 0;
  return Math.max(pageOverflow, own);
}

/** Whether the element lies within the viewport's width. */
async function withinWidth(element: Locator): Promise<boolean> {
  const box = (await element.boundingBox())!;
  return box.x >= 0 && box.x + box.width <= PHONE.width;
}

test('Events on a phone: a card per entry with type, room and outcome in view, and no sideways scrolling', async ({ page, stack }) => {
  const longRoom = 'quarterly-business-review-with-the-whole-leadership-team-k3j9x0q2m7a1b4c';
  const meeting = await send(stack.url, meetDelivery('meetingStarted', { roomId: longRoom, roomName: 'Review', status: 'active_meeting' }));
  stack.clock.advance(1);
  const recording = await send(stack.url, meetDelivery('recordingStarted', { roomId: 'standup', recordingId: 'standup--EG_x--abc', status: 'starting' }));
  stack.clock.advance(1);
  expect((await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { timestamp: Date.now() - 312_000 }))).status).toBe(401);

  await page.setViewportSize(PHONE);
  await openDashboard(page, stack, '#/events');
  const cards = page.locator('#events-body tr');
  await expect(cards).toHaveCount(3);
  await expect(page.locator('.events-table thead')).toBeHidden();
  expect(await sidewaysOverflow(page, page.locator('.events-table-wrap'))).toBe(0);

  for (const seq of [meeting.seq!, recording.seq!]) {
    const card = page.locator(`#events-body tr[data-key="w:${seq}"]`);
    for (const part of ['.event-type', '.event-room', '.event-outcome', '.event-time']) {
      await expect(card.locator(part)).toBeVisible();
      expect(await withinWidth(card.locator(part)), `${part} of #${seq} is on screen`).toBe(true);
    }
  }
  await expect(page.locator(`#events-body tr[data-key="w:${meeting.seq}"] .event-room`)).toHaveText(longRoom);

  // A refusal: its reason and hint in view, and unfolded, the platform's timestamp with the skew.
  const refusal = cards.first();
  await expect(refusal.locator('.outcome-badge')).toHaveText('refused: stale_timestamp');
  await expect(refusal.locator('.refusal-hint')).toHaveText(/^X-Timestamp is 31\d s old/);
  expect(await withinWidth(refusal.locator('.refusal-hint'))).toBe(true);
  await refusal.locator('summary').click();
  await expect(refusal.locator('.refusal-facts')).toContainText(/Sent \(platform clock\).*31\d s before it was received/);
  expect(await withinWidth(refusal.locator('.refusal-facts'))).toBe(true);
  expect(await sidewaysOverflow(page, page.locator('.events-table-wrap'))).toBe(0);

  // Still a card that opens the webhook.
  await page.locator(`#events-body tr[data-key="w:${meeting.seq}"] .event-type`).click();
  await expect(page).toHaveURL(new RegExp(`#/events/${meeting.seq}$`));
  await expect(page.locator('#event-body')).toBeVisible();
  expect(await sidewaysOverflow(page)).toBe(0);
});

test('on a wide screen Events stays a table with its column headers', async ({ page, stack }) => {
  expect((await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup', roomName: 'Standup', status: 'active_meeting' }))).status).toBe(200);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openDashboard(page, stack, '#/events');
  await expect(page.locator('#events-body tr')).toHaveCount(1);
  await expect(page.locator('.events-table thead')).toBeVisible();
  await expect(page.locator('#events-body tr').first()).toHaveCSS('display', 'table-row');
});

test('Rooms and Recordings on a phone do not scroll sideways either', async ({ page, stack }) => {
  const [room] = await stack.createRooms('A room with a rather long name for a small screen');
  stack.meet.addCompletedRecording(room!, 90);
  await stack.reconcileUntil((snapshot) => snapshot.recordings.length === 1);
  await page.setViewportSize(PHONE);
  await openDashboard(page, stack);
  await expect(roomRow(page, stack, room!)).toBeVisible();
  expect(await sidewaysOverflow(page)).toBe(0);
  await page.goto(`${stack.url}/#/recordings`);
  await expect(page.locator('.recording-row')).toHaveCount(1);
  expect(await sidewaysOverflow(page)).toBe(0);
});

test('Events on a phone with a search: cards for the matches, the filter bar and the Download links within the screen', async ({ page, stack }) => {
  const longRoom = 'quarterly-business-review-with-the-whole-leadership-team-k3j9x0q2m7a1b4c';
  const match = await send(stack.url, meetDelivery('meetingStarted', { roomId: longRoom, roomName: 'Leadership Review', status: 'active_meeting' }));
  stack.clock.advance(1);
  expect((await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup', roomName: 'Standup', status: 'active_meeting' }))).status).toBe(200);

  await page.setViewportSize(PHONE);
  await openDashboard(page, stack, '#/events?q=leadership+review');
  const cards = page.locator('#events-body tr');
  await expect(cards).toHaveCount(1);
  const card = page.locator(`#events-body tr[data-key="w:${match.seq}"]`);
  for (const part of ['.event-type', '.event-room', '.event-outcome', '.event-time']) {
    await expect(card.locator(part)).toBeVisible();
    expect(await withinWidth(card.locator(part)), `${part} is on screen`).toBe(true);
  }
  await expect(page.locator('#events-filters').getByLabel('Search', { exact: true })).toHaveValue('leadership review');
  for (const id of ['#events-q', '#events-room-name', '#events-export-csv', '#events-export-jsonl']) {
    expect(await withinWidth(page.locator(id)), `${id} is on screen`).toBe(true);
  }
  expect(await sidewaysOverflow(page, page.locator('.events-table-wrap'))).toBe(0);
});
