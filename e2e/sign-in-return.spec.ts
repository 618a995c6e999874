// With DASHBOARD_PASSWORD set: signing in returns to the address that was asked for (a bookmarked
// #/events?… link, or the screen that was open when the session ended), and the login page passes axe
// and shows its focus ring.
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe.js';
import { expect, test } from './fixtures.js';

const PASSWORD = 'correct horse battery staple';

test.use({ stackOptions: { env: { DASHBOARD_PASSWORD: PASSWORD } } });

async function signIn(page: Page, password = PASSWORD): Promise<void> {
  await page.getByLabel('Dashboard password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a bookmarked #/events?… link opens, filtered, once signed in, even after a wrong password', async ({ page, stack }) => {
  await page.goto(`${stack.url}/#/events?outcome=refused&source=meet`);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel('Dashboard password')).toBeVisible();

  await signIn(page, 'not the password');
  await expect(page.getByRole('alert')).toContainText('not right');
  await signIn(page);

  await expect(page).toHaveURL(`${stack.url}/#/events?outcome=refused&source=meet`);
  await expect(page.locator('#events-screen')).toBeVisible();
  await expect(page.locator('#events-outcome')).toHaveValue('refused');
  await expect(page.locator('#events-source')).toHaveValue('meet');
});

test('when the session ends while the page is open, signing in again returns to the screen that was showing', async ({ page, stack, context }) => {
  await page.goto(`${stack.url}/`);
  await signIn(page);
  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live');
  await context.clearCookies();

  // The Events screen asks the API for its list: 401, so the page goes to the login, saying where it was.
  await page.evaluate("window.location.hash = '#/events?outcome=accepted'");
  await expect(page).toHaveURL(/\/login\?next=/);
  await signIn(page);
  await expect(page).toHaveURL(`${stack.url}/#/events?outcome=accepted`);
  await expect(page.locator('#events-outcome')).toHaveValue('accepted');
});

test('axe: the login page, with and without its error, wide and on a phone', async ({ page, stack }) => {
  await page.goto(`${stack.url}/login`);
  await expectNoSeriousViolations(page, 'the login page');
  await signIn(page, 'not the password');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSeriousViolations(page, 'the login page with its error');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSeriousViolations(page, 'the login page on a phone');
});

test('the login page’s field and button show a 2 px focus ring', async ({ page, stack }) => {
  await page.goto(`${stack.url}/login`);
  for (const control of [page.getByLabel('Dashboard password'), page.getByRole('button', { name: 'Sign in' })]) {
    await control.focus();
    await expect(control).toHaveCSS('outline-style', 'solid');
    await expect(control).toHaveCSS('outline-width', '2px');
  }
});
