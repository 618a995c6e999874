// roomwatch managing LiveKit through its server API (LIVEKIT_URL), against the LiveKit simulator's Twirp
// API (tools/platform-sim/livekit-api.ts) and its webhooks: reconciliation at start, on demand and after a
// room ends, order-safe against webhooks, every page of ListEgress; ending a room and stopping an egress
// from the dashboard's action route; a wrong secret and an API that does not answer said plainly.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardSnapshot, RecordingRow, RoomRow } from '../server/domain/rows.js';
import type { EventPage } from '../server/inspector/types.js';
import { LiveKitClient } from '../server/platforms/livekit/client.js';
import { PlatformUnreachableError } from '../server/platforms/shared/api-errors.js';
import { LiveKitSimulator, type LiveKitSimulatorOptions } from '../tools/platform-sim/livekit.js';
import { manualClock } from './helpers/clock.js';
import { freePort } from './helpers/process.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { openSse } from './helpers/sse.js';
import { eventually } from './helpers/stack.js';
import { unreachableUrl } from './helpers/unreachable.js';

const KEY = { key: 'devkey', secret: 'a-livekit-secret-of-32-characters!' };
const ENV = { LIVEKIT_API_KEY: KEY.key, LIVEKIT_API_SECRET: KEY.secret };

interface Setup {
  sim: LiveKitSimulator;
  roomwatch: TestServer;
  /** Points the simulator's webhooks at roomwatch (`false`: they are lost from now on). */
  webhooks(on: boolean): void;
}

/**
 * A simulator serving its API, then roomwatch reading it; `before` runs in between (what LiveKit did
 * before roomwatch started). Webhooks reach roomwatch unless `webhooks: false`.
 */
async function setup(
  t: TestContext,
  { sim: simOptions = {}, env = {}, webhooks = true, before, now }: { sim?: Partial<LiveKitSimulatorOptions>; env?: Record<string, string>; webhooks?: boolean; before?: (sim: LiveKitSimulator) => Promise<void> | void; now?: () => number } = {},
): Promise<Setup> {
  const sim = new LiveKitSimulator({ settings: { keys: [KEY] }, egressTiming: { startMs: 20, stopMs: 20 }, ...simOptions });
  const url = await sim.listen();
  await before?.(sim);
  const roomwatch = await startTestServer({ ...ENV, LIVEKIT_URL: url, ...env }, undefined, { now });
  const webhookUrl = `${roomwatch.url}/webhook/livekit`;
  sim.setWebhookUrl(webhooks ? webhookUrl : undefined);
  t.after(async () => {
    sim.stop();
    await roomwatch.dispose();
  });
  return { sim, roomwatch, webhooks: (on) => sim.setWebhookUrl(on ? webhookUrl : undefined) };
}

const state = async (roomwatch: TestServer) => (await (await fetch(`${roomwatch.url}/api/state`)).json()) as DashboardSnapshot;
const roomOf = (snapshot: DashboardSnapshot, sid: string) => snapshot.rooms.find((row): row is RoomRow => row.source === 'livekit' && row.roomId === sid);
const recordingOf = (snapshot: DashboardSnapshot, id: string) => snapshot.recordings.find((row): row is RecordingRow => row.source === 'livekit' && row.recordingId === id);
const until = (roomwatch: TestServer, check: (snapshot: DashboardSnapshot) => boolean) => eventually(() => state(roomwatch), check);

/** Asks for a read now and waits until roomwatch's state satisfies `check`. */
async function reconcileUntil(roomwatch: TestServer, check: (snapshot: DashboardSnapshot) => boolean): Promise<DashboardSnapshot> {
  assert.equal((await fetch(`${roomwatch.url}/api/reconcile`, { method: 'POST' })).status, 202);
  return until(roomwatch, check);
}

