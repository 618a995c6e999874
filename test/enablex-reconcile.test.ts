// EnableX's Server API parts on their own: the client against EnableX's documented answers (served
// verbatim by a plain HTTP server), call records → sessions, and the merge into rows (order-safe, no
// tombstone revived, nothing older than the retention created).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnableXClient } from '../server/platforms/enablex/client.js';
import { sessionsFromCallRecords, MAX_NAMES } from '../server/platforms/enablex/call-records.js';
import { reconcileEnableX, type EnableXRead } from '../server/platforms/enablex/reconcile.js';
import { projectEnableXEvent } from '../server/platforms/enablex/project.js';
import { PlatformApiError, PlatformUnreachableError } from '../server/platforms/shared/api-errors.js';
import type { RecordingRow, RoomRow } from '../server/domain/rows.js';
import type { RowReader } from '../server/domain/row-reader.js';
import { mergeSessionRoom } from '../server/domain/row-merge.js';

// EnableX's Server API docs, "Get Room Information" and "Requesting CDR for a Specific Period": the
// sample answers as printed (placeholders included).
const DOCS_ROOM = `{
  "result": 0,
  "room": {
    "name": "Topic or Room Title",
    "owner_ref": "xyz",
    "settings": { "description": "Descriptive text", "mode": "group", "scheduled": false, "adhoc": false, "duration": 50,
      "moderators": "2", "participants": "10", "billing_code": "", "auto_recording": false, "quality": "HD" },
    "sip": { "enabled": true, "pin": 99999, "meeting_id": 99999 },
    "data": { "custom_key": "" },
    "created": "2018-07-12T11:30:24.851Z",
    "room_id": "xxxxxxxxxxxxxxx"
  }
}`;
const DOCS_CDR = `{
     "result": "0",
     "cdr": [
         {
             "trans_date": "YYYY-MM-DDTHH:II:SS.mmmZ",
             "conf_num": "XXX",
             "call_num": "XXX",
             "call_log_id": "XXX",
             "room": { "room_id": "XXXX", "connect_dt": "YYYY-MM-DDTHH:II:SS.mmmZ", "disconnect_dt": "YYYY-MM-DDTHH:II:SS.mmmZ", "duration": 9999.999 },
             "user": { "ip": "1.1.1.1", "name": "", "role": "moderator", "ref": "", "agent": "okhttp/3.5.0", "token": "", "confName": "" },
             "sigserver": { "connect_dt": "YYYY-MM-DDTHH:II:SS.mmmZ", "ip": "", "disconnect_dt": "YYYY-MM-DDTHH:II:SS.mmmZ", "duration": 9999.999, "hold_duration": 9.999 },
             "published_track": { "audio": "true", "data": "true", "video": "true", "screen": "false", "url": "false" },
             "usage": { "subscribed_minutes": 9999.999, "published_minutes": 9999.999 },
             "app_id": "xyzxyzxyz",
             "cdr_id": "abcabcabc"
         }
     ]
 }`;
// The documented error body: "result", "error" and "desc" (EnableX's Server API docs, "API Responses").
const DOCS_ERROR = '{"result": 4001, "error": "Short reason", "desc": "Descriptive information about the error / warning"}';

