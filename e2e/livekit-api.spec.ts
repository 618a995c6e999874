// LiveKit managed from the dashboard through its server API: the LiveKit simulator serves that API
// (tools/platform-sim/livekit-api.ts) before roomwatch starts with LIVEKIT_URL pointing at it, and posts
// its webhooks to roomwatch; the page reads, ends and heals LiveKit rooms as a user sees them.
import type { Page } from '@playwright/test';
import { test as base, expect, openDashboard } from './fixtures.js';
import { PLATFORM_ENV, PLATFORM_SETTINGS } from './platform-sims.js';
import { LiveKitSimulator } from '../tools/platform-sim/livekit.js';

const test = base.extend<{ livekit: LiveKitSimulator; livekitUrl: string }>({
  // Playwright reads a fixture's dependencies from this pattern; this one has none.
  // eslint-disable-next-line no-empty-pattern
  livekit: async ({}, use) => {
    const sim = new LiveKitSimulator({ settings: PLATFORM_SETTINGS.livekit!, egressTiming: { startMs: 100, stopMs: 100 } });
    await use(sim);
    sim.stop();
  },
  livekitUrl: async ({ livekit }, use) => use(await livekit.listen()),
  // roomwatch starts knowing where LiveKit's API is; the simulator then posts its webhooks to roomwatch.
  stackOptions: async ({ livekitUrl }, use) => use({ env: { ...PLATFORM_ENV, LIVEKIT_URL: livekitUrl } }),
  stack: async ({ stack, livekit }, use) => {
    livekit.setWebhookUrl(`${stack.url}/webhook/livekit`);
    await use(stack);
  },
});

const livekitRow = (page: Page, sid: string) => page.locator(`.room-row[data-key="livekit:${sid}"]`);

test('a LiveKit room whose room_finished was lost turns CLOSED after a reconcile', async ({ page, stack, livekit }) => {
  await openDashboard(page, stack);
  const sid = livekit.startRoom('Customer Call');
  livekit.join('Customer Call', 'Dana');
  livekit.join('Customer Call', 'Eve');
  const row = livekitRow(page, sid);
  await expect(row.locator('.status-badge')).toHaveText('ACTIVE');
  await expect(row.locator('.room-participants')).toHaveText('2 participants');

  // LiveKit ends the room, but its room_finished never reaches roomwatch (LiveKit drops events).
  livekit.finishRoom('Customer Call', { loseRoomFinished: true });
  await livekit.idle();
  await expect(row.locator('.room-participants')).toHaveText('no participants');
  await expect(row.locator('.status-badge')).toHaveText('ACTIVE');

  await page.getByRole('button', { name: 'Refresh' }).first().click();
  await expect(row.locator('.status-badge')).toHaveText('CLOSED');
  await expect(row.getByRole('button', { name: 'End' })).toBeDisabled();
});

test('ending a LiveKit room from the dashboard', async ({ page, stack, livekit }) => {
  const sid = livekit.startRoom('Town Hall');
  livekit.join('Town Hall', 'Ana');
  await openDashboard(page, stack);
  const row = livekitRow(page, sid);
  await expect(row.locator('.status-badge')).toHaveText('ACTIVE');

  await row.getByRole('button', { name: 'End' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('“Town Hall” on LiveKit / OpenVidu 3.');
  await expect(dialog).toContainText('End this room for everyone in it?');
  await dialog.getByRole('button', { name: 'End' }).click();

  await expect(page.locator('.toast', { hasText: 'LiveKit ended Town Hall' })).toBeVisible();
  await expect(row.locator('.status-badge')).toHaveText('CLOSED');
  await expect(row.locator('.room-participants')).toHaveText('no participants');
  expect(livekit.roomsView()).toEqual([]);
});

test('a stream egress shows on its room as streaming, not among recordings; stopping a recording from the dashboard', async ({ page, stack, livekit }) => {
  livekit.join('Launch', 'Ana');
  const sid = livekit.roomsView()[0]!.sid;
  livekit.startEgress('Launch', 'stream');
  const recording = livekit.startEgress('Launch');
  await openDashboard(page, stack);
  await expect(livekitRow(page, sid).locator('.room-outputs')).toHaveText('streaming now');

  await page.goto(`${stack.url}/#/recordings`);
  const recordingRow = page.locator(`.recording-row[data-key="livekit:${recording}"]`);
  await expect(page.locator('.recording-row')).toHaveCount(1);
  await expect(recordingRow.getByRole('button', { name: 'Stop' })).toBeEnabled();
  await recordingRow.getByRole('button', { name: 'Stop' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('.toast', { hasText: 'LiveKit is stopping the recording' })).toBeVisible();
  await expect(recordingRow.getByRole('button', { name: 'Stop' })).toBeDisabled();
});

test('when the LiveKit API does not answer, the banner names LiveKit and where roomwatch looked', async ({ page, stack, livekit, livekitUrl }) => {
  await openDashboard(page, stack);
  const banner = page.locator('#api-banner [data-source="livekit"]');
  await expect(banner).toHaveCount(0);
  await livekit.closeApi();
  await page.getByRole('button', { name: 'Refresh' }).first().click();
  await expect(banner).toContainText(`The LiveKit / OpenVidu 3 API at ${livekitUrl} is not answering (`);
  await expect(banner).toContainText('its rooms and recordings shown are from webhooks.');
});
