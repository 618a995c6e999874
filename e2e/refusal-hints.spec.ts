// A refused webhook on the Events page says what to check, right under its reason, for refusals listed
// at load and for those that arrive live; unfolded, it shows the platform's timestamp and the skew.
import { expect, openDashboard, test } from './fixtures.js';
import { meetDelivery, type Delivery } from '../test/helpers/meet.js';

async function send(url: string, delivery: Delivery): Promise<number> {
  return (await fetch(`${url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body })).status;
}

test('a refusal shows its hint under the reason, listed and live, and its X-Timestamp with the skew', async ({ page, stack }) => {
  expect(await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { key: 'not-the-key' }))).toBe(401);

  await openDashboard(page, stack, '#/events?outcome=refused');
  const rows = page.locator('#events-body tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('.outcome-badge')).toHaveText('refused: signature_mismatch');
  await expect(rows.first().locator('.refusal-hint')).toHaveText(/^OV_MEET_API_KEY is not the key this Meet signs with \(Meet console → Embedded → API key\)/);

  const stale = Date.now() - 312_000;
  expect(await send(stack.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { timestamp: stale }))).toBe(401);
  await expect(rows).toHaveCount(2);
  await expect(rows.first().locator('.outcome-badge')).toHaveText('refused: stale_timestamp');
  await expect(rows.first().locator('.refusal-hint')).toHaveText(/^X-Timestamp is 31\d s old \(MAX_WEBHOOK_AGE allows 120 s\): check the clocks/);
  await rows.first().locator('summary').click();
  await expect(rows.first().locator('.refusal-facts')).toContainText(/Sent \(platform clock\).*31\d s before it was received/);
});
