// The recordings screen: every status, live progress, per-room filtering, playback and deletion.
import { expect, openDashboard, recordingRow, roomRow, test } from './fixtures.js';

test('a completed recording appears on its room’s recordings screen and not on another room’s', async ({ page, stack }) => {
  const [recorded, other] = await stack.createRooms('Recorded Room', 'Other Room');
  await openDashboard(page, stack);
  stack.meet.join(recorded!, { name: 'Ann', role: 'moderator' });
  const recordingId = await stack.meet.startRecording(recorded!);

  // While it runs: on the page, with its live status, and from the room's own button.
  await roomRow(page, stack, recorded!).getByRole('link', { name: 'Recordings' }).click();
  await expect(page).toHaveURL(new RegExp(`#/recordings\\?room=${recorded}$`));
  const row = recordingRow(page, recordingId);
  await expect(row.locator('.status-badge')).toHaveText(/ACTIVE|STARTING/);
  await expect(row.locator('[data-action="delete"]')).toBeDisabled();

  await stack.meet.stopRecording(recordingId);
  await expect(row.locator('.status-badge')).toHaveText('COMPLETE');
  await expect(row.locator('.recording-room')).toHaveText('Recorded Room');
  await expect(row.locator('.recording-facts')).toContainText(/Duration\s*\d+s/);
  await expect(row.locator('.recording-facts')).toContainText(/Size\s*[\d.]+ (B|kB|MB)/);
  await expect(row.locator('[data-action="delete"]')).toBeEnabled();
  // A live completion is announced.
  await expect(page.locator('.toast', { hasText: 'Recording ready' })).toBeVisible();

  // The other room's screen, chosen in the room filter, does not show it.
  await page.locator('#recordings-room').selectOption(other!);
  await expect(page).toHaveURL(new RegExp(`#/recordings\\?room=${other}$`));
  await expect(row).toBeHidden();
  await expect(page.getByText('No recordings for this room yet.', { exact: false })).toBeVisible();

  // "All rooms" shows it again; Back returns to the previous filter.
  await page.locator('#recordings-room').selectOption('');
  await expect(row).toBeVisible();
  await page.goBack();
  await expect(row).toBeHidden();
});

test('recordings already complete at load are listed without a toast, in every status', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Archive');
  stack.meet.join(room!);
  const failedId = await stack.meet.startRecording(room!);
  await stack.meet.stopRecording(failedId, 'failed');
  const done = stack.meet.addCompletedRecording(room!, 3725);
  await stack.reconcileUntil((s) => s.recordings.filter((r) => r.roomId === room).length === 2 && s.recordings.every((r) => r.status !== 'ending'));
  await openDashboard(page, stack, '#/recordings');

  await expect(recordingRow(page, done).locator('.status-badge')).toHaveText('COMPLETE');
  await expect(recordingRow(page, done).locator('.recording-facts')).toContainText('1h 2m 5s');
  await expect(recordingRow(page, failedId).locator('.status-badge')).toHaveText('FAILED');
  await expect(recordingRow(page, failedId).locator('[data-action="play"]')).toBeDisabled();
  await expect(page.locator('.toast')).toHaveCount(0);
});

test('a recording plays in the page, and Back returns to the list', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Playback');
  const recordingId = stack.meet.addCompletedRecording(room!, 42);
  await stack.reconcileUntil((s) => s.recordings.some((r) => r.recordingId === recordingId));
  await openDashboard(page, stack, `#/recordings?room=${encodeURIComponent(room!)}`);

  await recordingRow(page, recordingId).getByRole('button', { name: 'Play' }).click();
  const player = page.locator('#player-screen openvidu-meet');
  await expect(player).toHaveAttribute('recording-url', /^http:\/\/.+\/recording\//);
  await expect(page.frameLocator('#player-screen openvidu-meet iframe').locator('#room-name')).toHaveText('Playback');

  await page.getByRole('link', { name: 'Back to recordings' }).click();
  await expect(page).toHaveURL(/#\/recordings\?room=/);
  await expect(recordingRow(page, recordingId)).toBeVisible();
  await expect(page.locator('openvidu-meet')).toHaveCount(0);
});

test('a finished recording can be deleted after confirmation', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Cleanup');
  const recordingId = stack.meet.addCompletedRecording(room!, 42);
  await stack.reconcileUntil((s) => s.recordings.some((r) => r.recordingId === recordingId));
  await openDashboard(page, stack, '#/recordings');

  await recordingRow(page, recordingId).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete recording' }).click();
  await expect(recordingRow(page, recordingId)).toHaveCount(0);
  await expect(page.getByText('No recordings yet.')).toBeVisible();
});
