// The documentation's screenshots of the Setup screen, a room's page and the Usage screen, taken from the
// real page against the simulators. Skipped unless SCREENSHOTS_DIR names where to write them:
//   SCREENSHOTS_DIR=docs/screenshots npx playwright test e2e/screenshots.spec.ts
import path from 'node:path';
import { expect, openDashboard } from './fixtures.js';
import { PLATFORM_ENV, PLATFORM_SETTINGS, test } from './platform-sims.js';
import { createPlatformSimulators } from '../tools/platform-sim/index.js';
import { meetDelivery } from '../test/helpers/meet.js';

const dir = process.env.SCREENSHOTS_DIR;
test.skip(!dir, 'set SCREENSHOTS_DIR to write the documentation screenshots');
test.use({ stackOptions: { env: PLATFORM_ENV }, viewport: { width: 1200, height: 1000 } });

test('Setup: a platform delivering, one with a refusal, one silent while its room shows a meeting', async ({ page, stack, sims }) => {
  stack.meet.setWebhooksEnabled(false);
  const { roomId } = stack.meet.createRoom('Daily Standup');
  stack.meet.startMeeting(roomId);
  await stack.reconcileUntil((snapshot) => snapshot.rooms.some((row) => row.roomId === roomId && row.status === 'active_meeting'));
  stack.clock.advance(3 * 60_000);
  const stale = meetDelivery('meetingStarted', { roomId }, { timestamp: stack.clock.now() - 312_000 });
  await fetch(`${stack.url}/webhook`, { method: 'POST', headers: stale.headers, body: stale.body });
  sims.livekit!.startRoom('Customer Call');
  sims.livekit!.join('Customer Call', 'Dana');
  await sims.idle();

  await openDashboard(page, stack, '#/setup');
  await expect(page.locator('.setup-platform[data-source="meet"] .setup-silence')).toBeVisible();
  await expect(page.locator('.setup-platform[data-source="livekit"] .setup-last-webhook a')).toBeVisible();
  await page.screenshot({ path: path.join(dir!, 'setup.png'), fullPage: false });
});

test("A room's page: an OpenVidu 2 session with its people, a recording and its webhooks", async ({ page, stack, sims }) => {
  const openvidu = sims.openvidu!;
  // roomwatch's clock moves on between steps, as in a real session (receive times make the timeline);
  // OpenVidu 2's webhooks carry no signed time, so they are accepted whatever the clocks say.
  const step = async (minutes: number) => {
    await sims.idle();
    stack.clock.advance(minutes * 60_000);
  };
  const sessionId = openvidu.createSession('Sprint Planning');
  const { uniqueSessionId } = openvidu.sessions().find((session) => session.sessionId === sessionId)!;
  await step(1);
  const ana = openvidu.join(sessionId, 'Ana');
  await step(2);
  openvidu.join(sessionId, 'Bruno');
  await step(1);
  const recording = openvidu.startRecording(sessionId);
  await step(14);
  openvidu.leave(ana);
  await step(3);
  openvidu.join(sessionId, 'Chen');
  await step(4);
  openvidu.stopRecording(recording);
  await step(1);
  openvidu.closeSession(sessionId);
  await sims.idle();

  await openDashboard(page, stack, `#/rooms/openvidu/${uniqueSessionId}`);
  await expect(page.locator('#room-recordings .status-badge')).toHaveText('COMPLETE');
  await expect(page.locator('#room-meetings .timeline-meeting')).toHaveAttribute('data-state', 'ended');
  await page.screenshot({ path: path.join(dir!, 'room.png'), fullPage: true });
});

test('Usage: a working day of OpenVidu 2 and LiveKit meetings, some at the same time, over the last 24 hours', async ({ page, stack }) => {
  // Simulators on roomwatch's clock, which the test moves on through the day: the platforms' own times
  // (which meetings are counted by) and roomwatch's receive times agree, as they do in real use.
  const sims = createPlatformSimulators(PLATFORM_SETTINGS, stack.url, { openvidu: { clock: stack.clock.now }, livekit: { clock: stack.clock.now } });
  try {
    const { openvidu, livekit } = { openvidu: sims.openvidu!, livekit: sims.livekit! };
    const step = async (minutes: number) => {
      await sims.idle();
      stack.clock.advance(minutes * 60_000);
    };
    // From the morning to the evening: stand-ups, planning beside customer calls, a long workshop.
    const day: [name: string, people: string[], minutes: number, pause: number][] = [
      ['Standup', ['Ana', 'Bruno', 'Chen'], 15, 45],
      ['Sprint Planning', ['Ana', 'Dana'], 50, 20],
      ['Customer Call', ['Bruno', 'Eve'], 35, 60],
      ['Design Workshop', ['Chen', 'Dana', 'Eve', 'Finn'], 95, 30],
      ['Support', ['Gus'], 25, 90],
      ['Retrospective', ['Ana', 'Bruno', 'Chen', 'Dana'], 45, 40],
      ['Late Review', ['Eve', 'Finn'], 30, 10],
    ];
    for (const [name, people, minutes, pause] of day) {
      const sessionId = openvidu.createSession(name);
      const joined = people.map((person) => openvidu.join(sessionId, person));
      // A LiveKit call runs beside it for part of the time.
      livekit.startRoom(`${name} follow-up`);
      livekit.join(`${name} follow-up`, 'Ivy');
      await step(Math.round(minutes / 2));
      livekit.finishRoom(`${name} follow-up`);
      await step(minutes - Math.round(minutes / 2));
      // The last one to leave ends the session.
      for (const connection of joined) openvidu.leave(connection);
      await step(pause);
    }
    await sims.idle();

    // The browser's clock at roomwatch's, so the page's "updated" time is the end of that day too.
    await page.clock.install({ time: stack.clock.now() });
    await openDashboard(page, stack, '#/usage?range=24h');
    await expect(page.locator('#usage-webhooks .usage-chart canvas')).toHaveCount(1);
    await expect(page.locator('#usage-minutes-summary')).toContainText('LiveKit');
    await page.screenshot({ path: path.join(dir!, 'usage.png'), fullPage: true });
  } finally {
    sims.stop();
  }
});
