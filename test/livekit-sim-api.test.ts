// The LiveKit simulator's server API (tools/platform-sim/livekit-api.ts) answers as a LiveKit server does
// (livekit/livekit pkg/service, the Twirp code livekit/protocol generates): checked here with LiveKit's own
// SDK and types, and with a token from LiveKit's own tests (livekit/protocol auth/verifier_test.go).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessToken, EgressClient, EgressInfo, ParticipantInfo, Room, RoomServiceClient, type VideoGrant } from 'livekit-server-sdk';
import { LiveKitSimulator } from '../tools/platform-sim/livekit.js';
import * as lk from '../tools/platforms/livekit.js';
import { LiveKitClient } from '../server/platforms/livekit/client.js';

const KEY = { key: 'devkey', secret: 'a-livekit-secret-of-32-characters!' };
const FAST = { egressTiming: { startMs: 5, stopMs: 5 } };

interface After {
  after(fn: () => unknown): void;
}

/** A simulator serving its API, posting its webhooks to a receiver that answers 200. */
async function simulator(t: After, options: Partial<ConstructorParameters<typeof LiveKitSimulator>[0]> = {}) {
  const receiver = http.createServer((req, res) => req.resume().on('end', () => res.end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/livekit`;
  const sim = new LiveKitSimulator({ settings: { keys: [KEY] }, webhookUrl, ...FAST, ...options });
  const url = await sim.listen();
  t.after(async () => {
    sim.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });
  return { sim, url };
}

/** Until the egress has reached this status (its timers run on real time). */
async function egressReaches(sim: LiveKitSimulator, egressId: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (sim.listEgressInfos({ roomName: '', egressId, active: false })[0]?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${egressId} never reached ${status}`);
}

/** A Twirp call as LiveKit's SDK makes it, with the token given. */
async function twirp(url: string, method: string, body: unknown, authorization?: string) {
  const response = await fetch(`${url}/twirp/livekit.${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization && { Authorization: authorization }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function bearer(grant: VideoGrant, key = KEY): Promise<string> {
  const token = new AccessToken(key.key, key.secret, { ttl: '10m' });
  token.addGrant(grant);
  return `Bearer ${await token.toJwt()}`;
}

describe('its answers are LiveKit\'s own shapes', () => {
  test('proto field names, every field with its default, 64-bit integers as strings, enums by name', async (t) => {
    const { sim, url } = await simulator(t, { egressTiming: { startMs: 60_000 } });
    sim.join('Daily Standup', 'Ana');
    const egressId = sim.startEgress('Daily Standup');
    const listed = await twirp(url, 'Egress/ListEgress', {}, await bearer({ roomRecord: true }));
    assert.equal(listed.status, 200);
    assert.equal(listed.type, 'application/json');
    const [item] = (JSON.parse(listed.text) as { items: Record<string, unknown>[] }).items;
    // Still starting: LiveKit's webhook leaves the zero value out, its API writes it.
    assert.equal(item!.egress_id, egressId);
    assert.equal(item!.status, 'EGRESS_STARTING');
    assert.equal(item!.ended_at, '0');
    assert.deepEqual(item!.file_results, []);
    assert.equal(item!.room_name, 'Daily Standup');
    assert.match(String(item!.updated_at), /^\d{19}$/);
    assert.equal(JSON.parse(listed.text).next_page_token, null);

    const rooms = await twirp(url, 'RoomService/ListRooms', {}, await bearer({ roomList: true }));
    const [room] = (JSON.parse(rooms.text) as { rooms: Record<string, unknown>[] }).rooms;
    assert.equal(room!.num_participants, 1);
    assert.equal(room!.max_participants, 0);
    assert.match(String(room!.creation_time), /^\d{10}$/);
  });

  test("every object it describes, by webhook or by API, is one LiveKit's own types read strictly (no unknown field)", async (t) => {
    const { sim } = await simulator(t);
    const strict = <T>(type: { fromJson(json: never): T }, json: unknown) => assert.doesNotThrow(() => type.fromJson(json as never), JSON.stringify(json));
    sim.join('Town Hall', 'Ana');
    const kinds: lk.EgressKind[] = ['file', 'segments', 'stream', 'images'];
    const egresses = kinds.map((kind) => sim.startEgress('Town Hall', kind));
    for (const egressId of egresses) await egressReaches(sim, egressId, 'EGRESS_ACTIVE');
    for (const participant of sim.listParticipantInfos('Town Hall')) strict(ParticipantInfo, participant);
    for (const room of sim.listRoomInfos([])) strict(Room, room);
    sim.stopEgress(egresses[0]!);
    sim.stopEgress(egresses[1]!, 'EGRESS_LIMIT_REACHED');
    sim.stopEgress(egresses[2]!, 'EGRESS_FAILED');
    sim.stopEgress(egresses[3]!);
    for (const egressId of egresses) await egressReaches(sim, egressId, egressId === egresses[1] ? 'EGRESS_LIMIT_REACHED' : egressId === egresses[2] ? 'EGRESS_FAILED' : 'EGRESS_COMPLETE');
    for (const info of sim.listEgressInfos({ roomName: '', egressId: '', active: false })) strict(EgressInfo, info);
    // And every webhook it sent (each egress state, each kind).
    await sim.idle();
    for (const attempt of sim.deliveries()) {
      const event = JSON.parse(attempt.body ?? '{}') as Record<string, unknown>;
      if (event.egressInfo) strict(EgressInfo, event.egressInfo);
      if (event.room) strict(Room, event.room);
      if (event.participant) strict(ParticipantInfo, event.participant);
    }
  });

  test("LiveKit's SDK reads its rooms, participants (an egress is one, of kind EGRESS) and egresses", async (t) => {
    const { sim, url } = await simulator(t);
    const roomSid = sim.startRoom('Customer Call');
    sim.join('Customer Call', 'Dana');
    const egressId = sim.startEgress('Customer Call');
    await egressReaches(sim, egressId, 'EGRESS_ACTIVE');
    const rooms = new RoomServiceClient(url, KEY.key, KEY.secret);
    assert.deepEqual((await rooms.listRooms()).map((room) => [room.sid, room.name, room.numParticipants]), [[roomSid, 'Customer Call', 1]]);
    const participants = await rooms.listParticipants('Customer Call');
    assert.deepEqual(
      participants.map((participant) => [participant.identity, participant.toJson({}) as { kind?: string }].map((value) => (typeof value === 'string' ? value : (value.kind ?? 'STANDARD')))),
      [
        ['dana', 'STANDARD'],
        [egressId, 'EGRESS'],
      ],
    );
    assert.deepEqual(await rooms.listParticipants('No Such Room'), [], 'a room that is not running has nobody in it');
    const [egress] = await new EgressClient(url, KEY.key, KEY.secret).listEgress({ roomName: 'Customer Call' });
    assert.equal(egress!.egressId, egressId);
    assert.equal(egress!.roomId, roomSid);
  });
});

describe('it checks tokens and grants as LiveKit does', () => {
  test('each method needs its own grant; without it: Twirp unauthenticated, "permissions denied", 401', async (t) => {
    const { sim, url } = await simulator(t);
    sim.join('Daily Standup', 'Ana');
    const cases: [string, unknown, VideoGrant, VideoGrant][] = [
      ['RoomService/ListRooms', {}, { roomList: true }, { roomAdmin: true, room: 'Daily Standup' }],
      ['RoomService/ListParticipants', { room: 'Daily Standup' }, { roomAdmin: true, room: 'Daily Standup' }, { roomAdmin: true, room: 'Another Room' }],
      ['Egress/ListEgress', {}, { roomRecord: true }, { roomList: true }],
      ['RoomService/DeleteRoom', { room: 'No Such Room' }, { roomCreate: true }, { roomAdmin: true, room: 'No Such Room' }],
    ];
    for (const [method, body, enough, wrong] of cases) {
      const allowed = await twirp(url, method, body, await bearer(enough));
      assert.notEqual(allowed.status, 401, `${method} with its grant: ${allowed.text}`);
      const refused = await twirp(url, method, body, await bearer(wrong));
      assert.deepEqual([refused.status, refused.type, JSON.parse(refused.text)], [401, 'application/json', { code: 'unauthenticated', msg: 'permissions denied' }], method);
      const anonymous = await twirp(url, method, body);
      assert.equal(anonymous.status, 401, `${method} without a token`);
    }
  });

  test('a token it cannot trust is refused before any route, with a plain-text reason, as LiveKit\'s middleware does', async (t) => {
    const { url } = await simulator(t);
    const cases: [string, string | Promise<string>, RegExp][] = [
      ['another secret', bearer({ roomList: true }, { key: KEY.key, secret: 'another-secret-of-32-characters!!!' }), /^invalid authorization token: signature/],
      ['a key it does not have', bearer({ roomList: true }, { key: 'otherkey', secret: KEY.secret }), /^invalid API key$/],
      ['not a Bearer token', (async () => (await bearer({ roomList: true })).replace('Bearer ', 'Token '))(), /^invalid authorization header\. Must start with Bearer $/],
      ['not a JWT', 'Bearer hello', /^invalid authorization token$/],
    ];
    for (const [name, authorization, reason] of cases) {
      const answer = await twirp(url, 'RoomService/ListRooms', {}, await authorization);
      assert.equal(answer.status, 401, name);
      assert.match(answer.type ?? '', /^text\/plain/, name);
      assert.match(answer.text, reason, name);
    }
  });

  // livekit/protocol auth/verifier_test.go: a token LiveKit's own tests sign, issued 2020-12-25 and valid one hour.
  const VECTOR = {
    key: 'APID3B67uxk4Nj2GKiRPibAZ9',
    secret: 'YHC-CUhbQhGeVCaYgn1BNA++',
    token:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE2MDg5MzAzMDgsImlzcyI6IkFQSUQzQjY3dXhrNE5qMkdLaVJQaWJBWjkiLCJuYmYiOjE2MDg5MjY3MDgsInJvb21fam9pbiI6dHJ1ZSwicm9vbV9zaWQiOiJteWlkIiwic3ViIjoiQVBJRDNCNjd1eGs0TmoyR0tpUlBpYkFaOSJ9.cmHEBq0MLyRqphmVLM2cLXg5ao5Sro7am8yXhcYKcwE',
  };

  test("LiveKit's own test token: its signature holds while it is valid (then its old claims grant nothing), and it is refused once expired or with another secret", async (t) => {
    const whileValid = await simulator(t, { settings: { keys: [VECTOR] }, clock: () => 1608926708_000 + 60_000 });
    const valid = await twirp(whileValid.url, 'RoomService/ListRooms', {}, `Bearer ${VECTOR.token}`);
    assert.deepEqual([valid.status, JSON.parse(valid.text)], [401, { code: 'unauthenticated', msg: 'permissions denied' }]);

    const today = await simulator(t, { settings: { keys: [VECTOR] } });
    const expired = await twirp(today.url, 'RoomService/ListRooms', {}, `Bearer ${VECTOR.token}`);
    assert.equal(expired.status, 401);
    assert.match(expired.text, /^invalid authorization token: .*exp/);

    const otherSecret = await simulator(t, { settings: { keys: [{ key: VECTOR.key, secret: 'anothersecret' }] }, clock: () => 1608926708_000 + 60_000 });
    const forged = await twirp(otherSecret.url, 'RoomService/ListRooms', {}, `Bearer ${VECTOR.token}`);
    assert.equal(forged.status, 401);
    assert.match(forged.text, /^invalid authorization token: signature/);
  });
});

describe('its errors are Twirp errors with LiveKit\'s codes and messages', () => {
  test('no such room or egress: not_found 404; stopping an egress that has ended: failed_precondition 412', async (t) => {
    const { sim, url } = await simulator(t);
    sim.join('Daily Standup', 'Ana');
    const egressId = sim.startEgress('Daily Standup');
    await egressReaches(sim, egressId, 'EGRESS_ACTIVE');
    sim.stopEgress(egressId);
    await egressReaches(sim, egressId, 'EGRESS_COMPLETE');
    const record = await bearer({ roomRecord: true });
    const answers = [
      await twirp(url, 'RoomService/DeleteRoom', { room: 'No Such Room' }, await bearer({ roomCreate: true })),
      await twirp(url, 'Egress/StopEgress', { egress_id: 'EG_000000000000' }, record),
      await twirp(url, 'Egress/StopEgress', { egressId }, record),
      await twirp(url, 'Egress/ListEgress', { egressId: 'EG_000000000000' }, record),
    ];
    assert.deepEqual(
      answers.map(({ status, text }) => [status, JSON.parse(text)]),
      [
        [404, { code: 'not_found', msg: 'requested room does not exist' }],
        [404, { code: 'not_found', msg: 'egress does not exist' }],
        [412, { code: 'failed_precondition', msg: 'egress with status EGRESS_COMPLETE cannot be stopped' }],
        [404, { code: 'not_found', msg: 'egress does not exist' }],
      ],
    );
  });

  test('a LiveKit without an egress service answers ListEgress with internal 500 "egress not connected (redis required)"', async (t) => {
    const { url } = await simulator(t, { noEgressService: true });
    const answer = await twirp(url, 'Egress/ListEgress', {}, await bearer({ roomRecord: true }));
    assert.deepEqual([answer.status, JSON.parse(answer.text)], [500, { code: 'internal', msg: 'egress not connected (redis required)' }]);
  });

  test('wrong method, path, content type or body: bad_route or malformed, as Twirp answers them', async (t) => {
    const { url } = await simulator(t);
    const auth = { Authorization: await bearer({ roomList: true }) };
    const get = await fetch(`${url}/twirp/livekit.RoomService/ListRooms`, { headers: auth });
    const unknown = await fetch(`${url}/twirp/livekit.RoomService/ListRoomz`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
    const form = await fetch(`${url}/twirp/livekit.RoomService/ListRooms`, { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{}' });
    const broken = await fetch(`${url}/twirp/livekit.RoomService/ListRooms`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"names":' });
    assert.deepEqual(
      await Promise.all([get, unknown, form, broken].map(async (response) => [response.status, ((await response.json()) as { code: string }).code])),
      [
        [404, 'bad_route'],
        [404, 'bad_route'],
        [404, 'bad_route'],
        [400, 'malformed'],
      ],
    );
  });
});

describe('ListEgress pages as LiveKit pages it', () => {
  test('newest page first, oldest first within a page, next_page_token until the last; roomwatch\'s client reads every page', async (t) => {
    const { sim, url } = await simulator(t, { egressPageSize: 2 });
    sim.join('Daily Standup', 'Ana');
    const started = Array.from({ length: 5 }, () => sim.startEgress('Daily Standup'));
    const record = await bearer({ roomRecord: true });
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const answer = JSON.parse((await twirp(url, 'Egress/ListEgress', token ? { page_token: { token } } : {}, record)).text) as {
        items: { egress_id: string }[];
        next_page_token: { token: string } | null;
      };
      pages.push(answer.items.map((item) => item.egress_id));
      token = answer.next_page_token?.token;
    } while (token);
    assert.deepEqual(pages, [[started[3], started[4]], [started[1], started[2]], [started[0]]]);

    const read = await new LiveKitClient({ url, key: KEY }).listEgress();
    assert.deepEqual(read.map((info) => info.egressId).sort(), [...started].sort());
    const wrongToken = await twirp(url, 'Egress/ListEgress', { pageToken: { token: 'bm90LWFuLWVncmVzcw' } }, record);
    assert.deepEqual([wrongToken.status, JSON.parse(wrongToken.text).code], [400, 'invalid_argument']);
  });
});

describe('what it answers follows what it sent by webhook', () => {
  test('a room finished with its room_finished lost is gone from ListRooms, and no room_finished was sent', async (t) => {
    const received: string[] = [];
    const { sim } = await simulator(t);
    sim.join('Daily Standup', 'Ana');
    sim.finishRoom('Daily Standup', { loseRoomFinished: true });
    await sim.idle();
    for (const attempt of sim.deliveries()) received.push(...attempt.events);
    assert.deepEqual(sim.listRoomInfos([]), []);
    assert.ok(received.includes('participant_left'));
    assert.ok(!received.includes('room_finished'), received.join(', '));
  });

  test('DeleteRoom ends the room as LiveKit does: its people leave (ROOM_DELETED), its egress stops, room_finished is sent', async (t) => {
    const { sim, url } = await simulator(t);
    sim.join('Daily Standup', 'Ana');
    const egressId = sim.startEgress('Daily Standup');
    await egressReaches(sim, egressId, 'EGRESS_ACTIVE');
    await new RoomServiceClient(url, KEY.key, KEY.secret).deleteRoom('Daily Standup');
    await egressReaches(sim, egressId, 'EGRESS_COMPLETE');
    await sim.idle();
    const events = sim.deliveries().map((attempt) => attempt.events[0]);
    assert.deepEqual(events.slice(-2).sort(), ['egress_ended', 'room_finished']);
    assert.ok(sim.deliveries().some((attempt) => attempt.body?.includes('"disconnectReason":"ROOM_DELETED"')));
  });
});
