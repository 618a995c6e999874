// The event inspector (#/events): every webhook and refusal newest first, filters kept in the route,
// a detail with headers, body, "Copy as curl" and "Replay", and new entries prepended live.
import type { Page } from '@playwright/test';
import { expect, openDashboard, test, type Stack } from './fixtures.js';
import { meetDelivery, type Delivery } from '../test/helpers/meet.js';

async function send(stack: Stack, delivery: Delivery): Promise<{ status: number; seq: number | undefined }> {
  const response = await fetch(`${stack.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const answer = (await response.json()) as { stored?: number[] };
  return { status: response.status, seq: answer.stored?.[0] };
}

const started = (roomId: string) => meetDelivery('meetingStarted', { roomId, roomName: roomId, status: 'active_meeting' });
const ended = (roomId: string) => meetDelivery('meetingEnded', { roomId, roomName: roomId, status: 'open' });
/** A delivery signed with the wrong key: refused with signature_mismatch. */
const forged = (roomId: string) => meetDelivery('meetingStarted', { roomId }, { key: 'not-the-key' });

const rows = (page: Page) => page.locator('#events-body tr');
const filterBar = (page: Page) => page.locator('#events-filters');
const row = (page: Page, seq: number) => page.locator(`#events-body tr[data-key="w:${seq}"]`);

test('filters by outcome, source, type and room from the filter bar, kept in the route', async ({ page, stack }) => {
  // Each one received at least a millisecond after the one before, so the newest-first order is theirs.
  const first = await send(stack, started('standup'));
  stack.clock.advance(1);
  const second = await send(stack, ended('standup'));
  stack.clock.advance(1);
  const third = await send(stack, started('<img src=x onerror=alert(1)>'));
  stack.clock.advance(1);
  expect((await send(stack, forged('standup'))).status).toBe(401);

  await openDashboard(page, stack, '#/events');
  await expect(page.getByRole('link', { name: 'Events' })).toHaveAttribute('aria-current', 'page');
  await expect(rows(page)).toHaveCount(4);
  await expect(rows(page).first()).toHaveAttribute('data-outcome', 'refused');
  await expect(rows(page).first().locator('.outcome-badge')).toHaveText('refused: signature_mismatch');
  await expect(row(page, third.seq!).locator('.event-room')).toHaveText('<img src=x onerror=alert(1)>');
  await expect(row(page, first.seq!).locator('.outcome-badge')).toHaveText('accepted');

  await filterBar(page).getByLabel('Outcome', { exact: true }).selectOption('refused');
  await expect(page).toHaveURL(/#\/events\?outcome=refused$/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-kind', 'refusal');
  // A refusal unfolds what was kept of it: never a body, header values masked.
  await rows(page).first().locator('summary').click();
  await expect(rows(page).first().locator('.refusal-facts')).toContainText('x-signature: [masked]');
  await expect(rows(page).first()).toContainText('A refused body is not kept.');

  await filterBar(page).getByLabel('Outcome', { exact: true }).selectOption('');
  await filterBar(page).getByLabel('Type', { exact: true }).fill('meetingEnded');
  await filterBar(page).getByRole('button', { name: 'Apply' }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, second.seq!)).toBeVisible();

  await filterBar(page).getByRole('button', { name: 'Clear' }).click();
  await filterBar(page).getByLabel('Room', { exact: true }).fill('standup');
  await filterBar(page).getByLabel('Room', { exact: true }).press('Enter');
  await expect(page).toHaveURL(/#\/events\?room=standup$/);
  await expect(rows(page)).toHaveCount(2);

  await filterBar(page).getByLabel('Source', { exact: true }).selectOption('livekit');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();

  // The route alone gives the same list (a reload, a shared link).
  await page.goto(`${stack.url}/#/events?outcome=accepted&type=meetingStarted`);
  await expect(rows(page)).toHaveCount(2);
  await expect(filterBar(page).getByLabel('Outcome', { exact: true })).toHaveValue('accepted');
  await expect(filterBar(page).getByLabel('Type', { exact: true })).toHaveValue('meetingStarted');
});

test('Older loads the next page after the first 50', async ({ page, stack }) => {
  for (let i = 0; i < 53; i++) expect((await send(stack, started(`room-${i}`))).status).toBe(200);
  await openDashboard(page, stack, '#/events');
  await expect(rows(page)).toHaveCount(50);
  await page.getByRole('button', { name: 'Older' }).click();
  await expect(rows(page)).toHaveCount(53);
  await expect(page.getByRole('button', { name: 'Older' })).toBeHidden();
  await expect(rows(page).last().locator('.event-room')).toHaveText('room-0');
});

test('the detail shows headers, the body indented, and copies a curl command', async ({ page, stack, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const delivery = started('standup');
  const { seq } = await send(stack, delivery);
  await openDashboard(page, stack, '#/events');
  await row(page, seq!).locator('.event-type').click();

  await expect(page).toHaveURL(new RegExp(`#/events/${seq}$`));
  await expect(page.locator('#event-title')).toHaveText(`#${seq} meetingStarted`);
  const headers = page.locator('#event-headers');
  await expect(headers).toContainText('x-timestamp');
  await expect(headers).toContainText(delivery.headers['x-timestamp']!);
  await expect(headers).not.toContainText('x-signature');
  await expect(page.locator('#event-body')).toContainText('"event": "meetingStarted",\n  "creationDate": ');
  await expect(page.locator('#event-body')).toContainText('    "roomId": "standup",');

  await page.getByRole('button', { name: 'Copy as curl' }).click();
  await expect(page.locator('#curl-status')).toHaveText('Copied.');
  const copied = await page.evaluate<string>('navigator.clipboard.readText()');
  expect(copied).toMatch(new RegExp(`^curl -X POST '${stack.url}/webhook'`));
  expect(copied).toContain("-H 'X-Signature: ");
  await page.getByText('Show the command').click();
  await expect(page.locator('#curl-text')).toHaveText(copied);
  await expect(page.locator('#curl-notes')).toContainText('new delivery');

  await page.getByRole('link', { name: 'Back to events' }).click();
  await expect(page).toHaveURL(/#\/events$/);
  await expect(row(page, seq!)).toBeVisible();
});

test('replay says what it was replayed as, and the replay tops the list', async ({ page, stack }) => {
  const { seq } = await send(stack, started('standup'));
  await openDashboard(page, stack, `#/events/${seq}`);
  await page.getByRole('button', { name: 'Replay' }).click();
  await expect(page.locator('#replay-status')).toHaveText(/^Replayed as #(\d+): /);
  const replayedAs = Number(/#(\d+)/.exec((await page.locator('#replay-status').textContent()) ?? '')![1]);
  expect(replayedAs).toBeGreaterThan(seq!);

  await page.getByRole('link', { name: 'Back to events' }).click();
  const top = rows(page).first();
  await expect(top).toHaveAttribute('data-key', `w:${replayedAs}`);
  await expect(top.locator('.outcome-badge')).toHaveText(`replay of #${seq}`);
  // A replay row opens the webhook it re-ran.
  await top.locator('.event-time').click();
  await expect(page).toHaveURL(new RegExp(`#/events/${seq}$`));
});

test('new webhooks, refusals and replays are prepended live, filters apply, and shown rows are not redrawn', async ({ page, stack }) => {
  const { seq: first } = await send(stack, started('standup'));
  await openDashboard(page, stack, '#/events');
  await expect(rows(page)).toHaveCount(1);
  await row(page, first!).evaluate((element) => element.setAttribute('data-marked', 'still-here'));

  const { seq: second } = await send(stack, ended('standup'));
  await expect(rows(page).first()).toHaveAttribute('data-key', `w:${second}`);
  await expect(rows(page).first().locator('.event-type')).toHaveText('meetingEnded');
  await expect(rows(page).first().locator('.event-room')).toHaveText('standup');

  // Received a millisecond later at least: the newest entry, also where a webhook of the same millisecond would sort first.
  stack.clock.advance(1);
  await send(stack, forged('standup'));
  await expect(rows(page).first()).toHaveAttribute('data-outcome', 'refused');
  await expect(rows(page).first().locator('.outcome-badge')).toHaveText('refused: signature_mismatch');

  const replayed = (await (await fetch(`${stack.url}/api/events/${first}/replay`, { method: 'POST' })).json()) as { replayedAs: number };
  await expect(rows(page).first()).toHaveAttribute('data-key', `w:${replayed.replayedAs}`);
  await expect(rows(page)).toHaveCount(4);
  await expect(row(page, first!)).toHaveAttribute('data-marked', 'still-here');

  // With a filter, only matching live entries are added.
  await filterBar(page).getByLabel('Outcome', { exact: true }).selectOption('refused');
  await expect(rows(page)).toHaveCount(1);
  await send(stack, started('standup'));
  stack.clock.advance(1);
  await send(stack, forged('review'));
  // The second refusal is the marker: it came after the webhook on the stream, so once it shows, the
  // webhook has been seen too, and left out.
  await expect(page.locator('#events-body tr[data-outcome="refused"]')).toHaveCount(2);
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toHaveAttribute('data-outcome', 'refused');
});
