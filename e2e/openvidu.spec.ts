// OpenVidu 2 managed from the dashboard through its REST API (the simulator's, tools/platform-sim/
// openvidu-rest.ts): a recording plays in the page, a session is closed from its row, and an API that
// stops answering is named in the banner with the URL roomwatch tried.
import { expect, openDashboard, test as base } from './fixtures.js';
import { OpenViduSimulator } from '../tools/platform-sim/openvidu.js';

const SECRET = 'e2e-openvidu-secret';

/** What the test reads of a <video> (the e2e code has no DOM types). */
interface VideoElement {
  muted: boolean;
  currentTime: number;
  videoWidth: number;
  videoHeight: number;
  play(): Promise<void>;
}
const HEADERS = [['Authorization', 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']] as [string, string][];

const test = base.extend<{ served: { sim: OpenViduSimulator; url: string }; openvidu: OpenViduSimulator }>({
  // The simulator's API first: roomwatch is started with its URL.
  // Playwright reads a fixture's dependencies from this pattern; this one has none.
  // eslint-disable-next-line no-empty-pattern
  served: async ({}, use) => {
    const sim = new OpenViduSimulator({ settings: { headers: HEADERS }, secret: SECRET, readyAfterMs: 200 });
    const url = await sim.serve();
    await use({ sim, url });
    sim.stop();
  },
  stackOptions: async ({ served }, use) => {
    await use({ env: { OPENVIDU_WEBHOOK_HEADERS: JSON.stringify(HEADERS.map(([name, value]) => `${name}: ${value}`)), OPENVIDU_URL: served.url, OPENVIDU_SECRET: SECRET } });
  },
  // Then its webhooks go to that roomwatch.
  openvidu: async ({ served, stack }, use) => {
    served.sim.setWebhookUrl(`${stack.url}/webhook/openvidu`);
    await use(served.sim);
  },
});

test('an OpenVidu 2 recording plays in the page, its file relayed by roomwatch', async ({ page, stack, openvidu }) => {
  const sessionId = openvidu.createSession('Sprint Review');
  const ana = openvidu.join(sessionId, 'Ana');
  const recordingId = openvidu.startRecording(sessionId);
  openvidu.leave(ana);
  await openvidu.idle();
  await openDashboard(page, stack, '#/recordings');

  const row = page.locator(`.recording-row[data-key="openvidu:${recordingId}"]`);
  await expect(row.locator('.status-badge')).toHaveText('COMPLETE');
  await expect(row.locator('.source-tag')).toHaveText('openvidu 2');
  await row.getByRole('button', { name: 'Play' }).click();
  await expect(page).toHaveURL(new RegExp(`#/play/openvidu/${recordingId}$`));

  const video = page.locator('#player-screen video');
  await expect(video).toHaveAttribute('src', `api/platforms/openvidu/recordings/${recordingId}/media`);
  // It really plays: the browser decodes frames of the file (320×180) and the clock moves.
  await video.evaluate((node) => {
    const element = node as unknown as VideoElement;
    element.muted = true;
    return element.play();
  });
  await expect.poll(() => video.evaluate((node) => (node as unknown as VideoElement).currentTime), { timeout: 10_000 }).toBeGreaterThan(0.3);
  expect(await video.evaluate((node) => [(node as unknown as VideoElement).videoWidth, (node as unknown as VideoElement).videoHeight])).toEqual([320, 180]);

  await page.getByRole('link', { name: 'Back to recordings' }).click();
  await expect(row).toBeVisible();
  await expect(page.locator('#player-screen video')).toHaveCount(0);
});

test('closing an OpenVidu 2 session from the dashboard turns it CLOSED', async ({ page, stack, openvidu }) => {
  const sessionId = openvidu.createSession('Standup');
  openvidu.join(sessionId, 'Ana');
  openvidu.join(sessionId, 'Bruno');
  const { uniqueSessionId } = openvidu.sessions().find((session) => session.sessionId === sessionId)!;
  await openDashboard(page, stack);

  const row = page.locator(`.room-row[data-key="openvidu:${uniqueSessionId}"]`);
  await expect(row.locator('.room-participants')).toHaveText('2 participants');
  await row.getByRole('button', { name: 'Close session' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Everyone in it is disconnected and its recording stops.');
  await dialog.getByRole('button', { name: 'Close session' }).click();

  await expect(row.locator('.status-badge')).toHaveText('CLOSED');
  await expect(page.locator('.toast', { hasText: 'Session Standup closed' })).toBeVisible();
  expect(openvidu.sessions()).toEqual([]);
  // A closed session offers the action no more.
  await expect(row.getByRole('button', { name: 'Close session' })).toBeDisabled();
});

test('when the OpenVidu 2 API stops answering, the banner names it and where roomwatch looked', async ({ page, stack, served, openvidu }) => {
  const sessionId = openvidu.createSession('Watched Anyway');
  openvidu.join(sessionId, 'Ana');
  await openDashboard(page, stack);
  const banner = page.locator('#api-banner');
  await expect(banner.locator('[data-source="openvidu"]')).toHaveCount(0);

  openvidu.stop();
  await page.getByRole('button', { name: 'Refresh' }).first().click();
  const line = banner.locator('[data-source="openvidu"]');
  await expect(line).toContainText(`The OpenVidu 2 API at ${served.url}/openvidu/api is not answering (`);
  await expect(line).toContainText('its rooms and recordings shown are from webhooks.');
  await expect(page.locator('.room-row', { hasText: 'Watched-Anyway' })).toBeVisible();
});
