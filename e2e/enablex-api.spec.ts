// EnableX through its Server API, as a user sees it: a session that ended shows its room's name and who
// took part (EnableX's webhooks carry neither), and a banner names EnableX and where roomwatch looked
// when its API stops answering. The EnableX simulator serves the API (tools/platform-sim/enablex-api.ts).
import { test as base, expect, openDashboard, startStack, type Stack } from './fixtures.js';
import { EnableXSimulator } from '../tools/platform-sim/enablex.js';

const SETTINGS = { user: 'enablex-e2e', password: 'enablex-e2e-password', api: { appId: '5f1a2b3c4d5e6f7a8b9c0d1e', appKey: 'enablex-e2e-app-key', url: '' } };

const test = base.extend<{ enablex: EnableXSimulator; apiUrl: string; stack: Stack }>({
  // Playwright reads a fixture's dependencies from this pattern; this one has none.
  // eslint-disable-next-line no-empty-pattern
  enablex: async ({}, use) => {
    const enablex = new EnableXSimulator({ settings: SETTINGS, filesStepMs: 50 });
    await use(enablex);
    enablex.stop();
  },
  apiUrl: async ({ enablex }, use) => use(await enablex.serveApi()),
  stack: async ({ enablex, apiUrl }, use) => {
    const stack = await startStack({
      env: {
        ENABLEX_WEBHOOK_USER: SETTINGS.user,
        ENABLEX_WEBHOOK_PASSWORD: SETTINGS.password,
        ENABLEX_APP_ID: SETTINGS.api.appId,
        ENABLEX_APP_KEY: SETTINGS.api.appKey,
        ENABLEX_API_URL: apiUrl,
      },
    });
    enablex.setWebhookUrl(`${stack.url}/webhook/enablex`);
    await use(stack);
    await stack.dispose();
  },
});

test("a session that ended shows its room's name and who took part, from EnableX's API", async ({ page, stack, enablex }) => {
  await openDashboard(page, stack);
  const session = enablex.startSession('Town Hall');
  enablex.join('Town Hall', 'Ana');
  enablex.join('Town Hall', 'Bruno');
  enablex.endSession('Town Hall');

  const row = page.locator(`.room-row[data-key="enablex:${session.roomId}:${session.confNum}"]`);
  await expect(row.locator('.status-badge')).toHaveText('CLOSED');
  await expect(row.locator('.room-name')).toHaveText('Town Hall');
  await expect(row.locator('.room-attendance')).toHaveText('2 took part: Ana, Bruno');
  await expect(row.locator('.room-attendance')).toHaveAttribute('title', 'Ana, Bruno');
  await expect(row.locator('.room-participants')).toBeHidden();
});

test('when the EnableX API stops answering, a banner names EnableX and where roomwatch looked', async ({ page, stack, enablex, apiUrl }) => {
  await openDashboard(page, stack);
  const said = (platform: string) => page.getByRole('alert').filter({ hasText: `The ${platform} API at` });
  await expect(said('EnableX')).toHaveCount(0);

  await enablex.closeApi();
  await page.getByRole('button', { name: 'Refresh' }).first().click();
  const banner = said('EnableX');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(`The EnableX API at ${apiUrl}/video/v2 is not answering (`);
  await expect(banner).toContainText('connection refused');
  await expect(banner).toContainText('its rooms and recordings shown are from webhooks.');
  // Meet's API still answers: nothing is said of it.
  await expect(said('OpenVidu Meet')).toHaveCount(0);
});
