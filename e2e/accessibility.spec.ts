// Accessibility: axe-core finds no serious or critical violation on any screen (wide and on a phone), in
// any dialog, or on the login page; every focusable element shows a visible focus ring; closing a dialog
// gives the focus back to the button that opened it; a skip link leads past the header.
import type { Page } from '@playwright/test';
import type { PlatformSimulators } from '../tools/platform-sim/index.js';
import { meetDelivery } from '../test/helpers/meet.js';
import { expectNoSeriousViolations } from './axe.js';
import { openDashboard, recordingRow, roomRow, test as base, type Stack } from './fixtures.js';
import { expect, PLATFORM_ENV, test } from './platform-sims.js';

test.use({ stackOptions: { env: PLATFORM_ENV } });

interface Seeded {
  standup: string;
  review: string;
  completed: string;
  seq: number;
}

/** Rooms of every status and several platforms, recordings running and done, accepted and refused webhooks. */
async function seed(stack: Stack, sims: PlatformSimulators): Promise<Seeded> {
  const [standup, review] = await stack.createRooms('Daily Standup', 'Design Review', 'Retro');
  stack.meet.join(standup!, { name: 'Ann', role: 'moderator' });
  await stack.meet.startRecording(standup!);
  const completed = stack.meet.addCompletedRecording(review!, 90);
  sims.livekit!.join('Customer Call', 'Dana');
  sims.livekit!.startEgress('Customer Call');
  const session = sims.openvidu!.createSession('Sprint Planning');
  sims.openvidu!.join(session, 'Ana');
  sims.enablex!.startSession('Town Hall');
  sims.enablex!.endSession('Town Hall');
  await sims.idle();
  const stale = meetDelivery('meetingStarted', { roomId: standup }, { timestamp: Date.now() - 312_000 });
  expect((await fetch(`${stack.url}/webhook`, { method: 'POST', headers: stale.headers, body: stale.body })).status).toBe(401);
  await stack.reconcileUntil((snapshot) => snapshot.recordings.some((row) => row.recordingId === completed));
  const page = (await (await fetch(`${stack.url}/api/events?outcome=accepted&limit=1`)).json()) as { entries: { seq: number }[] };
  return { standup: standup!, review: review!, completed, seq: page.entries[0]!.seq };
}

/** Every screen, each shown with its content, then checked by axe. */
async function checkEveryScreen(page: Page, stack: Stack, seeded: Seeded, width: string): Promise<void> {
  await openDashboard(page, stack, '#/rooms');
  await expect(page.locator('.room-row')).toHaveCount(6);
  await expect(page.locator('.room-recording:visible')).toHaveCount(2);
  await expectNoSeriousViolations(page, `rooms (${width})`);

  await page.goto(`${stack.url}/#/rooms?status=closed`);
  await expect(page.locator('.room-row:visible')).toHaveCount(1);
  await expectNoSeriousViolations(page, `rooms filtered to closed ones (${width})`);

  await page.goto(`${stack.url}/#/recordings`);
  await expect(recordingRow(page, seeded.completed)).toBeVisible();
  await expectNoSeriousViolations(page, `recordings (${width})`);

  await page.goto(`${stack.url}/#/events`);
  const refusal = page.locator('#events-body tr[data-outcome="refused"]');
  await refusal.locator('summary').click();
  await expect(refusal.locator('.refusal-facts')).toBeVisible();
  await expectNoSeriousViolations(page, `events, a refusal unfolded (${width})`);

  await page.goto(`${stack.url}/#/events/${seeded.seq}`);
  await expect(page.locator('#event-body')).toBeVisible();
  await page.getByText('Show the command').click();
  await expectNoSeriousViolations(page, `an event in detail (${width})`);

  await page.goto(`${stack.url}/#/rooms/meet/${seeded.standup}`);
  await expect(page.locator('#room-title')).toHaveText('Daily Standup');
  await expect(page.locator('#room-webhooks tr').first()).toBeVisible();
  await expectNoSeriousViolations(page, `a room's page (${width})`);

  await page.goto(`${stack.url}/#/setup`);
  await expect(page.locator('#setup-screen')).toBeVisible();
  await expect(page.locator('#setup-screen')).toContainText('stale_timestamp');
  await expectNoSeriousViolations(page, `setup (${width})`);

  await page.goto(`${stack.url}/#/usage?range=24h`);
  await expect(page.locator('#usage-webhooks .usage-chart canvas')).toHaveCount(1);
  await expectNoSeriousViolations(page, `usage (${width})`);

  // Meet's own web component is Meet's page, not ours.
  await page.goto(`${stack.url}/#/join/meet/${seeded.standup}/moderator`);
  await expect(page.locator('#join-screen openvidu-meet')).toHaveCount(1);
  await expectNoSeriousViolations(page, `joining a meeting (${width})`, ['openvidu-meet']);

  await page.goto(`${stack.url}/#/play/meet/${seeded.completed}`);
  await expect(page.locator('#player-screen openvidu-meet')).toHaveCount(1);
  await expectNoSeriousViolations(page, `playing a recording (${width})`, ['openvidu-meet']);
}

test('axe: every screen, with content, has no serious or critical violation', async ({ page, stack, sims }) => {
  test.setTimeout(60_000);
  const seeded = await seed(stack, sims);
  await page.setViewportSize({ width: 1280, height: 900 });
  await checkEveryScreen(page, stack, seeded, 'wide');
});

