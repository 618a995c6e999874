// Forwarding on the page: while a target fails, the header warns and the event's detail shows its
// delivery pending with attempts and the last error; when the target recovers, the warning goes and the
// delivery shows as delivered with status and latency; Redeliver sends it again. A target that answers
// 410 Gone shows as stopped in the inspector's list of targets until "Resume" sends to it again.
import { expect, openDashboard, startStack, test, type Stack } from './fixtures.js';
import { expectNoSeriousViolations } from './axe.js';
import { meetingStarted } from '../test/helpers/meet.js';
import { startForwardTarget, type ForwardTarget } from '../test/helpers/forward-target.js';

let target: ForwardTarget;
let stack: Stack;
let healthy: boolean;
/** What the target answers while not healthy. */
let sick: number;

test.beforeEach(async () => {
  healthy = false;
  sick = 503;
  target = await startForwardTarget(() => (healthy ? 200 : sick));
  stack = await startStack({ env: { FORWARD_TO: target.url } });
});

test.afterEach(async () => {
  await stack.dispose();
  await target.close();
});

test('a failing target: the header warns, the event shows its delivery pending, then delivered once it recovers', async ({ page }) => {
  await openDashboard(page, stack, '#/events');
  const delivery = meetingStarted();
  const response = await fetch(`${stack.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const seq = ((await response.json()) as { stored: number[] }).stored[0]!;
  await target.waitFor((received) => received.length >= 1);

  const warning = page.locator('#forward-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText(`Forwarding to ${target.url} failing: answered 503`);

  await page.goto(`${stack.url}/#/events/${seq}`);
  const row = page.locator('#event-deliveries tbody tr');
  await expect(row).toHaveAttribute('data-state', 'pending');
  await expect(row).toContainText(target.url);
  await expect(row.locator('.delivery-state')).toHaveText(/^Pending: \d+ attempts?, next try .+; last: answered 503/);
  await expect(page.locator('#forward-warning')).toBeVisible();
  await expectNoSeriousViolations(page, 'an event whose delivery is failing, with the header warning');

  healthy = true;
  await expect(row).toHaveAttribute('data-state', 'delivered', { timeout: 15_000 });
  await expect(row.locator('.delivery-state')).toHaveText(/^Delivered: 200 in \d+ ms, .+, after \d+ attempts$/);
  await expect(page.locator('#forward-warning')).toBeHidden();

  const before = target.received.length;
  await row.getByRole('button', { name: `Redeliver to ${target.url}` }).click();
  await expect(page.locator('#redeliver-status')).toHaveText('Queued for target 1.');
  await target.waitFor((received) => received.length === before + 1);
  expect(target.received.at(-1)!.delivery).toBe(seq);
  await expect(row.locator('.delivery-state')).toHaveText(/^Delivered \(redelivered\): 200 in \d+ ms/);
  await expectNoSeriousViolations(page, 'an event delivered and redelivered');
});

test('a target that answered 410 Gone: the inspector lists it stopped, and Resume sends the webhook again', async ({ page }) => {
  sick = 410;
  await openDashboard(page, stack, '#/events');
  const delivery = meetingStarted();
  const response = await fetch(`${stack.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const seq = ((await response.json()) as { stored: number[] }).stored[0]!;
  await target.waitFor((received) => received.length === 1);

  const row = page.locator('#forward-targets tbody tr');
  await expect(row).toHaveAttribute('data-state', 'stopped');
  await expect(row.locator('.forward-target-state')).toContainText('Stopped');
  await expect(row.locator('.forward-target-state')).toContainText(`answered 410 Gone to webhook #${seq}`);
  await expect(page.locator('#forward-warning')).toContainText(`Forwarding to ${target.url} stopped`);
  await expectNoSeriousViolations(page, 'the list of forwarding targets with one stopped');

  healthy = true;
  await row.getByRole('button', { name: `Resume ${target.url}` }).click();
  await expect(page.locator('#forward-targets-status')).toContainText(`Resumed ${target.url}`);
  await target.waitFor((received) => received.length === 2);
  expect(target.received.map((request) => request.delivery)).toEqual([seq, seq]);
  await expect(row).toHaveAttribute('data-state', 'idle');
  await expect(page.locator('#forward-warning')).toBeHidden();
});
