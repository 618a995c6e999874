// GET /api/setup with several instances on one PostgreSQL database: what one instance received and refused
// shows in the setup report of every other one, and an instance started later reads the same back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlatformSetup, SetupReport } from '../server/setup/types.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { startTestServer } from './helpers/server.js';
import { meetDelivery, meetingStarted, post } from './helpers/meet.js';
import { rawRequest } from './helpers/raw-http.js';
import { openSse } from './helpers/sse.js';

async function meetSetup(url: string): Promise<PlatformSetup> {
  const response = await rawRequest(url, '/api/setup', { headers: { host: new URL(url).host } });
  assert.equal(response.status, 200, response.body);
  return (JSON.parse(response.body) as SetupReport).platforms.find((platform) => platform.id === 'meet')!;
}

/** What every instance must agree on (the webhook URL differs: it is each one's own address). */
const deliveries = ({ lastWebhook, lastRefusal, meetingsNow, silence }: PlatformSetup) => ({ lastWebhook, lastRefusal, meetingsNow, silence });

test('a webhook and a refusal sent to one instance show in the setup report of another on the same database, and of one started later', { skip: postgresSkipReason, timeout: 60_000 }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const env = { DATABASE_URL: database.url };
  const [a, b] = [await startTestServer(env), await startTestServer(env)];
  t.after(() => Promise.all([a.dispose(), b.dispose()]));
  const [onA, onB] = await Promise.all([openSse(`${a.url}/events`), openSse(`${b.url}/events`)]);
  t.after(() => [onA, onB].forEach((client) => client.close()));

  // B has reported on Meet already: what follows must reach a report it keeps up to date.
  assert.deepEqual(deliveries(await meetSetup(b.url)), { lastWebhook: null, lastRefusal: null, meetingsNow: 0, silence: null });

  assert.equal((await post(a.url, meetDelivery('meetingStarted', { roomId: 'standup' }, { key: 'not-the-key' }))).status, 401);
  // A streams the refusal once it has stored it.
  await onA.waitFor((frames) => frames.some((frame) => frame.event === 'refusal'));
  const refused = await meetSetup(b.url);
  assert.equal(refused.lastRefusal?.reason, 'signature_mismatch');
  assert.match(refused.lastRefusal?.hint ?? '', /^OV_MEET_API_KEY is not the key this Meet signs with/);
  assert.equal(refused.lastWebhook, null);

  const accepted = await post(a.url, meetingStarted('standup-k3j9x0q2m7a1b4c'));
  assert.equal(accepted.status, 200);
  const [seq] = accepted.json.stored as number[];
  // B's feed has brought the webhook and the room it opened once B streams that room.
  await onB.waitFor((frames) => frames.some((frame) => frame.event === 'room' && Number(frame.id) > seq!));
  const onBoth = await Promise.all([meetSetup(a.url), meetSetup(b.url)]);
  for (const meet of onBoth) {
    assert.deepEqual(meet.lastWebhook && { seq: meet.lastWebhook.seq, type: meet.lastWebhook.type }, { seq, type: 'meetingStarted' });
    assert.equal(meet.meetingsNow, 1);
    assert.equal(meet.lastRefusal?.reason, 'signature_mismatch');
  }
  assert.deepEqual(deliveries(onBoth[1]), deliveries(onBoth[0]), 'both instances report the same');

  // An instance started now reads the same back from the database.
  const c = await startTestServer(env);
  t.after(() => c.dispose());
  assert.deepEqual(deliveries(await meetSetup(c.url)), deliveries(onBoth[0]));
});
