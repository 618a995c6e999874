// A forwarded webhook passes the check the app behind roomwatch already has for its platform: signed now,
// with roomwatch's credentials, as the platform signs (verifiers in helpers/downstream-verifiers.ts, each
// written from the platform's documentation, LiveKit's being LiveKit's own SDK).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './helpers/server.js';
import { MEET_KEY, meetingStarted } from './helpers/meet.js';
import { startForwardTarget, type ReceivedDelivery } from './helpers/forward-target.js';
import { enablexAccepts, livekitReceives, liveswitchAccepts, meetTutorialAccepts } from './helpers/downstream-verifiers.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import { signLiveSwitchWebhook } from '../server/platforms/liveswitch/sign.js';
import { basicAuthorization } from '../server/platforms/enablex/sign.js';

const LIVEKIT = { key: 'devkey', secret: 'a-livekit-secret-of-32-characters!' };
const ENABLEX = { user: 'enx', password: 'enx-password' };
const LIVESWITCH = 'liveswitch-secret';
const OPENVIDU_AUTH = 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU';

test('each platform’s webhook reaches the app signed so that its own check accepts it', async (t) => {
  const target = await startForwardTarget();
  t.after(() => target.close());
  const server = await startTestServer({
    FORWARD_TO: target.url,
    OPENVIDU_WEBHOOK_HEADERS: JSON.stringify([`Authorization: ${OPENVIDU_AUTH}`]),
    LIVEKIT_API_KEY: LIVEKIT.key,
    LIVEKIT_API_SECRET: LIVEKIT.secret,
    LIVESWITCH_SHARED_SECRET: LIVESWITCH,
    ENABLEX_WEBHOOK_USER: ENABLEX.user,
    ENABLEX_WEBHOOK_PASSWORD: ENABLEX.password,
  });
  t.after(() => server.dispose());

  const meet = meetingStarted();
  const livekit = `{"event":"room_started","id":"EV_forwarded","createdAt":"${Math.floor(Date.now() / 1000)}","room":{"sid":"RM_fw","name":"daily-standup","creationTime":"1628545903"}}`;
  const liveswitch = `{"timestamp":${Date.now()},"type":"channel.activated","channelId":"standup"}`;
  const enablex = '{"type":"roomdrop","trans_date":1614321234,"app_id":"5f1a","room_id":"60a1","conf_num":"123456"}';
  const openvidu = `{"sessionId":"ses_A","uniqueSessionId":"ses_A_1","timestamp":${Date.now()},"event":"sessionCreated"}`;
  const sends: [string, string, Record<string, string>][] = [
    ['/webhook', meet.body, meet.headers],
    ['/webhook/livekit', livekit, { authorization: await signLiveKitWebhook(LIVEKIT, livekit), 'content-type': 'application/webhook+json' }],
    ['/webhook/liveswitch', liveswitch, { 'x-applicationsignature': signLiveSwitchWebhook(LIVESWITCH, liveswitch), 'content-type': 'application/json' }],
    ['/webhook/enablex', enablex, { authorization: basicAuthorization(ENABLEX), 'content-type': 'application/json' }],
    ['/webhook/openvidu', openvidu, { authorization: OPENVIDU_AUTH, 'content-type': 'application/json' }],
  ];
  const seqs: number[] = [];
  for (const [path, body, headers] of sends) {
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
    assert.equal(response.status, 200, path);
    seqs.push(((await response.json()) as { stored: number[] }).stored[0]!);
  }
  await target.waitFor((received) => received.length === sends.length);
  const bySeq = new Map<number, ReceivedDelivery>(target.received.map((request) => [request.delivery, request]));
  const [meetSeq, livekitSeq, liveswitchSeq, enablexSeq, openviduSeq] = seqs as [number, number, number, number, number];

  const forwardedMeet = bySeq.get(meetSeq)!;
  assert.equal(forwardedMeet.body, meet.body, 'Meet: the body as Meet sent it');
  assert.ok(meetTutorialAccepts(forwardedMeet, MEET_KEY), 'Meet: the tutorial accepts it');
  assert.notEqual(forwardedMeet.headers['x-signature'], meet.headers['x-signature'], 'Meet: signed afresh');

  const forwardedLiveKit = bySeq.get(livekitSeq)!;
  assert.equal(forwardedLiveKit.body, livekit);
  assert.equal((await livekitReceives(forwardedLiveKit, LIVEKIT.key, LIVEKIT.secret)).id, 'EV_forwarded', "LiveKit's WebhookReceiver accepts it");
  await assert.rejects(livekitReceives(forwardedLiveKit, LIVEKIT.key, 'another-secret-of-32-characters!!!'), 'and only with the right secret');

  assert.ok(liveswitchAccepts(bySeq.get(liveswitchSeq)!, LIVESWITCH), 'LiveSwitch: X-ApplicationSignature');
  assert.ok(!liveswitchAccepts(bySeq.get(liveswitchSeq)!, 'another-secret'));
  assert.ok(enablexAccepts(bySeq.get(enablexSeq)!, ENABLEX.user, ENABLEX.password), 'EnableX: Basic');
  assert.equal(bySeq.get(openviduSeq)!.headers.authorization, OPENVIDU_AUTH, 'OpenVidu 2: the configured header');
  for (const request of target.received) assert.equal(request.headers['x-roomwatch-delivery'], String(request.delivery));
});
