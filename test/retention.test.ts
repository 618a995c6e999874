import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startTestServer, makeDataDir } from './helpers/server.js';
import { manualClock } from './helpers/clock.js';
import { meetDelivery, meetingStarted, post } from './helpers/meet.js';
import { entryIds, openSse } from './helpers/sse.js';
import { recordingStatusChanged, sessionCreated, sessionDestroyed } from './fixtures/openvidu.js';
import { openDatabase } from '../server/store/sqlite/database.js';
import { EventLog } from '../server/store/sqlite/event-log.js';
import { openTestStore } from './helpers/sqlite-store.js';
import { startPruning } from '../server/store/pruning.js';
import { createLogger } from '../server/logger.js';
import type { RecordingRow, RoomRow } from '../server/domain/rows.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const stored = async (url: string, delivery = meetingStarted()) => {
  const answer = await post(url, delivery);
  assert.equal(answer.status, 200);
  return (answer.json.stored as number[])[0]!;
};

test('EVENT_RETENTION_DAYS prunes older entries; a client resuming below the mark gets resync, one above it resumes', async () => {
  const clock = manualClock();
  const server = await startTestServer({ EVENT_RETENTION_DAYS: '1' }, makeDataDir(), { now: clock.now });
  try {
    await stored(server.url);
    const lastOld = (await stored(server.url)) + 1; // the webhook, then the room change it caused
    clock.advance(2 * DAY);
    // Sent two days later, by the platform's clock too.
    const fresh = await stored(server.url, meetingStarted(undefined, clock.now()));

    assert.deepEqual(await server.pruneNow(), { events: lastOld, rooms: 0, recordings: 0 });
    const behind = await openSse(`${server.url}/events`, { 'last-event-id': String(lastOld - 1) });
    const [resync] = await behind.waitFor((frames) => frames.some((f) => f.event === 'resync'));
    assert.equal(resync!.event, 'resync');
    behind.close();
    const resumed = await openSse(`${server.url}/events`, { 'last-event-id': String(lastOld) });
    await resumed.waitFor((frames) => entryIds(frames).length === 2);
    assert.deepEqual(entryIds(resumed.frames), [fresh, fresh + 1]);
    resumed.close();
  } finally {
    await server.dispose();
  }
});

test('EVENT_RETENTION_MB keeps the database within its size, dropping the oldest entries first', async () => {
  const server = await startTestServer({ EVENT_RETENTION_MB: '1' });
  try {
    const padding = 'x'.repeat(16 * 1024);
    let last = 0;
    for (let i = 0; i < 160; i++) {
      const roomId = `room_${i}-size0test0000`;
      last = await stored(server.url, meetDelivery('meetingStarted', { roomId, roomName: 'size', status: 'active_meeting', padding }));
    }
    const before = usedBytes(server.dataDir);
    assert.ok(before > 2 * 1024 * 1024, `the test needs a store over 2 MiB, got ${before}`);

    const report = await server.pruneNow();
    assert.ok(report.events > 0);
    assert.ok(usedBytes(server.dataDir) <= 1024 * 1024, `still ${usedBytes(server.dataDir)} bytes in use`);
    // The newest are kept: a client two entries behind gets exactly those.
    const resumed = await openSse(`${server.url}/events`, { 'last-event-id': String(last - 1) });
    await resumed.waitFor((frames) => entryIds(frames).length === 2);
    assert.deepEqual(entryIds(resumed.frames), [last, last + 1]);
    resumed.close();
  } finally {
    await server.dispose();
  }
});