/** A server that answers every request with this status and body; records the requests. */
async function answering(status: number, body: string, extraHeaders: Record<string, string> = {}) {
  const seen: { url: string; authorization: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(status, { 'content-type': 'application/json', ...extraHeaders });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const client = (url: string, options: { maxAnswerBytes?: number } = {}) => new EnableXClient({ url, appId: 'APP', appKey: 'KEY:with:colons', ...options });

describe('EnableX client', () => {
  test("reads the docs' room and CDR answers (result 0 and \"0\"), with Basic APP_ID:APP_KEY and the documented routes", async () => {
    const rooms = await answering(200, DOCS_ROOM);
    const cdr = await answering(200, DOCS_CDR);
    try {
      const room = await client(rooms.url).room('xxxxxxxxxxxxxxx');
      assert.equal(room?.name, 'Topic or Room Title');
      const records = await client(cdr.url).callRecords('2026-01-30', '2026-01-31');
      assert.equal(records.length, 1);
      assert.deepEqual(rooms.seen, [{ url: '/video/v2/rooms/xxxxxxxxxxxxxxx', authorization: `Basic ${Buffer.from('APP:KEY:with:colons').toString('base64')}` }]);
      assert.equal(cdr.seen[0]!.url, '/video/v2/cdr/period/2026-01-30/2026-01-31');
    } finally {
      await rooms.close();
      await cdr.close();
    }
  });

  test("errors say what EnableX said: the documented error body on 200 or 500, 401 names the settings, 404 is no room", async () => {
    const cases: [number, string, (error: unknown) => void][] = [
      [200, DOCS_ERROR, (e) => assert.ok(e instanceof PlatformApiError && e.status === 502 && /result 4001: Descriptive information/.test(e.message) && e.code === 'Short reason')],
      [500, DOCS_ERROR, (e) => assert.ok(e instanceof PlatformApiError && e.status === 500 && /with 500: Descriptive information/.test(e.message))],
      [401, DOCS_ERROR, (e) => assert.ok(e instanceof PlatformApiError && e.status === 401 && /^EnableX refused ENABLEX_APP_ID and ENABLEX_APP_KEY \(Descriptive information/.test(e.message))],
      [200, '<html>maintenance</html>', (e) => assert.ok(e instanceof PlatformUnreachableError && /answered something that is not JSON/.test(e.message))],
      [200, '{"result":0,"cdr":"nope"}', (e) => assert.ok(e instanceof PlatformApiError && /without a "cdr" list/.test(e.message))],
    ];
    for (const [status, body, check] of cases) {
      const server = await answering(status, body);
      try {
        await assert.rejects(client(server.url).callRecords('2026-01-30', '2026-01-31'), (error) => (check(error), true));
      } finally {
        await server.close();
      }
    }
    const missing = await answering(404, DOCS_ERROR);
    try {
      assert.equal(await client(missing.url).room('gone'), null);
    } finally {
      await missing.close();
    }
  });

  test('an answer larger than the bound is refused, declared or not, with what to do', async () => {
    const big = `{"result":"0","cdr":[${Array(2000).fill('{"conf_num":"1"}').join(',')}]}`;
    const declared: Record<string, string>[] = [{ 'content-length': String(Buffer.byteLength(big)) }, { 'transfer-encoding': 'chunked' }];
    for (const headers of declared) {
      const server = await answering(200, big, headers);
      try {
        await assert.rejects(client(server.url, { maxAnswerBytes: 10_000 }).callRecords('2026-01-30', '2026-01-31'), (error) => {
          assert.ok(error instanceof PlatformApiError);
          assert.equal(error.code, 'answer_too_large');
          assert.match(error.message, /CLOSED_ROOM_RETENTION_HOURS/);
          return true;
        });
      } finally {
        await server.close();
      }
    }
  });

  test('no answer: unreachable, saying where it looked', async () => {
    const server = await answering(200, '{}');
    await server.close();
    await assert.rejects(client(server.url).room('a'), (error) => {
      assert.ok(error instanceof PlatformUnreachableError);
      assert.equal(error.message, `EnableX at ${server.url}/video/v2 is not answering: connection refused (is it running?)`);
      return true;
    });
  });
});

const call = (confNum: string, name: string, ref: string, connect: string, disconnect?: string, roomId = '60a1b2c3d4e5f6a7b8c9d0e1') => ({
  conf_num: confNum,
  call_num: `${name}-${connect}`,
  room: { room_id: roomId, connect_dt: connect, ...(disconnect && { disconnect_dt: disconnect }) },
  user: { name, role: 'participant', ref },
});

describe('EnableX call records', () => {
  test("the docs' sample record is one session with one attendee whose end is unknown", () => {
    const sessions = sessionsFromCallRecords((JSON.parse(DOCS_CDR) as { cdr: [] }).cdr);
    assert.deepEqual([...sessions.values()], [{ key: 'XXXX:XXX', roomId: 'XXXX', attendance: { count: 1, names: [] } }]);
  });

  test('a session: each person once (by ref, else name), names in order of arrival, from first connect to last disconnect', () => {
    const sessions = sessionsFromCallRecords([
      call('7', 'Bruno', 'u-2', '2026-01-30T10:05:00.000Z', '2026-01-30T10:20:00.000Z'),
      call('7', 'Ana', 'u-1', '2026-01-30T10:00:00.000Z', '2026-01-30T10:50:00.000Z'),
      call('7', 'Bruno (phone)', 'u-2', '2026-01-30T10:21:00.000Z', '2026-01-30T10:45:00.000Z'),
      call('7', 'Guest', '', '2026-01-30T10:30:00.000Z', '2026-01-30T10:31:00.000Z'),
      call('7', 'Guest', '', '2026-01-30T10:32:00.000Z', '2026-01-30T10:33:00.000Z'),
      call('8', 'Chen', 'u-3', '2026-01-30T11:00:00.000Z'),
      { conf_num: '9', room: {} },
      'not a record' as never,
    ]);
    assert.deepEqual(sessions.get('60a1b2c3d4e5f6a7b8c9d0e1:7'), {
      key: '60a1b2c3d4e5f6a7b8c9d0e1:7',
      roomId: '60a1b2c3d4e5f6a7b8c9d0e1',
      startedAt: Date.parse('2026-01-30T10:00:00.000Z'),
      endedAt: Date.parse('2026-01-30T10:50:00.000Z'),
      attendance: { count: 3, names: ['Ana', 'Bruno', 'Bruno (phone)', 'Guest'] },
    });
    // A call still on: the session is not over.
    assert.equal(sessions.get('60a1b2c3d4e5f6a7b8c9d0e1:8')!.endedAt, undefined);
    assert.equal(sessions.size, 2);
  });

  test('names are bounded: at most 50, each at most 100 characters', () => {
    const records = Array.from({ length: 80 }, (_, i) => call('1', `${i}${'x'.repeat(150)}`, `u${i}`, `2026-01-30T10:${String(i % 60).padStart(2, '0')}:00.000Z`, '2026-01-30T12:00:00.000Z'));
    const session = sessionsFromCallRecords(records).get('60a1b2c3d4e5f6a7b8c9d0e1:1')!;
    assert.equal(session.attendance.count, 80);
    assert.equal(session.attendance.names.length, MAX_NAMES);
    assert.ok(session.attendance.names.every((name) => name.length === 100));
  });
});

describe('EnableX reconciliation', () => {
  const ROOM = '60a1b2c3d4e5f6a7b8c9d0e1';
  const NOW = Date.parse('2026-01-30T12:00:00.000Z');
  const closed = (key: string, extra: Partial<RoomRow> = {}): RoomRow => ({
    source: 'enablex',
    roomId: key,
    roomName: key.split(':')[0]!,
    status: 'closed',
    links: {},
    updatedAt: NOW - 60_000,
    eventAt: NOW - 60_000,
    heardAt: NOW - 60_000,
    removed: false,
    ...extra,
  });
  const recording = (key: string): RecordingRow => ({
    source: 'enablex',
    recordingId: `${key}:transcoded`,
    roomId: key,
    roomName: key.split(':')[0]!,
    status: 'complete',
    updatedAt: NOW - 60_000,
    eventAt: NOW - 60_000,
    heardAt: NOW - 60_000,
    removed: false,
  });
  const read = (records: ReturnType<typeof call>[], names: [string, string | null][] = [[ROOM, 'Town Hall']]): EnableXRead => ({
    sessions: sessionsFromCallRecords(records),
    names: new Map(names),
    createdAfter: NOW - 24 * 3_600_000,
  });
  const attendees = [call('7', 'Ana', 'u-1', '2026-01-30T10:00:00.000Z', '2026-01-30T10:50:00.000Z'), call('7', 'Bruno', 'u-2', '2026-01-30T10:05:00.000Z', '2026-01-30T10:40:00.000Z')];

  test("a row the webhook made gets its room's name and who took part; so do its recordings; other platforms' rows are untouched", () => {
    const meet: RoomRow = { ...closed(`${ROOM}:7`), source: 'meet' };
    const changes = reconcileEnableX(read(attendees), [closed(`${ROOM}:7`), meet], [recording(`${ROOM}:7`)], NOW - 1000, NOW);
    assert.deepEqual(
      changes.map((change) => [change.kind, change.row.roomName, change.kind === 'room' ? change.row.attendance : undefined, change.row.updatedAt]),
      [
        ['room', 'Town Hall', { count: 2, names: ['Ana', 'Bruno'] }, NOW],
        ['recording', 'Town Hall', undefined, NOW],
      ],
    );
    // Everything else is the row as the webhook left it.
    assert.deepEqual({ ...changes[0]!.row, roomName: `${ROOM}`, attendance: undefined, updatedAt: NOW - 60_000 }, { ...closed(`${ROOM}:7`), attendance: undefined });
  });

  test('nothing new is no change, twice over', () => {
    const once = reconcileEnableX(read(attendees), [closed(`${ROOM}:7`)], [], NOW - 1000, NOW);
    const row = once[0]!.row as RoomRow;
    assert.deepEqual(reconcileEnableX(read(attendees), [row], [], NOW - 1000, NOW), []);
  });

  test('a session never heard of appears closed (times 0: any webhook is newer); not one older than the retention; no tombstone comes back', () => {
    const old = [call('3', 'Ana', 'u-1', '2026-01-28T10:00:00.000Z', '2026-01-28T10:30:00.000Z')];
    const live = [call('9', 'Ana', 'u-1', '2026-01-30T11:00:00.000Z')];
    const changes = reconcileEnableX(read([...attendees, ...old, ...live]), [], [], NOW - 1000, NOW);
    assert.deepEqual(
      changes.map((change) => change.row),
      [
        {
          source: 'enablex',
          roomId: `${ROOM}:7`,
          roomName: 'Town Hall',
          status: 'closed',
          links: {},
          updatedAt: NOW,
          eventAt: 0,
          heardAt: 0,
          removed: false,
          attendance: { count: 2, names: ['Ana', 'Bruno'] },
        },
      ],
    );
    const tombstone = closed(`${ROOM}:7`, { removed: true });
    assert.deepEqual(reconcileEnableX(read(attendees), [tombstone], [], NOW - 1000, NOW), []);
  });

  test('a room EnableX no longer has (null) keeps its id; a session of it still gets who took part', () => {
    const changes = reconcileEnableX(read(attendees, [[ROOM, null]]), [closed(`${ROOM}:7`)], [recording(`${ROOM}:7`)], NOW - 1000, NOW);
    assert.deepEqual(changes.map((change) => [change.kind, change.row.roomName]), [['room', ROOM]]);
  });

  test('a row some webhook opened after the read began stays open; one heard before it closes', () => {
    const open = (heardAt: number) => closed(`${ROOM}:7`, { status: 'active_meeting', activeSince: NOW - 3_600_000, heardAt, roomName: 'Town Hall' });
    assert.deepEqual(reconcileEnableX(read(attendees), [open(NOW - 500)], [], NOW - 1000, NOW).map((c) => (c.row as RoomRow).status), ['active_meeting']);
    const [change] = reconcileEnableX(read(attendees), [open(NOW - 5000)], [], NOW - 1000, NOW);
    assert.equal((change!.row as RoomRow).status, 'closed');
    assert.equal((change!.row as RoomRow).activeSince, undefined);
  });

  test('a late webhook keeps the name and who took part; its recordings are named after the room', () => {
    const named = closed(`${ROOM}:7`, { roomName: 'Town Hall', attendance: { count: 2, names: ['Ana', 'Bruno'] }, eventAt: 0, heardAt: 0 });
    const reader: RowReader = {
      room: (source, roomId) => (source === 'enablex' && roomId === named.roomId ? named : undefined),
      recording: () => undefined,
      recordingsOfRoom: () => [],
    };
    const payload = (type: string, extra = {}) => ({ type, trans_date: NOW / 1000, app_id: 'app', room_id: ROOM, conf_num: '7', ...extra });
    // The roomdrop says nothing the row does not (closed): no change, so nothing is lost either.
    assert.deepEqual(projectEnableXEvent({ payload: payload('roomdrop'), createdAt: NOW, receivedAt: NOW }, reader), []);
    // Any session event that does change such a row keeps what only a read knows.
    const [renamed] = mergeSessionRoom(named, { source: 'enablex', roomId: named.roomId, roomName: 'Renamed', happened: 'ended', countsParticipants: false }, { createdAt: NOW, receivedAt: NOW });
    assert.deepEqual([renamed!.row.roomName, (renamed!.row as RoomRow).attendance], ['Renamed', named.attendance]);
    const [transcoded] = projectEnableXEvent({ payload: payload('transcoded', { recording: 'https://x/t.mp4', file_size: 10 }), createdAt: NOW, receivedAt: NOW }, reader);
    assert.equal(transcoded!.row.roomName, 'Town Hall');
  });
});
