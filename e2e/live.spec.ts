// Live updates: webhooks reach the page through /events without a reload, in order, whatever screen
// is showing, and across a restart of roomwatch.
import { expect, openDashboard, recordingRow, roomRow, roomRowSelector, test, type Stack } from './fixtures.js';
import type { Page } from '@playwright/test';
import type { NewEvent } from '../server/domain/events.js';
import { openTestStore } from '../test/helpers/sqlite-store.js';

/**
 * Starts a meeting in `marker` and waits until the page shows it: every webhook roomwatch accepted before
 * has reached the page by then (one stream, in sequence order), so what the page shows now is final.
 */
async function markerShown(page: Page, stack: Stack, marker: string): Promise<void> {
  stack.meet.startMeeting(marker);
  await expect(roomRow(page, stack, marker).locator('.status-badge')).toHaveText('ACTIVE');
}

/**
 * Records every text a room's badge shows from now on; the returned function reads them. A flip is seen
 * however briefly it lasted (roomwatch re-reads Meet after a meeting ends, which would put it right again).
 */
async function watchBadge(page: Page, roomId: string): Promise<() => Promise<string[]>> {
  // Runs in the page (this project's TypeScript has no DOM types, hence a string).
  await page.evaluate(`(() => {
    const badge = ${JSON.stringify(`${roomRowSelector(roomId)} .status-badge`)};
    const shown = [];
    const look = () => {
      const text = document.querySelector(badge)?.textContent ?? '';
      if (shown.at(-1) !== text) shown.push(text);
    };
    look();
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    globalThis.badgeShown = shown;
  })()`);
  return () => page.evaluate<string[]>('globalThis.badgeShown');
}

test('a meeting start turns the badge ACTIVE within a second, and its end turns it OPEN', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Daily Standup');
  await openDashboard(page, stack);
  const badge = roomRow(page, stack, room!).locator('.status-badge');
  await expect(badge).toHaveText('OPEN');

  stack.meet.join(room!, { name: 'Ann', role: 'moderator' });
  await expect(badge).toHaveText('ACTIVE', { timeout: 1000 });
  await expect(badge).toHaveClass(/bg-primary/);

  stack.meet.leave(room!);
  await expect(badge).toHaveText('OPEN', { timeout: 1000 });
  await expect(badge).toHaveClass(/bg-success/);
});

test('updates that arrive while another screen is showing are not lost', async ({ page, stack }) => {
  const [room, marker] = await stack.createRooms('Hidden Updates', 'Marker');
  await openDashboard(page, stack, '#/recordings');
  stack.meet.startMeeting(room!);
  await stack.meet.waitForDelivery((d) => d.event === 'meetingStarted' && d.roomId === room && d.ok);
  // A recording, which this screen shows, comes after that webhook on the stream: once it is on the
  // screen, the page has had the meeting start too, while it was showing recordings.
  stack.meet.startMeeting(marker!);
  const recordingId = await stack.meet.startRecording(marker!);
  await expect(recordingRow(page, recordingId)).toBeVisible();
  await page.getByRole('link', { name: 'Back to rooms' }).click();
  await expect(roomRow(page, stack, room!).locator('.status-badge')).toHaveText('ACTIVE');
});

test('a late meetingStarted delivered after meetingEnded does not flip the badge back', async ({ page, stack }) => {
  const [room, marker] = await stack.createRooms('Reordered', 'Marker');
  await openDashboard(page, stack);
  await expect(roomRow(page, stack, room!).locator('.status-badge')).toHaveText('OPEN');
  const badgeShown = await watchBadge(page, room!);

  // Hold both webhooks and deliver them newest first: meetingEnded, then the stale meetingStarted.
  stack.meet.holdAndReorder(2);
  stack.meet.backdateNext(1000); // the start is a second older than the end, however fast this runs
  stack.meet.startMeeting(room!);
  stack.meet.endMeeting(room!);
  await stack.meet.waitForDelivery((d) => d.event === 'meetingStarted' && d.ok);
  await markerShown(page, stack, marker!);
  expect(await badgeShown()).toEqual(['OPEN']);
});

test('an old delivery sent again does not flip the badge', async ({ page, stack }) => {
  const [room, marker] = await stack.createRooms('Replayed', 'Marker');
  await openDashboard(page, stack);
  const badge = roomRow(page, stack, room!).locator('.status-badge');

  stack.meet.backdateNext(1000); // the start is a second older than the end, however fast this runs
  stack.meet.startMeeting(room!);
  await expect(badge).toHaveText('ACTIVE');
  const started = await stack.meet.waitForDelivery((d) => d.event === 'meetingStarted' && d.ok);
  stack.meet.endMeeting(room!);
  await expect(badge).toHaveText('OPEN');
  const badgeShown = await watchBadge(page, room!);

  const resent = stack.meet.resendDelivery(started.delivery);
  await stack.meet.waitForDelivery((d) => d.delivery === resent);
  // Also a validly signed but backdated copy of a start: older than what the row already shows.
  stack.meet.backdateNext(60_000);
  stack.meet.startMeeting(room!);
  await stack.meet.waitForDelivery((d) => d.event === 'meetingStarted' && d.delivery > resent && d.ok);
  await markerShown(page, stack, marker!);
  expect(await badgeShown()).toEqual(['OPEN']);
});

