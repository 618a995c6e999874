// The overview at the top of Rooms and the list's filters: the numbers follow webhooks live, in all and by
// platform; a number, clicked, filters the list; filters live in the #/rooms address; closed rooms are
// hidden by default once there are many; actions a platform does not support are not shown.
import type { Page } from '@playwright/test';
import { openDashboard, roomRow, type Stack } from './fixtures.js';
import { expect, PLATFORM_ENV, test } from './platform-sims.js';

test.use({ stackOptions: { env: PLATFORM_ENV } });

const tile = (page: Page, kind: string) => page.locator(`.overview-tile[data-kind="${kind}"]`);
const total = (page: Page, kind: string) => tile(page, kind).locator('.overview-total');
const chip = (page: Page, kind: string, source: string) => tile(page, kind).locator(`.overview-chip[data-source="${source}"]`);
const shownRows = (page: Page) => page.locator('.room-row:visible');
const livekitRow = (page: Page, sid: string) => page.locator(`.room-row[data-key="livekit:${sid}"]`);

/** Starts a meeting in a fresh Meet room and waits for its row: every frame sent before has been applied. */
async function marker(page: Page, stack: Stack): Promise<void> {
  const [room] = await stack.createRooms(`Marker ${Date.now()}`);
  stack.meet.startMeeting(room!);
  await expect(roomRow(page, stack, room!).locator('.status-badge')).toHaveText('ACTIVE');
}

test('the overview counts meetings on now, open and closed rooms and recordings in progress, by platform, live', async ({ page, stack, sims }) => {
  const [standup, review] = await stack.createRooms('Daily Standup', 'Design Review');
  await openDashboard(page, stack);
  await expect(total(page, 'active_meeting')).toHaveText('0 meetings on now');
  await expect(total(page, 'open')).toHaveText('2 open rooms');
  // One platform so far: its numbers would only repeat the totals.
  await expect(tile(page, 'open').locator('.overview-split')).toBeHidden();

  stack.meet.join(standup!, { name: 'Ann', role: 'moderator' });
  await expect(total(page, 'active_meeting')).toHaveText('1 meeting on now');
  await expect(total(page, 'open')).toHaveText('1 open room');

  const recordingId = await stack.meet.startRecording(standup!);
  await expect(total(page, 'recording')).toHaveText('1 recording in progress');

  const sid = sims.livekit!.startRoom('Customer Call');
  sims.livekit!.join('Customer Call', 'Dana');
  await expect(total(page, 'active_meeting')).toHaveText('2 meetings on now');
  await expect(chip(page, 'active_meeting', 'meet')).toHaveText('meet 1');
  await expect(chip(page, 'active_meeting', 'livekit')).toHaveText('livekit 1');
  await expect(chip(page, 'active_meeting', 'livekit')).toHaveAttribute('title', 'LiveKit / OpenVidu 3: 1 meeting on now');
  // A platform with none of a kind has no number there.
  await expect(chip(page, 'open', 'livekit')).toBeHidden();

  sims.livekit!.finishRoom('Customer Call');
  await expect(livekitRow(page, sid).locator('.status-badge')).toHaveText('CLOSED');
  await expect(total(page, 'closed')).toHaveText('1 closed room');
  await expect(chip(page, 'closed', 'livekit')).toHaveText('livekit 1');
  await expect(total(page, 'active_meeting')).toHaveText('1 meeting on now');

  await stack.meet.stopRecording(recordingId);
  await expect(total(page, 'recording')).toHaveText('0 recordings in progress');
  stack.meet.leave(standup!);
  await expect(total(page, 'active_meeting')).toHaveText('0 meetings on now');
  await expect(total(page, 'open')).toHaveText('2 open rooms');
  await expect(roomRow(page, stack, review!)).toBeVisible();
});

