// The documentation's screenshots of the Setup screen and a room's page, taken from the real page against
// the simulators. Skipped unless SCREENSHOTS_DIR names where to write them:
//   SCREENSHOTS_DIR=docs/screenshots npx playwright test e2e/screenshots.spec.ts
import path from 'node:path';
import { expect, openDashboard } from './fixtures.js';
import { PLATFORM_ENV, test } from './platform-sims.js';
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