test('after roomwatch restarts, an event it accepted before the page reconnected still shows up', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Restarted');
  await openDashboard(page, stack);
  const badge = roomRow(page, stack, room!).locator('.status-badge');
  await expect(badge).toHaveText('OPEN');

  await stack.restartRoomwatch();
  // Accepted by the new roomwatch while the page has no stream yet (the browser waits `retry:` ms).
  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', /reconnecting|connecting/);
  stack.meet.startMeeting(room!);
  const delivered = await stack.meet.waitForDelivery((d) => d.event === 'meetingStarted' && d.ok);
  expect(delivered.status).toBe(200);
  expect(stack.roomwatch.hub.clientCount, 'the page had not reconnected yet').toBe(0);

  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect(badge).toHaveText('ACTIVE');
});

test('when roomwatch comes back with another store, the page reloads its state (resync)', async ({ page, stack }) => {
  const [kept, gone] = await stack.createRooms('Kept', 'Gone Meanwhile');
  stack.meet.startMeeting(kept!);
  await stack.meet.waitForDelivery((d) => d.event === 'meetingStarted' && d.ok);
  stack.meet.endMeeting(kept!);
  await stack.meet.waitForDelivery((d) => d.event === 'meetingEnded' && d.ok);
  await openDashboard(page, stack);
  await expect(roomRow(page, stack, gone!)).toBeVisible();

  // While roomwatch is away, one room is deleted in Meet (no webhook for that) and another is created.
  await stack.roomwatch.stop();
  const deleted = await fetch(`${stack.meet.apiUrl}/rooms/${encodeURIComponent(gone!)}`, { method: 'DELETE', headers: { 'X-API-KEY': stack.meet.apiKey } });
  expect(deleted.status).toBe(200);
  const created = stack.meet.createRoom('Created Meanwhile').roomId;
  // A new, empty store: the page's Last-Event-ID is ahead of it, so the server answers `resync`.
  await stack.restartRoomwatch({ freshStore: true });

  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect(roomRow(page, stack, created)).toBeVisible();
  await expect(roomRow(page, stack, gone!)).toHaveCount(0);
  await expect(roomRow(page, stack, kept!).locator('.status-badge')).toHaveText('OPEN');
  // And it streams again from the new store's position.
  stack.meet.startMeeting(created);
  await expect(roomRow(page, stack, created).locator('.status-badge')).toHaveText('ACTIVE');
});

test('when roomwatch comes back with another store already past the page\'s position, the page still reloads its state', async ({ page, stack }) => {
  const [kept, gone] = await stack.createRooms('Kept', 'Gone Meanwhile');
  await openDashboard(page, stack);
  await expect(roomRow(page, stack, gone!)).toBeVisible();

  await stack.roomwatch.stop();
  const deleted = await fetch(`${stack.meet.apiUrl}/rooms/${encodeURIComponent(gone!)}`, { method: 'DELETE', headers: { 'X-API-KEY': stack.meet.apiKey } });
  expect(deleted.status).toBe(200);
  // Another store whose numbers pass the page's Last-Event-ID: only its epoch tells the page's cursor is not
  // from it. Served as a resume, the page would never hear that the room went (Meet sends nothing for it).
  await stack.restartRoomwatch({ freshStore: true, prepare: fillStore });

  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect(roomRow(page, stack, gone!)).toHaveCount(0);
  await expect(roomRow(page, stack, kept!)).toBeVisible();
  stack.meet.startMeeting(kept!);
  await expect(roomRow(page, stack, kept!).locator('.status-badge')).toHaveText('ACTIVE');
});

/** 500 stored webhooks that change no row (an OpenVidu 2 body it does not know). */
async function fillStore(dataDir: string): Promise<void> {
  const store = await openTestStore(dataDir);
  const webhook = (n: number): NewEvent => ({ source: 'openvidu', type: 'unrecognised', createdAt: null, dedupeKey: `fill:${n}`, roomId: null, headers: {}, body: Buffer.from('{}') });
  await store.append(Array.from({ length: 500 }, (_, n) => webhook(n)));
  await store.close();
}

test('when the Meet API does not answer, a banner says so and where roomwatch looked', async ({ page, stack }) => {
  await stack.createRooms('Still Listed');
  await openDashboard(page, stack);
  const banner = page.locator('#api-banner');
  await expect(banner).toBeHidden();

  await stack.meet.stop();
  await page.getByRole('button', { name: 'Refresh' }).first().click();
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(`The OpenVidu Meet API at ${stack.meet.apiUrl}`);
  await expect(banner).toContainText('is not answering (');
  await expect(banner).toContainText('rooms and recordings shown are from webhooks.');
  await expect(page.locator('.room-row', { hasText: 'Still Listed' })).toBeVisible();
});