test('axe: every screen on a phone (390 px) has no serious or critical violation', async ({ page, stack, sims }) => {
  test.setTimeout(60_000);
  const seeded = await seed(stack, sims);
  await page.setViewportSize({ width: 390, height: 844 });
  await checkEveryScreen(page, stack, seeded, 'phone');
});

test('axe: the dialogs (delete a room, Meet’s refusal with its options, delete a recording) have no serious or critical violation', async ({ page, stack, sims }) => {
  const seeded = await seed(stack, sims);
  await openDashboard(page, stack);
  await roomRow(page, stack, seeded.review).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Delete this room?');
  await expectNoSeriousViolations(page, 'the delete-room dialog');
  await dialog.getByRole('button', { name: 'Delete room' }).click();
  await expect(dialog).toContainText('Meet did not delete the room');
  await expectNoSeriousViolations(page, 'Meet’s refusal with its options');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.goto(`${stack.url}/#/recordings`);
  await recordingRow(page, seeded.completed).getByRole('button', { name: 'Delete' }).click();
  await expect(dialog).toContainText('Delete this recording?');
  await expectNoSeriousViolations(page, 'the delete-recording dialog');
});

/** Tabs through the page and describes every focused element's ring; returns those that fail. */
async function focusRingsFailing(page: Page, maxTabs = 80): Promise<string[]> {
  const failing: string[] = [];
  const seen = new Set<string>();
  await page.locator('body').focus();
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const { id, problem } = await page.evaluate<{ id: string; problem: string | null }>(DESCRIBE_FOCUS_RING);
    if (id === '' || seen.has(id)) break; // back at the start
    seen.add(id);
    if (problem) failing.push(`${id}: ${problem}`);
  }
  expect(seen.size, 'Tab reached something').toBeGreaterThan(3);
  return failing;
}

/**
 * Runs in the page (a string: this project's TypeScript has no DOM types): the focused element's outline,
 * and its contrast with the first opaque background behind it (the outline is drawn outside the element,
 * over its parent). WCAG asks 3:1 of a focus indicator.
 */
const DESCRIBE_FOCUS_RING = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return { id: '', problem: null };
  const id = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + '.' + [...element.classList].join('.') + '[' + (element.textContent ?? '').trim().slice(0, 30) + ']';
  const style = getComputedStyle(element);
  const width = parseFloat(style.outlineWidth);
  if (style.outlineStyle === 'none' || !(width >= 2)) return { id, problem: 'outline ' + style.outlineStyle + ' ' + style.outlineWidth };
  const rgb = (color) => (color.match(/[\\d.]+/g) ?? []).map(Number);
  const channel = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  let background = [255, 255, 255];
  for (let behind = element.parentElement; behind; behind = behind.parentElement) {
    const color = rgb(getComputedStyle(behind).backgroundColor);
    if (color.length === 3 || (color.length === 4 && color[3] > 0.5)) {
      background = color;
      break;
    }
  }
  const [lighter, darker] = [luminance(rgb(style.outlineColor)), luminance(background)].sort((a, b) => b - a);
  const contrast = (lighter + 0.05) / (darker + 0.05);
  return { id, problem: contrast >= 3 ? null : 'outline ' + style.outlineColor + ' on rgb(' + background.join(',') + '): contrast ' + contrast.toFixed(2) };
})()`;

test('every element a keyboard reaches shows a focus ring of 2 px at 3:1 or more, header included', async ({ page, stack, sims }) => {
  const seeded = await seed(stack, sims);
  await openDashboard(page, stack, '#/rooms');
  expect(await focusRingsFailing(page, 120), 'rooms').toEqual([]);
  await page.goto(`${stack.url}/#/recordings`);
  await expect(recordingRow(page, seeded.completed)).toBeVisible();
  expect(await focusRingsFailing(page), 'recordings').toEqual([]);
  await page.goto(`${stack.url}/#/events`);
  await expect(page.locator('#events-body tr')).not.toHaveCount(0);
  expect(await focusRingsFailing(page), 'events').toEqual([]);
  await page.goto(`${stack.url}/#/events/${seeded.seq}`);
  await expect(page.locator('#event-body')).toBeVisible();
  expect(await focusRingsFailing(page), 'event detail').toEqual([]);
});

test('closing a dialog gives the focus back to the button that opened it', async ({ page, stack }) => {
  const [room, other] = await stack.createRooms('Keep Me', 'Delete Me');
  await openDashboard(page, stack);
  const remove = roomRow(page, stack, room!).getByRole('button', { name: 'Delete' });

  // Escape
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(remove).toBeFocused();

  // Cancel, by keyboard (it has the focus, so that Enter destroys nothing)
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(remove).toBeFocused();

  // A deleted room's button is gone: the focus goes to the page's main content, not back to the top.
  await roomRow(page, stack, other!).getByRole('button', { name: 'Delete' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete room' }).click();
  await expect(roomRow(page, stack, other!)).toHaveCount(0);
  await expect(page.locator('main')).toBeFocused();
});

base('a skip link is the first thing Tab reaches; it moves the focus to the content and keeps the address', async ({ page, stack }) => {
  await stack.createRooms('Daily Standup');
  await openDashboard(page, stack, '#/events?outcome=accepted');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  const box = (await skip.boundingBox())!;
  expect(box.y, 'shown on screen once focused').toBeGreaterThanOrEqual(0);
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await expect(page).toHaveURL(/#\/events\?outcome=accepted$/);
  // The next Tab is in the content, past the header's links.
  await page.keyboard.press('Tab');
  expect(await page.evaluate<boolean>("document.activeElement?.closest('main') !== null")).toBe(true);
  await expect(page.locator('#events-export-jsonl')).toBeFocused();
});
