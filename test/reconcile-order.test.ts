// Which is newer, a webhook or a REST read of the Meet API, is decided by roomwatch's clock: a read that
// started before a webhook was received must not overwrite what the webhook said, and a read that started
// after it may. The test holds a read in flight and moves roomwatch's clock itself, so the outcome does
// not depend on how fast either arrives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMeetSimulator, type MeetSimulator } from '../tools/meet-sim/index.js';
import { manualClock } from './helpers/clock.js';
import { meetDelivery, post } from './helpers/meet.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { eventually } from './helpers/stack.js';
import type { DashboardSnapshot } from '../server/domain/rows.js';

interface HeldRead {
  /** Resolves when roomwatch has asked for the rooms: its read has started. */
  started: Promise<void>;
  /** Lets the answer go. */
  release(): void;
}

/** The simulator's REST API behind a proxy that can hold the next answer to GET …/rooms. */
async function startGate(target: string) {
  let next: { started: () => void; released: Promise<void> } | undefined;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://gate');
      if (next && req.method === 'GET' && url.pathname.endsWith('/rooms')) {
        const held = next;
        next = undefined;
        held.started();
        await held.released;
      }
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers: { 'x-api-key': String(req.headers['x-api-key']) } });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdNextRoomsRead(): HeldRead {
      let started!: () => void;
      let release!: () => void;
      const held = { started: new Promise<void>((resolve) => (started = resolve)), released: new Promise<void>((resolve) => (release = resolve)) };
      next = { started, released: held.released };
      return { started: held.started, release };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const clock = manualClock();
let meet: MeetSimulator;
let gate: Awaited<ReturnType<typeof startGate>>;
let roomwatch: TestServer;

before(async () => {
  meet = await startMeetSimulator();
  gate = await startGate(meet.url);
  roomwatch = await startTestServer({ OV_MEET_SERVER_URL: gate.url, OV_MEET_API_PATH: '/meet/api/v1' }, undefined, { now: clock.now });
  await eventually(() => snapshot(), (s) => s.meet.state === 'reachable');
});
after(async () => {
  await roomwatch.dispose();
  await gate.close();
  await meet.stop();
});

const snapshot = async () => (await (await fetch(`${roomwatch.url}/api/state`)).json()) as DashboardSnapshot;
const statusOf = (s: DashboardSnapshot, roomId: string) => s.rooms.find((row) => row.roomId === roomId)?.status;

/** A meetingStarted webhook for a room that Meet itself still lists as open. */
async function webhookSaysActive(roomId: string): Promise<void> {
  const delivery = meetDelivery('meetingStarted', { ...meet.room(roomId).room, status: 'active_meeting' });
  assert.equal((await post(roomwatch.url, delivery)).status, 200);
}

/** Starts a read and returns once roomwatch is waiting for Meet's answer. */
async function readInFlight(): Promise<HeldRead> {
  const read = gate.holdNextRoomsRead();
  assert.equal((await fetch(`${roomwatch.url}/api/reconcile`, { method: 'POST' })).status, 202);
  await read.started;
  return read;
}

/** Lets the read finish; a room created for it, which only this read can bring, shows it was merged. */
async function finish(read: HeldRead, marker: string): Promise<DashboardSnapshot> {
  read.release();
  return eventually(() => snapshot(), (s) => statusOf(s, marker) === 'open');
}

test('a REST read that started before a webhook was received does not overwrite what the webhook said', async () => {
  const room = meet.createRoom('Raced').roomId;
  const marker = meet.createRoom('Marker One').roomId;
  const read = await readInFlight();
  clock.advance(1000);
  await webhookSaysActive(room);
  // The answer comes later still: what counts is when the read started.
  clock.advance(1000);
  const merged = await finish(read, marker);
  assert.equal(statusOf(merged, room), 'active_meeting');
});

test('a REST read that started after a webhook was received is newer, and wins', async () => {
  const room = meet.createRoom('Healed').roomId;
  const marker = meet.createRoom('Marker Two').roomId;
  await webhookSaysActive(room);
  assert.equal(statusOf(await snapshot(), room), 'active_meeting');
  clock.advance(1000);
  const read = await readInFlight();
  clock.advance(1000);
  const merged = await finish(read, marker);
  assert.equal(statusOf(merged, room), 'open');
});
