// The setup screen: the webhook URL each platform needs, copied with one click; a refused webhook's hint
// and clock skew showing up while the screen is open; the warning for a platform silent while its rooms
// show meetings; and no serious accessibility violation.
import { expect, openDashboard, test } from './fixtures.js';
import { expectNoSeriousViolations } from './axe.js';
import { meetDelivery, type Delivery } from '../test/helpers/meet.js';

async function send(url: string, delivery: Delivery): Promise<number> {
  return (await fetch(`${url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body })).status;
}

test('a refused webhook shows its hint and clock skew on the open setup screen', async ({ page, stack }) => {
  await openDashboard(page, stack, '#/setup');
  const meet = page.locator('.setup-platform[data-source="meet"]');
  await expect(meet.locator('.setup-last-refusal')).toHaveText('none');

  expect(await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { key: 'not-the-key' }))).toBe(401);
  await expect(meet.locator('.setup-refusal-reason')).toHaveText('signature_mismatch');
  await expect(meet.locator('.setup-refusal-hint')).toHaveText(/^OV_MEET_API_KEY is not the key this Meet signs with/);

  expect(await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { timestamp: Date.now() - 312_000 }))).toBe(401);
  await expect(meet.locator('.setup-refusal-reason')).toHaveText('stale_timestamp');
  await expect(meet.locator('.setup-refusal-hint')).toHaveText(/^X-Timestamp is 31\d s old \(MAX_WEBHOOK_AGE allows 120 s\)/);
  await expect(meet.locator('.setup-refusal-skew')).toHaveText(/^Clock skew: sent 31\d s before it was received/);
});

test("the copy button puts the platform's webhook URL on the clipboard", async ({ page, stack, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDashboard(page, stack, '#/setup');
  const meet = page.locator('.setup-platform[data-source="meet"]');
  await expect(meet.locator('.setup-webhook-url')).toHaveText(`${stack.url}/webhook`);
  await expect(page.locator('#setup-base-note')).toContainText('127.0.0.1 is this machine itself');
  await meet.getByRole('button', { name: 'Copy' }).click();
  await expect(meet.locator('.setup-copy-status')).toHaveText('Copied');
  const clipboard = () => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText();
  expect(await page.evaluate(clipboard)).toBe(`${stack.url}/webhook`);
});

test('a platform whose rooms show a meeting no webhook announced gets a visible warning, on Setup and marked in the header', async ({ page, stack }) => {
  stack.meet.setWebhooksEnabled(false);
  const { roomId } = stack.meet.createRoom('Quiet Room');
  stack.meet.startMeeting(roomId);
  await stack.reconcileUntil((snapshot) => snapshot.rooms.some((row) => row.roomId === roomId && row.status === 'active_meeting'));
  await openDashboard(page, stack, '#/setup');
  const meet = page.locator('.setup-platform[data-source="meet"]');
  await expect(meet.locator('.setup-meetings')).toHaveText('1');
  await expect(meet.locator('.setup-silence')).toBeHidden();
  await expect(page.locator('#setup-warning')).toBeHidden();

  // Three minutes on roomwatch's clock, and still no webhook from Meet: the next reading warns.
  stack.clock.advance(3 * 60_000);
  await page.reload();
  await expect(meet.locator('.setup-silence')).toBeVisible();
  await expect(meet.locator('.setup-silence')).toHaveText(/^A room shows a meeting that no webhook announced, and no webhook from OpenVidu Meet has ever arrived/);
  await expect(meet.locator('.setup-last-webhook')).toHaveText('none received yet');

  // Seen from every screen: a mark on Setup in the header.
  await openDashboard(page, stack, '#/rooms');
  await expect(page.locator('#setup-warning')).toHaveText('1 silent');
  await expect(page.locator('#nav-setup')).toHaveAttribute('title', /^A platform is silent while its rooms show meetings/);
  await expectNoSeriousViolations(page, 'the header with its Setup mark');
});

test('the setup screen has no serious or critical accessibility violation', async ({ page, stack }) => {
  expect(await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { key: 'not-the-key' }))).toBe(401);
  await openDashboard(page, stack, '#/setup');
  await expect(page.locator('.setup-platform[data-source="meet"] .setup-refusal-hint')).toBeVisible();
  await page.locator('.setup-off summary').click();
  await expectNoSeriousViolations(page, 'the setup screen');
});

test('on a phone (390 px) the setup screen does not scroll sideways, its webhook URLs included', async ({ page, stack }) => {
  expect(await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { timestamp: Date.now() - 312_000 }))).toBe(401);
  await page.setViewportSize({ width: 390, height: 844 });
  await openDashboard(page, stack, '#/setup');
  await expect(page.locator('.setup-platform[data-source="meet"] .setup-refusal-hint')).toBeVisible();
  await page.locator('.setup-off summary').click();
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
});
