// The rooms screen: what Meet has is listed, rooms can be created and deleted from the page, and the
// server's own words are shown when Meet refuses.
import { expect, openDashboard, roomRow, test } from './fixtures.js';

test('the rooms Meet has are listed, newest activity first, with badge and platform', async ({ page, stack }) => {
  const [standup, review] = await stack.createRooms('Daily Standup', 'Design Review');
  await openDashboard(page, stack);

  await expect(roomRow(page, stack, standup!)).toContainText('Daily Standup');
  await expect(roomRow(page, stack, review!)).toContainText('Design Review');
  for (const id of [standup!, review!]) {
    await expect(roomRow(page, stack, id).locator('.status-badge')).toHaveText('OPEN');
    await expect(roomRow(page, stack, id).locator('.status-badge')).toHaveClass(/bg-success/);
    await expect(roomRow(page, stack, id).locator('.source-tag')).toHaveText('meet');
  }
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // Activity moves a room to the top.
  stack.meet.startMeeting(standup!);
  await expect(page.locator('.room-row').first()).toHaveAttribute('data-key', `meet:${standup}`);
  stack.meet.endMeeting(standup!);
  await expect(roomRow(page, stack, standup!).locator('.status-badge')).toHaveText('OPEN');
  stack.meet.startMeeting(review!);
  await expect(page.locator('.room-row').first()).toHaveAttribute('data-key', `meet:${review}`);
});

test('the name filter hides the rooms that do not match', async ({ page, stack }) => {
  const [standup, review] = await stack.createRooms('Daily Standup', 'Design Review');
  await openDashboard(page, stack);
  await page.getByRole('searchbox', { name: 'Filter rooms by name' }).fill('stand');
  await expect(roomRow(page, stack, standup!)).toBeVisible();
  await expect(roomRow(page, stack, review!)).toBeHidden();
  await page.getByRole('searchbox', { name: 'Filter rooms by name' }).fill('nothing like it');
  await expect(page.getByText('No room matches this filter.')).toBeVisible();
});

test('a room created in the form appears in the list', async ({ page, stack }) => {
  await openDashboard(page, stack);
  await page.getByLabel('New room').fill('Weekly Sync');
  await page.getByRole('button', { name: 'Create room' }).click();
  const row = page.locator('.room-row', { hasText: 'Weekly Sync' });
  await expect(row).toHaveCount(1);
  await expect(row.locator('.status-badge')).toHaveText('OPEN');
  await expect(page.getByLabel('New room')).toHaveValue('');
});

test('when a room cannot be created, the server’s message is shown', async ({ page, stack }) => {
  await openDashboard(page, stack);
  await stack.meet.stop(); // Meet is gone: roomwatch answers 502/503 saying where it looked
  await page.getByLabel('New room').fill('Weekly Sync');
  await page.getByRole('button', { name: 'Create room' }).click();
  const problem = page.locator('#create-room-error');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(new URL(stack.meet.url).host);
  await expect(problem).not.toHaveText(/^Error creating room$/);
});

test('a deleted room leaves the list', async ({ page, stack }) => {
  const [doomed, kept] = await stack.createRooms('Old Room', 'Kept Room');
  await openDashboard(page, stack);
  await roomRow(page, stack, doomed!).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Old Room');
  await dialog.getByRole('button', { name: 'Delete room' }).click();
  await expect(roomRow(page, stack, doomed!)).toHaveCount(0);
  await expect(roomRow(page, stack, kept!)).toBeVisible();
  await expect(dialog).toHaveCount(0);
});

test('cancelling the confirmation deletes nothing', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Keep Me');
  await openDashboard(page, stack);
  await roomRow(page, stack, room!).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(roomRow(page, stack, room!)).toBeVisible();
  expect(stack.meet.rooms().map((r) => r.roomId)).toContain(room);
});

test('when Meet refuses a deletion, its message and the options are offered, and an option works', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Recorded Room');
  stack.meet.addCompletedRecording(room!, 90);
  await stack.reconcileUntil((s) => s.recordings.some((r) => r.roomId === room));
  await openDashboard(page, stack);

  await roomRow(page, stack, room!).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Delete room' }).click();
  await expect(dialog).toContainText('Meet did not delete the room');
  await expect(dialog.locator('.refusal')).toContainText(/recording/i);
  await expect(dialog.getByRole('button', { name: 'Delete the room and its recordings' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close the room and keep its recordings' }).click();

  await expect(dialog).toHaveCount(0);
  await expect(roomRow(page, stack, room!).locator('.status-badge')).toHaveText('CLOSED');
  await expect(roomRow(page, stack, room!).locator('.status-badge')).toHaveClass(/bg-warning/);
  // A closed room cannot be joined; the button says why.
  const join = roomRow(page, stack, room!).locator('[data-action="join"][data-role="moderator"]');
  await expect(join).toBeDisabled();
  await expect(join).toHaveAttribute('title', /closed/);
});

test('deleting a room during its meeting can be scheduled, and the row says so', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Busy Room');
  await openDashboard(page, stack);
  stack.meet.join(room!, { name: 'Ann', role: 'moderator' });
  await expect(roomRow(page, stack, room!).locator('.status-badge')).toHaveText('ACTIVE');

  await roomRow(page, stack, room!).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Delete room' }).click();
  await dialog.getByRole('button', { name: 'Delete it when the meeting ends' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(roomRow(page, stack, room!).locator('.room-schedule')).toHaveText(/deleted when its meeting ends/);

  stack.meet.leave(room!);
  await expect(roomRow(page, stack, room!)).toHaveCount(0);
});

test('copy buttons put the join links on the clipboard', async ({ page, stack, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const [room] = await stack.createRooms('Linked Room');
  await openDashboard(page, stack);
  await roomRow(page, stack, room!).locator('[data-action="copy"][data-role="speaker"]').click();
  await expect(roomRow(page, stack, room!).locator('[data-action="copy"][data-role="speaker"]')).toHaveText('Copied');
  const copied = await page.evaluate<string>('navigator.clipboard.readText()');
  expect(copied).toBe(stack.meet.room(room!).links.speaker);
});