async function action(roomwatch: TestServer, name: string, id: string) {
  const response = await fetch(`${roomwatch.url}/api/platforms/livekit/actions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  return { status: response.status, body: (await response.json()) as { outcome?: string; message: string; error?: string } };
}

/** Until the simulator has finished the egress (its timers run on real time). */
async function egressEnds(sim: LiveKitSimulator, egressId: string): Promise<void> {
  await eventually(async () => sim.listEgressInfos({ roomName: '', egressId, active: true }).length, (running) => running === 0);
}

async function egressActive(sim: LiveKitSimulator, egressId: string): Promise<void> {
  await eventually(async () => sim.listEgressInfos({ roomName: '', egressId, active: false })[0]?.status, (status) => status === 'EGRESS_ACTIVE');
}

describe('reconciliation', () => {
  test('at start, rooms and egresses roomwatch never heard of appear: the people in a room (its egress is not one), its recording', async (t) => {
    let sid = '';
    let egressId = '';
    const { roomwatch } = await setup(t, {
      webhooks: false,
      before: async (sim) => {
        sid = sim.startRoom('Customer Call');
        sim.join('Customer Call', 'Dana');
        sim.join('Customer Call', 'Eve');
        egressId = sim.startEgress('Customer Call');
        await egressActive(sim, egressId);
      },
    });
    const snapshot = await until(roomwatch, (s) => roomOf(s, sid) !== undefined && recordingOf(s, egressId) !== undefined);
    assert.deepEqual(
      { name: roomOf(snapshot, sid)!.roomName, status: roomOf(snapshot, sid)!.status, participants: roomOf(snapshot, sid)!.participants },
      { name: 'Customer Call', status: 'active_meeting', participants: 2 },
    );
    assert.deepEqual({ status: recordingOf(snapshot, egressId)!.status, roomId: recordingOf(snapshot, egressId)!.roomId }, { status: 'active', roomId: sid });
    assert.equal(snapshot.platforms.livekit?.api?.state, 'reachable');
  });

  test('a room whose room_finished was lost turns closed at the next read, nobody in it; its recording and webhooks stay', async (t) => {
    const { sim, roomwatch } = await setup(t);
    const sid = sim.startRoom('Daily Standup');
    sim.join('Daily Standup', 'Ana');
    sim.join('Daily Standup', 'Ben');
    const egressId = sim.startEgress('Daily Standup');
    await egressActive(sim, egressId);
    sim.stopEgress(egressId);
    await egressEnds(sim, egressId);
    sim.finishRoom('Daily Standup', { loseRoomFinished: true });
    await sim.idle();
    assert.ok(!sim.deliveries().some((attempt) => attempt.events.includes('room_finished')));
    // Every webhook that was sent has arrived: the room still looks on.
    const before = await state(roomwatch);
    assert.deepEqual([roomOf(before, sid)?.status, roomOf(before, sid)?.participants], ['active_meeting', 0]);

    const healed = await reconcileUntil(roomwatch, (s) => roomOf(s, sid)?.status === 'closed');
    assert.equal(roomOf(healed, sid)!.participants, 0);
    assert.equal(recordingOf(healed, egressId)?.status, 'complete');
    const stored = (await (await fetch(`${roomwatch.url}/api/events?source=livekit`)).json()) as EventPage;
    const types = stored.entries.map((entry) => ('type' in entry ? entry.type : ''));
    assert.ok(types.includes('participant_joined'), 'its webhooks are kept');
    assert.ok(!types.includes('room_finished'));
  });

  test('after a room ends, roomwatch reads LiveKit again by itself, and an egress_ended that was lost heals', async (t) => {
    const { sim, roomwatch, webhooks } = await setup(t);
    sim.join('Daily Standup', 'Ana');
    const egressId = sim.startEgress('Daily Standup');
    await egressActive(sim, egressId);
    await sim.idle();
    await until(roomwatch, (s) => recordingOf(s, egressId)?.status === 'active');
    webhooks(false);
    sim.stopEgress(egressId);
    await egressEnds(sim, egressId);
    webhooks(true);
    sim.finishRoom('Daily Standup');
    // No read asked for: room_finished is what makes roomwatch look (RECONCILE_INTERVAL_MS is 5 minutes).
    const healed = await until(roomwatch, (s) => recordingOf(s, egressId)?.status === 'complete');
    assert.equal(recordingOf(healed, egressId)!.files?.length, 1);
    assert.ok(recordingOf(healed, egressId)!.size! > 0);
  });

  test('ListEgress is read page after page: every egress of a long list appears, stream egresses as their room\'s outputs', async (t) => {
    const ids: string[] = [];
    let sid = '';
    let stream = '';
    const { roomwatch } = await setup(t, {
      webhooks: false,
      sim: { egressPageSize: 2 },
      before: async (sim) => {
        sid = sim.startRoom('Town Hall');
        for (let i = 0; i < 5; i++) ids.push(sim.startEgress('Town Hall'));
        stream = sim.startEgress('Town Hall', 'stream');
        for (const id of ids) await egressActive(sim, id);
        await egressActive(sim, stream);
        ids.slice(0, 3).forEach((id) => sim.stopEgress(id));
        for (const id of ids.slice(0, 3)) await egressEnds(sim, id);
      },
    });
    const snapshot = await until(roomwatch, (s) => ids.every((id) => recordingOf(s, id) !== undefined));
    assert.deepEqual(
      ids.map((id) => recordingOf(snapshot, id)!.status),
      ['complete', 'complete', 'complete', 'active', 'active'],
    );
    assert.equal(recordingOf(snapshot, stream), undefined, 'a stream is not a recording');
    assert.deepEqual(roomOf(snapshot, sid)!.outputs, [{ id: stream, kind: 'stream', status: 'active' }]);
  });

  test('a LiveKit without an egress service (no Redis) still has its rooms read; recordings are left as webhooks say', async (t) => {
    let sid = '';
    const { roomwatch } = await setup(t, { webhooks: false, sim: { noEgressService: true }, before: (sim) => void (sid = sim.startRoom('Dev Room')) });
    const snapshot = await until(roomwatch, (s) => roomOf(s, sid) !== undefined);
    assert.equal(snapshot.platforms.livekit?.api?.state, 'reachable');
  });

  test('a read that started before a webhook was received does not overwrite it; one that started after does', async (t) => {
    const clock = manualClock();
    const sim = new LiveKitSimulator({ settings: { keys: [KEY] } });
    const gate = await holdingProxy(t, await sim.listen());
    const through = await startTestServer({ ...ENV, LIVEKIT_URL: gate.url }, undefined, { now: clock.now });
    t.after(async () => {
      sim.stop();
      await through.dispose();
    });
    sim.setWebhookUrl(`${through.url}/webhook/livekit`);
    const sid = sim.startRoom('Raced');
    const ana = sim.join('Raced', 'Ana');
    sim.join('Raced', 'Ben');
    await sim.idle();
    await until(through, (s) => roomOf(s, sid)?.participants === 2);
    // A room whose webhooks are lost: only a merged read brings it, which shows when the read is done.
    sim.setWebhookUrl(undefined);
    const marker = sim.startRoom('Marker');
    sim.setWebhookUrl(`${through.url}/webhook/livekit`);

    // The read sees Ana and Ben; Ana's leave is received while that answer is held.
    const held = gate.holdNext('ListParticipants', 'Raced');
    assert.equal((await fetch(`${through.url}/api/reconcile`, { method: 'POST' })).status, 202);
    await held.answered;
    clock.advance(1000);
    sim.leave('Raced', ana);
    await sim.idle();
    await until(through, (s) => roomOf(s, sid)?.participants === 1);
    clock.advance(1000);
    held.release();
    const merged = await until(through, (s) => roomOf(s, marker) !== undefined);
    assert.equal(roomOf(merged, sid)!.participants, 1);

    // A read that starts later is newer than that webhook: Cleo, whose join was lost, is counted.
    sim.setWebhookUrl(undefined);
    sim.join('Raced', 'Cleo');
    clock.advance(1000);
    await reconcileUntil(through, (s) => roomOf(s, sid)?.participants === 2);
  });
});

describe('actions', () => {
  test('End: LiveKit ends the room for everyone (DeleteRoom by its name); the row closes; room_finished follows', async (t) => {
    const { sim, roomwatch } = await setup(t);
    const sid = sim.startRoom('Customer Call');
    sim.join('Customer Call', 'Dana');
    await sim.idle();
    await until(roomwatch, (s) => roomOf(s, sid)?.participants === 1);
    const ended = await action(roomwatch, 'endRoom', sid);
    assert.deepEqual([ended.status, ended.body.outcome, ended.body.message], [200, 'room_ended', 'LiveKit ended Customer Call']);
    assert.deepEqual(sim.roomsView(), []);
    const snapshot = await state(roomwatch);
    assert.deepEqual([roomOf(snapshot, sid)!.status, roomOf(snapshot, sid)!.participants], ['closed', 0]);
    await sim.idle();
    assert.ok(sim.deliveries().some((attempt) => attempt.events.includes('room_finished')));
    // And again: it has ended.
    assert.deepEqual([(await action(roomwatch, 'endRoom', sid)).status, (await action(roomwatch, 'endRoom', sid)).body.error], [409, 'room_closed']);
  });

  test('End on a room that had already ended, whose name a newer room now uses: the row closes, the newer room is left alone', async (t) => {
    const { sim, roomwatch } = await setup(t);
    const sid = sim.startRoom('Standup');
    await sim.idle();
    await until(roomwatch, (s) => roomOf(s, sid) !== undefined);
    sim.finishRoom('Standup', { loseRoomFinished: true });
    const newer = sim.startRoom('Standup');
    const ended = await action(roomwatch, 'endRoom', sid);
    assert.equal(ended.status, 200);
    assert.equal(ended.body.outcome, 'room_already_ended');
    assert.match(ended.body.message, /a newer room of that name is running and was left alone/);
    assert.deepEqual(sim.roomsView().map((room) => room.sid), [newer]);
    assert.equal(roomOf(await state(roomwatch), sid)!.status, 'closed');
  });

  test('Stop: LiveKit stops the egress; the recording is ending at once, and complete with its file at the read that follows', async (t) => {
    const { sim, roomwatch, webhooks } = await setup(t, { sim: { egressTiming: { startMs: 20, stopMs: 300 } } });
    sim.join('Daily Standup', 'Ana');
    const egressId = sim.startEgress('Daily Standup');
    await egressActive(sim, egressId);
    await sim.idle();
    await until(roomwatch, (s) => recordingOf(s, egressId)?.status === 'active');
    // What follows reaches roomwatch by no webhook: only the action's answer and the read after it.
    webhooks(false);
    const stopped = await action(roomwatch, 'stopEgress', egressId);
    assert.deepEqual([stopped.status, stopped.body.outcome], [200, 'egress_stopping']);
    assert.equal(recordingOf(await state(roomwatch), egressId)!.status, 'ending');
    const done = await until(roomwatch, (s) => recordingOf(s, egressId)?.status === 'complete');
    assert.equal(recordingOf(done, egressId)!.files?.[0]?.kind, 'file');

    // LiveKit's own refusals, as it words them.
    const again = await action(roomwatch, 'stopEgress', egressId);
    assert.deepEqual([again.status, again.body.error], [412, 'failed_precondition']);
    assert.match(again.body.message, /egress with status EGRESS_COMPLETE cannot be stopped/);
    const unknown = await action(roomwatch, 'stopEgress', 'EG_000000000000');
    assert.deepEqual([unknown.status, unknown.body.error], [404, 'not_found']);
  });

  test("Stop on a stream egress (the route allows it): no recording appears; its room's output ends at the read that follows", async (t) => {
    const { sim, roomwatch, webhooks } = await setup(t, { sim: { egressTiming: { startMs: 20, stopMs: 50 } } });
    const sid = sim.startRoom('Launch');
    sim.join('Launch', 'Ana');
    const stream = sim.startEgress('Launch', 'stream');
    await egressActive(sim, stream);
    await sim.idle();
    await until(roomwatch, (s) => roomOf(s, sid)?.outputs?.[0]?.status === 'active');
    webhooks(false);
    assert.equal((await action(roomwatch, 'stopEgress', stream)).status, 200);
    const ended = await until(roomwatch, (s) => roomOf(s, sid)?.outputs?.[0]?.status === 'complete');
    assert.equal(recordingOf(ended, stream), undefined);
  });

  test('ids are checked before LiveKit is asked: a room id for Stop, an egress id for End, anything else', async (t) => {
    const { roomwatch } = await setup(t);
    for (const [name, id] of [
      ['stopEgress', 'RM_abcdefabcdef'],
      ['endRoom', 'EG_abcdefabcdef'],
      ['endRoom', '../twirp'],
    ]) {
      assert.equal((await action(roomwatch, name!, id!)).status, 400, `${name} ${id}`);
    }
    assert.equal((await action(roomwatch, 'endRoom', 'RM_notknownhere')).status, 404);
  });
});

describe('when LiveKit cannot be used', () => {
  test('a wrong secret: the API status says LiveKit refused roomwatch\'s token, and where it looked; an action answers 502 saying so (a 401 would send the page to sign in)', async (t) => {
    let sid = '';
    const { roomwatch } = await setup(t, { env: { LIVEKIT_API_SECRET: 'not-the-secret-livekit-has-for-it' }, webhooks: false, before: (sim) => void (sid = sim.startRoom('Room')) });
    const snapshot = await until(roomwatch, (s) => s.platforms.livekit?.api?.state === 'unreachable');
    const api = snapshot.platforms.livekit!.api!;
    assert.match(String(api.url), /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(api.error!, /LiveKit refused roomwatch's token for ListRooms \(invalid authorization token: signature verification failed\)/);
    assert.match(api.error!, /LIVEKIT_API_KEY/);
    const refused = await action(roomwatch, 'endRoom', 'RM_abcdefabcdef');
    assert.equal(refused.status, 404, 'a room roomwatch does not know is refused before LiveKit is asked');
    const stop = await action(roomwatch, 'stopEgress', 'EG_abcdefabcdef');
    assert.equal(stop.status, 502);
    assert.match(stop.body.message, /refused roomwatch's token for StopEgress/);
    assert.equal(roomOf(snapshot, sid), undefined);
  });

  test('LiveKit not answering: the status says where roomwatch looked, rooms still come from webhooks, an action answers 503', async (t) => {
    const nowhere = await unreachableUrl();
    const { sim, roomwatch } = await setup(t, { env: { LIVEKIT_URL: nowhere } });
    const sid = sim.startRoom('Offline');
    sim.join('Offline', 'Ana');
    await sim.idle();
    const snapshot = await until(roomwatch, (s) => s.platforms.livekit?.api?.state === 'unreachable' && roomOf(s, sid)?.participants === 1);
    assert.equal(snapshot.platforms.livekit!.api!.url, nowhere);
    assert.match(snapshot.platforms.livekit!.api!.error!, new RegExp(`^LiveKit / OpenVidu 3 at ${nowhere} is not answering: `));
    const ended = await action(roomwatch, 'endRoom', sid);
    assert.deepEqual([ended.status, ended.body.error], [503, 'livekit_unreachable']);
    assert.match(ended.body.message, new RegExp(`at ${nowhere} is not answering`));
  });

  test('a LiveKit that takes too long: each call gives up at its timeout, saying so and where', async (t) => {
    const silent = http.createServer(() => {
      // reads the request, never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      silent.closeAllConnections();
      silent.close();
    });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const client = new LiveKitClient({ url, key: KEY, timeoutMs: 200 });
    for (const call of [() => client.listRooms(), () => client.listEgress(), () => client.deleteRoom('Room')]) {
      await assert.rejects(call(), (error: unknown) => error instanceof PlatformUnreachableError && error.message === `LiveKit / OpenVidu 3 at ${url} is not answering: no answer within 0.2 s`);
    }
  });

  test('when it answers again, browsers get its status frame and what was missed heals', async (t) => {
    const port = await freePort();
    const sim = new LiveKitSimulator({ settings: { keys: [KEY] } });
    const roomwatch = await startTestServer({ ...ENV, LIVEKIT_URL: `http://127.0.0.1:${port}` });
    t.after(async () => {
      sim.stop();
      await roomwatch.dispose();
    });
    const sse = await openSse(`${roomwatch.url}/events`);
    t.after(() => sse.close());
    await until(roomwatch, (s) => s.platforms.livekit?.api?.state === 'unreachable');
    await sim.listen(port);
    const sid = sim.startRoom('Missed'); // no webhooks: only a read shows it
    await fetch(`${roomwatch.url}/api/reconcile`, { method: 'POST' });
    const frames = await sse.waitFor((all) => all.some((frame) => frame.event === 'room' && JSON.parse(frame.data).roomId === sid));
    const statuses = frames.filter((frame) => frame.event === 'livekit').map((frame) => JSON.parse(frame.data) as { state: string; url: string });
    assert.deepEqual(statuses.at(-1), { ...statuses.at(-1), state: 'reachable', url: `http://127.0.0.1:${port}` });
  });
});

/** LiveKit's API behind a proxy that can hold the answer to the next call of a method. */
async function holdingProxy(t: TestContext, target: string) {
  let next: { method: string; about: string; answered: () => void; released: Promise<void> } | undefined;
  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await fetch(`${target}${req.url}`, {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type']), authorization: String(req.headers.authorization) },
        body: Buffer.concat(chunks),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      if (next && req.url?.endsWith(`/${next.method}`) && Buffer.concat(chunks).toString().includes(JSON.stringify(next.about))) {
        const held = next;
        next = undefined;
        held.answered();
        await held.released;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** LiveKit has answered the next call of `method` about `about` (what it says is fixed); it reaches roomwatch on release. */
    holdNext(method: string, about: string) {
      let answered!: () => void;
      let release!: () => void;
      const held = { answered: new Promise<void>((resolve) => (answered = resolve)), released: new Promise<void>((resolve) => (release = resolve)) };
      next = { method, about, answered, released: held.released };
      return { answered: held.answered, release };
    },
  };
}