test('a number, clicked, filters the list to what it counts; the filter is in the address and a bookmark shows the same', async ({ page, stack, sims }) => {
  const [standup, review] = await stack.createRooms('Daily Standup', 'Design Review');
  stack.meet.join(standup!, { name: 'Ann', role: 'moderator' });
  const sid = sims.livekit!.startRoom('Customer Call');
  sims.livekit!.join('Customer Call', 'Dana');
  sims.livekit!.startEgress('Customer Call');
  await sims.idle();
  await openDashboard(page, stack);
  await expect(shownRows(page)).toHaveCount(3);

  await total(page, 'active_meeting').click();
  await expect(page).toHaveURL(/#\/rooms\?status=active_meeting$/);
  await expect(shownRows(page)).toHaveCount(2);
  await expect(roomRow(page, stack, review!)).toBeHidden();
  await expect(total(page, 'active_meeting')).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('#rooms-status')).toHaveValue('active_meeting');
  await expect(page.locator('#rooms-count')).toHaveText('2 of 3 rooms');

  await chip(page, 'active_meeting', 'livekit').click();
  await expect(page).toHaveURL(/#\/rooms\?source=livekit&status=active_meeting$/);
  await expect(shownRows(page)).toHaveCount(1);
  await expect(livekitRow(page, sid)).toBeVisible();

  await total(page, 'recording').click();
  await expect(page).toHaveURL(/#\/rooms\?recording=1$/);
  await expect(shownRows(page)).toHaveCount(1);
  await expect(livekitRow(page, sid).locator('.room-recording')).toHaveText('recording now');
  await expect(page.locator('#rooms-recording')).toBeChecked();

  // A row that starts to match while the filter is on shows up by itself.
  await stack.meet.startRecording(standup!);
  await expect(shownRows(page)).toHaveCount(2);
  await expect(roomRow(page, stack, standup!).locator('.room-recording')).toBeVisible();

  // The address alone gives the same list: a reload, a bookmark.
  await page.goto(`${stack.url}/#/rooms?source=meet&status=open`);
  await expect(shownRows(page)).toHaveCount(1);
  await expect(roomRow(page, stack, review!)).toBeVisible();
  await expect(page.locator('#rooms-source')).toHaveValue('meet');
  await expect(page.locator('#rooms-status')).toHaveValue('open');

  // The filter bar writes the address too; Back returns to the previous list.
  await page.locator('#rooms-status').selectOption('');
  await expect(page).toHaveURL(/#\/rooms\?source=meet$/);
  await expect(shownRows(page)).toHaveCount(2);
  await page.goBack();
  await expect(shownRows(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/#\/rooms$/);
  await expect(shownRows(page)).toHaveCount(3);

  // Typing a name filters at once and keeps the name in the address, without a history entry per key.
  const entries = await page.evaluate<number>('history.length');
  await page.getByRole('searchbox', { name: 'Filter rooms by name' }).pressSequentially('stand');
  await expect(page).toHaveURL(/#\/rooms\?q=stand$/);
  await expect(shownRows(page)).toHaveCount(1);
  expect(await page.evaluate<number>('history.length')).toBe(entries);
});

test('closed rooms show while there are few; from 20 rooms on they are hidden by default; the address and the box decide', async ({ page, stack, sims }) => {
  await stack.createRooms('Daily Standup', 'Design Review');
  const closed = sims.livekit!.startRoom('Old Call');
  sims.livekit!.finishRoom('Old Call');
  await sims.idle();
  await openDashboard(page, stack);
  await expect(livekitRow(page, closed)).toBeVisible();
  await expect(page.locator('#rooms-hide-closed')).not.toBeChecked();

  await page.getByLabel('Hide closed rooms').check();
  await expect(page).toHaveURL(/#\/rooms\?closed=hide$/);
  await expect(livekitRow(page, closed)).toBeHidden();
  await expect(page.locator('#rooms-count')).toHaveText('2 of 3 rooms (closed rooms hidden)');
  await page.getByLabel('Hide closed rooms').uncheck();
  await expect(page).toHaveURL(/#\/rooms\?closed=show$/);
  await expect(livekitRow(page, closed)).toBeVisible();

  // Many rooms: on the plain address, closed ones leave the list by themselves, live.
  await page.goto(`${stack.url}/#/rooms`);
  for (let i = 0; i < 17; i++) sims.livekit!.startRoom(`Room ${i}`);
  await sims.idle();
  await marker(page, stack);
  await expect(page.locator('.room-row')).toHaveCount(21);
  await expect(livekitRow(page, closed)).toBeHidden();
  await expect(page.locator('#rooms-hide-closed')).toBeChecked();
  await expect(page.locator('#rooms-count')).toHaveText('20 of 21 rooms (closed rooms hidden)');

  // The closed number still leads to them, and the box brings them back.
  await total(page, 'closed').click();
  await expect(livekitRow(page, closed)).toBeVisible();
  await expect(shownRows(page)).toHaveCount(1);
  await page.goto(`${stack.url}/#/rooms?closed=show`);
  await expect(livekitRow(page, closed)).toBeVisible();
  await expect(page.locator('#rooms-hide-closed')).not.toBeChecked();
  await expect(page.locator('#rooms-count')).toHaveText('21 rooms');
});

test('rows of platforms roomwatch does not manage show no join, copy or delete buttons; participants are shown where reported', async ({ page, stack, sims }) => {
  const [standup] = await stack.createRooms('Daily Standup');
  const sid = sims.livekit!.startRoom('Customer Call');
  sims.livekit!.join('Customer Call', 'Dana');
  sims.livekit!.join('Customer Call', 'Eve');
  await sims.idle();
  await openDashboard(page, stack);
  const livekit = livekitRow(page, sid);
  await expect(livekit.locator('.room-participants')).toHaveText('2 participants');
  await expect(livekit.getByRole('button')).toHaveCount(0);
  await expect(livekit.getByRole('link', { name: 'Recordings' })).toBeVisible();
  const meet = roomRow(page, stack, standup!);
  await expect(meet.getByRole('button')).toHaveCount(5); // join ×2, copy ×2, delete
  // Meet reports no participant count: none is shown rather than a wrong one.
  await expect(meet.locator('.room-participants')).toBeHidden();

  // The same on the recordings screen: no Play or Delete on a LiveKit recording.
  const egress = sims.livekit!.startEgress('Customer Call');
  await page.goto(`${stack.url}/#/recordings`);
  const recording = page.locator(`.recording-row[data-key="livekit:${egress}"]`);
  await expect(recording).toBeVisible();
  await expect(recording.getByRole('button')).toHaveCount(0);
});

test('the room count stays right however many times rows change', async ({ page, stack }) => {
  const [standup, review] = await stack.createRooms('Daily Standup', 'Design Review');
  await openDashboard(page, stack);
  for (let i = 0; i < 3; i++) {
    stack.meet.startMeeting(standup!);
    await expect(roomRow(page, stack, standup!).locator('.status-badge')).toHaveText('ACTIVE');
    stack.meet.endMeeting(standup!);
    await expect(roomRow(page, stack, standup!).locator('.status-badge')).toHaveText('OPEN');
  }
  await stack.createRooms('Retro');
  await expect(page.locator('#rooms-count')).toHaveText('3 rooms');
  await page.getByRole('searchbox', { name: 'Filter rooms by name' }).fill('review');
  await expect(page.locator('#rooms-count')).toHaveText('1 of 3 rooms');
  await expect(roomRow(page, stack, review!)).toBeVisible();
});