test('closed session rooms (not Meet) are dropped after CLOSED_ROOM_RETENTION_HOURS, live, with their recordings', async () => {
  const clock = manualClock();
  const server = await startTestServer(
    { OPENVIDU_WEBHOOK_HEADERS: '[]', CLOSED_ROOM_RETENTION_HOURS: '24' },
    makeDataDir(),
    { now: clock.now },
  );
  const openvidu = async (body: object) => {
    const response = await fetch(`${server.url}/webhook/openvidu`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200);
  };
  const state = async () => (await (await fetch(`${server.url}/api/state`)).json()) as { rooms: RoomRow[]; recordings: RecordingRow[] };
  try {
    const ended = { sessionId: 'ended', uniqueSessionId: 'ended_1' };
    await openvidu(sessionCreated(ended));
    await openvidu(recordingStatusChanged('started', { ...ended, id: 'ended' }));
    await openvidu(sessionDestroyed(ended));
    await openvidu(sessionCreated({ sessionId: 'going', uniqueSessionId: 'going_1' }));
    // A Meet room that closed: Meet rooms are lasting objects and stay.
    await stored(server.url, meetDelivery('meetingEnded', { roomId: 'standing-k3j9x0q2m7a1b4c', roomName: 'standing', status: 'closed', meetingEndAction: 'close' }));
    const rooms = (await state()).rooms.map((r) => `${r.source}:${r.roomId}:${r.status}`).sort();
    assert.deepEqual(rooms, ['meet:standing-k3j9x0q2m7a1b4c:closed', 'openvidu:ended_1:closed', 'openvidu:going_1:active_meeting']);
    assert.equal((await state()).recordings.length, 1);

    clock.advance(23 * HOUR);
    assert.deepEqual(await server.pruneNow(), { events: 0, rooms: 0, recordings: 0 }, 'not yet 24 hours');

    clock.advance(2 * HOUR);
    const page = await openSse(`${server.url}/events`);
    assert.deepEqual(await server.pruneNow(), { events: 0, rooms: 1, recordings: 1 });
    // An open page hears of it as the removal of the room and of its recording.
    const frames = await page.waitFor((all) => all.filter((f) => f.event === 'room' || f.event === 'recording').length === 2);
    const removed = frames.filter((f) => f.event === 'room' || f.event === 'recording').map((f) => JSON.parse(f.data) as RoomRow | RecordingRow);
    assert.deepEqual(
      removed.map((row) => ({ source: row.source, roomId: row.roomId, removed: row.removed, updatedAt: row.updatedAt })),
      [
        { source: 'openvidu', roomId: 'ended_1', removed: true, updatedAt: clock.now() },
        { source: 'openvidu', roomId: 'ended_1', removed: true, updatedAt: clock.now() },
      ],
    );
    page.close();
    const after = await state();
    assert.deepEqual(after.rooms.map((r) => r.roomId).sort(), ['going_1', 'standing-k3j9x0q2m7a1b4c']);
    assert.deepEqual(after.recordings, []);
  } finally {
    await server.dispose();
  }
});

test('tombstones are dropped after the same time, without a new log entry (they were announced as removed)', async () => {
  const dataDir = makeDataDir();
  const clock = manualClock();
  const store = await openTestStore(dataDir, { now: clock.now });
  const room = (roomId: string, extra: Partial<RoomRow>): RoomRow => ({
    source: 'meet', roomId, roomName: roomId, status: 'closed', links: {}, updatedAt: clock.now(), eventAt: 0, heardAt: 0, removed: false, ...extra,
  });
  const recording: RecordingRow = {
    source: 'meet', recordingId: 'rec-1', roomId: 'deleted', roomName: 'deleted', status: 'complete', updatedAt: clock.now(), eventAt: 0, heardAt: 0, removed: true,
  };
  await store.writeRows(() => [
    { kind: 'room', row: room('deleted', { removed: true }) },
    { kind: 'room', row: room('closed', {}) },
    { kind: 'recording', row: recording },
    { kind: 'recording', row: { ...recording, recordingId: 'rec-2', roomId: 'closed', removed: false } },
    { kind: 'recording', row: { ...recording, recordingId: 'rec-3', roomId: 'closed' } },
  ]);
  const latest = await store.latestSeq();
  const pruning = startPruning(
    store,
    { keep: 100, maxAgeMs: undefined, maxBytes: undefined, closedRoomRetentionMs: 24 * HOUR },
    { log: createLogger('silent', false), now: clock.now },
  );
  try {
    assert.deepEqual(await pruning.runNow(), { events: 0, rooms: 0, recordings: 0 }, 'young tombstones stay');
    clock.advance(25 * HOUR);
    // The room tombstone goes with its recording; the other recording tombstone goes on its own.
    assert.deepEqual(await pruning.runNow(), { events: 0, rooms: 1, recordings: 2 });
    assert.deepEqual(store.rows.allRooms().map((r) => r.roomId), ['closed']);
    assert.deepEqual(store.rows.allRecordings().map((r) => r.recordingId), ['rec-2']);
    assert.equal(await store.latestSeq(), latest, 'nothing new to announce');
  } finally {
    pruning.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Bytes of the database in use, read over a second connection to the same file. */
function usedBytes(dataDir: string): number {
  const db = openDatabase(dataDir);
  try {
    return new EventLog(db).usedBytes();
  } finally {
    db.close();
  }
}
