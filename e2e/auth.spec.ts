// With DASHBOARD_PASSWORD set, nothing that shows rooms or join links answers without a session, and
// the login form opens the dashboard.
import { expect, test } from './fixtures.js';

const PASSWORD = 'correct horse battery staple';

test.use({ stackOptions: { env: { DASHBOARD_PASSWORD: PASSWORD } } });

test('anonymous requests to /events and /api/rooms are refused with 401', async ({ request, stack }) => {
  for (const path of ['/events', '/api/rooms', '/api/state']) {
    const response = await request.get(`${stack.url}${path}`, { maxRedirects: 0 });
    expect(response.status(), path).toBe(401);
  }
});

test('the page sends an anonymous visitor to the login form, which opens the dashboard', async ({ page, stack }) => {
  const [room] = await stack.createRooms('Private Room');
  await page.goto(`${stack.url}/`);
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel('Dashboard password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('not right');

  await page.getByLabel('Dashboard password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#rooms-screen')).toBeVisible();
  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live');
  await expect(page.locator(`.room-row[data-key="meet:${room}"] .status-badge`)).toHaveText('OPEN');
  // Live updates flow through the signed-in stream.
  stack.meet.startMeeting(room!);
  await expect(page.locator(`.room-row[data-key="meet:${room}"] .status-badge`)).toHaveText('ACTIVE');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  const after = await page.request.get(`${stack.url}/api/state`);
  expect(after.status()).toBe(401);
});
