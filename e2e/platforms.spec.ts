// Rooms of every platform on one screen: OpenVidu 2, LiveKit, LiveSwitch and EnableX rows appear next to
// Meet's with their platform label and follow their webhooks, sent by the platform simulators (or, for
// a single precise event, by the trigger's payload builders) with each platform's own authentication.
import type { Page } from '@playwright/test';
import { expect, openDashboard, roomRow } from './fixtures.js';
import { PLATFORM_ENV, PLATFORM_SETTINGS, test } from './platform-sims.js';
import { deliver } from '../tools/platforms/deliver.js';
import { openviduBody, openviduSession, sessionCreated } from '../tools/platforms/openvidu.js';

test.use({ stackOptions: { env: PLATFORM_ENV } });

/** A row of any platform, by its source and room id. */
const platformRow = (page: Page, source: string, roomId: string) => page.locator(`.room-row[data-key="${source}:${roomId}"]`);

test('LiveKit, OpenVidu 2, LiveSwitch and EnableX rooms appear next to Meet rooms, each with its platform label', async ({ page, stack, sims }) => {
  const [standup] = await stack.createRooms('Daily Standup');
  await openDashboard(page, stack);

  const livekitSid = sims.livekit!.startRoom('Customer Call');
  sims.livekit!.join('Customer Call', 'Dana');
  sims.livekit!.join('Customer Call', 'Eve');
  const sessionId = sims.openvidu!.createSession('Sprint Planning');
  sims.openvidu!.join(sessionId, 'Ana');
  sims.liveswitch!.join('Support Desk', 'Frank');
  const enablex = sims.enablex!.startSession('Town Hall');
  sims.enablex!.endSession('Town Hall'); // EnableX announces a session only when it ends
  await sims.idle();
  const { uniqueSessionId } = sims.openvidu!.sessions().find((session) => session.sessionId === sessionId)!;

  const meet = roomRow(page, stack, standup!);
  const livekit = platformRow(page, 'livekit', livekitSid);
  const openvidu = platformRow(page, 'openvidu', uniqueSessionId);
  const liveswitch = platformRow(page, 'liveswitch', 'support-desk');
  const enablexRow = platformRow(page, 'enablex', `${enablex.roomId}:${enablex.confNum}`);

  await expect(meet.locator('.source-tag')).toHaveText('meet');
  await expect(meet.locator('.status-badge')).toHaveText('OPEN');

  await expect(livekit).toContainText('Customer Call');
  await expect(livekit.locator('.source-tag')).toHaveText('livekit');
  await expect(livekit.locator('.source-tag')).toHaveAttribute('title', 'LiveKit / OpenVidu 3');
  await expect(livekit.locator('.status-badge')).toHaveText('ACTIVE');
  await expect(livekit.locator('.room-participants')).toHaveText('2 participants');

  await expect(openvidu).toContainText('Sprint-Planning');
  await expect(openvidu.locator('.source-tag')).toHaveText('openvidu 2');
  await expect(openvidu.locator('.status-badge')).toHaveText('ACTIVE');
  await expect(openvidu.locator('.room-participants')).toHaveText('1 participant');

  await expect(liveswitch.locator('.source-tag')).toHaveText('liveswitch');
  await expect(liveswitch.locator('.status-badge')).toHaveText('ACTIVE');

  await expect(enablexRow.locator('.source-tag')).toHaveText('enablex');
  await expect(enablexRow.locator('.status-badge')).toHaveText('CLOSED');

  // Five platforms, one list; only Meet's row can be joined from here: the others offer no join at all.
  await expect(page.locator('.room-row')).toHaveCount(5);
  await expect(livekit.getByRole('button', { name: 'Moderator' })).toHaveCount(0);
  await expect(meet.getByRole('button', { name: 'Moderator' }).first()).toBeEnabled();
});

