// Names are data, never markup: from 3.5 on Meet room names are free text (../shared/protocols/
// openvidu-meet.md §2.8, §5.6 item 8), so a name that looks like HTML must show as text and run nothing.
import { expect, openDashboard, roomRow, test } from './fixtures.js';

const HOSTILE_NAMES = ['<img src=x onerror=alert(1)>', `x');alert(2);//`, '"><svg onload=alert(3)>'];

test('room names that look like HTML are shown as text and run nothing', async ({ page, stack }) => {
  // The fixture's page fails the test on any alert/confirm/prompt dialog.
  const ids = await stack.createRooms(...HOSTILE_NAMES);
  stack.meet.addCompletedRecording(ids[0]!, 30);
  await stack.reconcileUntil((s) => s.recordings.length === 1);
  await openDashboard(page, stack);

  for (const [index, id] of ids.entries()) {
    await expect(roomRow(page, stack, id).locator('.room-name')).toHaveText(HOSTILE_NAMES[index]!);
  }
  await expect(page.locator('.room-list img')).toHaveCount(0);
  await expect(page.locator('.room-list svg[onload]')).toHaveCount(0);

  // The same name on the other screens: live update, recordings list and its room filter, the join bar.
  stack.meet.startMeeting(ids[0]!);
  await expect(roomRow(page, stack, ids[0]!).locator('.status-badge')).toHaveText('ACTIVE');
  await roomRow(page, stack, ids[0]!).getByRole('link', { name: 'Recordings' }).click();
  await expect(page.locator('#recordings-title')).toHaveText(`Recordings of ${HOSTILE_NAMES[0]}`);
  await expect(page.locator('.recording-row .recording-room')).toHaveText(HOSTILE_NAMES[0]!);
  await expect(page.locator('#recordings-room option', { hasText: HOSTILE_NAMES[1]! })).toHaveCount(1);
  await page.goBack();
  await roomRow(page, stack, ids[1]!).locator('[data-action="join"][data-role="speaker"]').click();
  await expect(page.locator('.join-room-name')).toHaveText(HOSTILE_NAMES[1]!);

  await expect(page.locator('img')).toHaveCount(0);
  await expect(page.locator('[onerror], [onload]')).toHaveCount(0);
});

test('a hostile name typed into the create form is stored and shown as text', async ({ page, stack }) => {
  await openDashboard(page, stack);
  const name = '<img src=y onerror=alert(4)>';
  await page.getByLabel('New room').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('.room-row .room-name', { hasText: name })).toHaveCount(1);
  await expect(page.locator('img')).toHaveCount(0);
});
