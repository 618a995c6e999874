// Joining from the dashboard: <openvidu-meet> from the URL Meet gave, its events handled once per join,
// "Back to rooms" and the component's `closed` returning to the list.
import { expect, openDashboard, roomRow, test } from './fixtures.js';

/** Keeps, per <openvidu-meet> element, the joined/left/closed listeners still attached to it. */
const COUNT_LISTENERS = `
  (() => {
    const attached = new WeakMap();
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    const watched = (target, type) =>
      target instanceof Element && target.localName === 'openvidu-meet' && ['joined', 'left', 'closed'].includes(type);
    EventTarget.prototype.addEventListener = function (type, listener, options) {
      if (watched(this, type)) {
        if (!attached.has(this)) attached.set(this, new Map());
        attached.get(this).set(listener, type);
      }
      return add.call(this, type, listener, options);
    };
    EventTarget.prototype.removeEventListener = function (type, listener, options) {
      if (watched(this, type)) attached.get(this)?.delete(listener);
      return remove.call(this, type, listener, options);
    };
    window.__meetListenerCount = (element) => {
      const counts = { joined: 0, left: 0, closed: 0 };
      for (const type of (attached.get(element) ?? new Map()).values()) counts[type] += 1;
      return counts;
    };
  })();
`;

test('joining as moderator shows the meeting in the page; leaving and Back return to the rooms', async ({ page, stack }) => {
  await page.addInitScript(COUNT_LISTENERS);
  const [room] = await stack.createRooms('Daily Standup');
  await openDashboard(page, stack);

  for (let round = 1; round <= 2; round += 1) {
    await roomRow(page, stack, room!).locator('[data-action="join"][data-role="moderator"]').click();
    await expect(page).toHaveURL(new RegExp(`#/join/meet/${room}/moderator$`));
    const meet = page.locator('#join-screen openvidu-meet');
    await expect(meet).toHaveAttribute('room-url', stack.meet.room(room!).links.moderator);
    await expect(page.locator('.join-status')).toHaveText('In the meeting');
    await expect(page.locator('#join-screen .status-badge')).toHaveText('ACTIVE');
    // One listener per event on this join's element, however many joins came before.
    const counts = await meet.evaluate((element) =>
      (globalThis as unknown as { __meetListenerCount(element: unknown): Record<string, number> }).__meetListenerCount(element),
    );
    expect(counts).toEqual({
      joined: 1,
      left: 1,
      closed: 1,
    });
    // Only one web component script, whatever the number of joins.
    await expect(page.locator('script[src$="openvidu-meet.js"]')).toHaveCount(1);

    const meeting = page.frameLocator('#join-screen openvidu-meet iframe');
    if (round === 1) {
      await meeting.getByRole('button', { name: 'Leave' }).click();
      await expect(page.locator('.join-status')).toHaveText('You left the meeting.');
      await meeting.getByRole('button', { name: 'Back' }).click(); // → `closed`
      await expect(page).toHaveURL(/#\/rooms$/);
      await expect(roomRow(page, stack, room!).locator('.status-badge')).toHaveText('OPEN');
    } else {
      await page.getByRole('button', { name: 'Back to rooms' }).click();
    }
    await expect(page).toHaveURL(/#\/rooms$/);
    await expect(page.locator('openvidu-meet')).toHaveCount(0);
  }
});

test('the browser Back button leaves the meeting screen', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Back Button');
  await openDashboard(page, stack);
  await roomRow(page, stack, room!).locator('[data-action="join"][data-role="speaker"]').click();
  await expect(page.locator('#join-screen openvidu-meet')).toHaveAttribute('room-url', stack.meet.room(room!).links.speaker);
  await page.goBack();
  await expect(page.locator('#rooms-screen')).toBeVisible();
  await expect(page.locator('openvidu-meet')).toHaveCount(0);
});

test('when the web component cannot be loaded, the page says so plainly', async ({ page, stack }) => {
  const [room] = await stack.createRooms('No Component');
  await page.route('**/openvidu-meet.js', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await openDashboard(page, stack);
  await roomRow(page, stack, room!).locator('[data-action="join"][data-role="moderator"]').click();
  const alert = page.locator('#join-screen .alert');
  await expect(alert).toContainText('The OpenVidu Meet web component could not be loaded from');
  await expect(alert.getByRole('link', { name: 'Open the meeting in a new tab' })).toHaveAttribute('href', stack.meet.room(room!).links.moderator);
  await page.getByRole('button', { name: 'Back to rooms' }).click();
  await expect(page.locator('#rooms-screen')).toBeVisible();
});