test('a LiveKit room_finished turns its badge CLOSED, live', async ({ page, stack, sims }) => {
  await openDashboard(page, stack);
  const sid = sims.livekit!.startRoom('Customer Call');
  sims.livekit!.join('Customer Call', 'Dana');
  const row = platformRow(page, 'livekit', sid);
  await expect(row.locator('.status-badge')).toHaveText('ACTIVE');
  await expect(row.locator('.room-participants')).toHaveText('1 participant');

  sims.livekit!.finishRoom('Customer Call');
  await expect(row.locator('.status-badge')).toHaveText('CLOSED');
  await expect(row.locator('.status-badge')).toHaveClass(/bg-warning/);
  await expect(row.locator('.room-participants')).toHaveText('no participants');
});

test('an OpenVidu 2 sessionCreated makes an ACTIVE row; sessionDestroyed closes it and the recording is ready after it', async ({ page, stack, sims }) => {
  await openDashboard(page, stack);
  // One exact webhook, as `npm run trigger -- --source openvidu sessionCreated` sends it.
  const session = openviduSession('Design Review', Date.now());
  const answer = await deliver('openvidu', openviduBody(sessionCreated(session)), { url: stack.url, settings: PLATFORM_SETTINGS });
  expect(answer.status).toBe(200);
  const row = platformRow(page, 'openvidu', session.uniqueSessionId);
  await expect(row.locator('.status-badge')).toHaveText('ACTIVE');
  await expect(row.locator('.source-tag')).toHaveText('openvidu 2');
  await expect(row).toContainText('Design-Review');

  // A whole session from the simulator: recording stopped by the last participant leaving.
  const id = sims.openvidu!.createSession('Code Review');
  const connection = sims.openvidu!.join(id, 'Ana');
  const recordingId = sims.openvidu!.startRecording(id);
  await sims.idle();
  const simulated = platformRow(page, 'openvidu', sims.openvidu!.sessions()[0]!.uniqueSessionId);
  await expect(simulated.locator('.status-badge')).toHaveText('ACTIVE');
  sims.openvidu!.leave(connection);
  await expect(simulated.locator('.status-badge')).toHaveText('CLOSED');

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Recordings' }).click();
  const recording = page.locator(`.recording-row[data-key="openvidu:${recordingId}"]`);
  await expect(recording.locator('.status-badge')).toHaveText('COMPLETE');
  await expect(recording.locator('.source-tag')).toHaveText('openvidu 2');
});

test('a LiveKit egress shows as a recording that completes with its file', async ({ page, stack, sims }) => {
  await openDashboard(page, stack, '#/recordings');
  sims.livekit!.join('Product Demo', 'Dana');
  const egressId = sims.livekit!.startEgress('Product Demo');
  const recording = page.locator(`.recording-row[data-key="livekit:${egressId}"]`);
  await expect(recording.locator('.status-badge')).toHaveText(/STARTING|ACTIVE/);
  await expect(recording.locator('.status-badge')).toHaveText('ACTIVE');
  sims.livekit!.stopEgress(egressId);
  await expect(recording.locator('.status-badge')).toHaveText('COMPLETE');
  await expect(recording.locator('.recording-files')).toContainText('.mp4');
});

test('webhooks with wrong authentication change nothing on the screen', async ({ page, stack }) => {
  await openDashboard(page, stack);
  const session = openviduSession('Intruder Room', Date.now());
  const body = openviduBody(sessionCreated(session));
  for (const tamper of ['bad-signature', 'missing-auth'] as const) {
    const answer = await deliver('openvidu', body, { url: stack.url, settings: PLATFORM_SETTINGS, tamper });
    expect(answer.status).toBe(401);
  }
  // A genuine one afterwards is shown, so the page was listening all along.
  const genuine = openviduSession('Genuine Room', Date.now());
  await deliver('openvidu', openviduBody(sessionCreated(genuine)), { url: stack.url, settings: PLATFORM_SETTINGS });
  await expect(platformRow(page, 'openvidu', genuine.uniqueSessionId)).toBeVisible();
  await expect(platformRow(page, 'openvidu', session.uniqueSessionId)).toHaveCount(0);
});
