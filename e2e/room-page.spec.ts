// A room's page: reached by clicking its name in the Rooms list, it shows the room's timeline from the
// stored log — a scripted LiveKit meeting's start, joins, end and recording, followed live — and every
// webhook, each opening in the event inspector; with no serious accessibility violation.
import { expect, openDashboard } from './fixtures.js';
import { expectNoSeriousViolations } from './axe.js';
import { PLATFORM_ENV, test } from './platform-sims.js';

test.use({ stackOptions: { env: PLATFORM_ENV } });

test("a room's timeline after a scripted meeting: start, joins, end and recording, live; each webhook opens its detail", async ({ page, stack, sims }) => {
  const livekit = sims.livekit!;
  const sid = livekit.startRoom('Customer Call');
  const dana = livekit.join('Customer Call', 'Dana');
  livekit.join('Customer Call', 'Eve');
  await sims.idle();

  await openDashboard(page, stack);
  await page.locator(`.room-row[data-key="livekit:${sid}"] .room-name`).click();
  await expect(page).toHaveURL(new RegExp(`#/rooms/livekit/${sid}$`));
  await expect(page.locator('#room-title')).toHaveText('Customer Call');
  const meetings = page.locator('#room-meetings .timeline-meeting');
  await expect(meetings).toHaveCount(1);
  await expect(meetings.first()).toHaveAttribute('data-state', 'on');
  await expect(meetings.first().locator('.meeting-end')).toHaveText('Ended on now');
  await expect(meetings.first().locator('.meeting-duration')).toHaveText(/^Lasted less than a minute so far$/);
  await expect(meetings.first().locator('.meeting-participants')).toHaveText('2 joined, at most 2 at once');

  // The rest of the meeting happens while the page shows.
  const egress = livekit.startEgress('Customer Call');
  const recording = page.locator('#room-recordings .timeline-recording');
  // Recording, before it is stopped.
  await expect(recording.locator('.status-badge')).toHaveText('ACTIVE');
  livekit.leave('Customer Call', dana);
  livekit.join('Customer Call', 'Finn');
  livekit.stopEgress(egress);
  livekit.finishRoom('Customer Call');
  await sims.idle();

  await expect(meetings.first()).toHaveAttribute('data-state', 'ended');
  await expect(meetings.first().locator('.meeting-start')).toHaveText(/^Started \w/);
  await expect(meetings.first().locator('.meeting-end')).not.toHaveText(/on now|unknown/);
  await expect(meetings.first().locator('.meeting-duration')).toHaveText(/^Lasted \d+s$/);
  await expect(meetings.first().locator('.meeting-participants')).toHaveText('3 joined, at most 2 at once');
  await expect(recording).toHaveCount(1);
  await expect(recording.locator('.status-badge')).toHaveText('COMPLETE');

  const types = page.locator('#room-webhooks tr td:nth-child(3)');
  await expect(types.last()).toHaveText('room_started');
  await expect(page.locator('#room-webhooks tr', { hasText: 'egress_ended' })).toHaveCount(1);
  expect(await types.allTextContents()).toEqual(expect.arrayContaining(['participant_joined', 'participant_left', 'egress_started', 'room_finished']));
  await expect(page.locator('#room-webhooks-status')).toHaveText(/^\d+ webhooks, newest first · live$/);

  const finished = page.locator('#room-webhooks tr', { hasText: 'room_finished' });
  const seq = await finished.getAttribute('data-seq');
  await finished.locator('a.event-link').click();
  await expect(page).toHaveURL(new RegExp(`#/events/${seq}$`));
  await expect(page.locator('#event-title')).toHaveText(`#${seq} room_finished`);
});

test("a room's page has no serious or critical accessibility violation", async ({ page, stack, sims }) => {
  const sid = sims.livekit!.startRoom('Customer Call');
  sims.livekit!.join('Customer Call', 'Dana');
  await sims.idle();
  await openDashboard(page, stack, `#/rooms/livekit/${sid}`);
  await expect(page.locator('#room-meetings .timeline-meeting')).toHaveCount(1);
  await expect(page.locator('#room-webhooks tr')).toHaveCount(2);
  await expectNoSeriousViolations(page, "a room's page");
});

test("on a phone (390 px) a room's page does not scroll sideways", async ({ page, stack, sims }) => {
  const sid = sims.livekit!.startRoom('A customer call with a rather long name for a small screen');
  sims.livekit!.join('A customer call with a rather long name for a small screen', 'Dana');
  await sims.idle();
  await page.setViewportSize({ width: 390, height: 844 });
  await openDashboard(page, stack, `#/rooms/livekit/${sid}`);
  await expect(page.locator('#room-webhooks tr')).toHaveCount(2);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
});
