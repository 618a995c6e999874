// OpenVidu 2's REST lists merged into the rows (server/platforms/openvidu/reconcile.ts): pure, so each
// rule is one table-like case. Shapes are OpenVidu 2.32's (Session.toJson, Recording.toJson(false)).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { projectOpenViduEvent } from '../server/platforms/openvidu/project.js';
import { reconcileOpenViduRecordings, reconcileOpenViduSessions } from '../server/platforms/openvidu/reconcile.js';
import type { OpenViduRestRecording, OpenViduRestSession } from '../server/platforms/openvidu/payloads.js';
import type { RecordingRow, RoomRow, RowChange } from '../server/domain/rows.js';
import type { RowReader } from '../server/domain/row-reader.js';

const CREATED = 1601394690713;
const SESSION_ID = 'ses_Jd8tUyvhXO';
const UNIQUE = `${SESSION_ID}_${CREATED}`;
const READ = CREATED + 60_000;
const NOW = READ + 200;

function restSession(overrides: Partial<OpenViduRestSession> = {}, connections: string[] = ['con_A', 'con_B']): OpenViduRestSession {
  return {
    id: SESSION_ID,
    sessionId: SESSION_ID,
    createdAt: CREATED,
    recording: false,
    connections: {
      numberOfElements: connections.length,
      content: connections.map((id) => ({ id, connectionId: id, status: 'active' as const })),
    },
    ...overrides,
  };
}

function restRecording(overrides: Partial<OpenViduRestRecording> = {}): OpenViduRestRecording {
  return {
    id: SESSION_ID,
    name: SESSION_ID,
    outputMode: 'COMPOSED',
    sessionId: SESSION_ID,
    createdAt: CREATED + 5000,
    size: 1973428,
    duration: 8.6,
    url: `https://ov.example.com/openvidu/recordings/${SESSION_ID}/${SESSION_ID}.mp4`,
    hasAudio: true,
    hasVideo: true,
    status: 'ready',
    ...overrides,
  };
}

/** Rows as webhooks made them, through the real projection. */
function fromWebhooks(payloads: Record<string, unknown>[], receivedAt: number): { rooms: RoomRow[]; recordings: RecordingRow[] } {
  const rooms = new Map<string, RoomRow>();
  const recordings = new Map<string, RecordingRow>();
  const reader: RowReader = {
    room: (_source, id) => rooms.get(id),
    recording: (_source, id) => recordings.get(id),
    recordingsOfRoom: (_source, id) => [...recordings.values()].filter((row) => row.roomId === id),
  };
  for (const payload of payloads) {
    for (const change of projectOpenViduEvent({ payload, createdAt: payload.timestamp as number, receivedAt }, reader)) {
      if (change.kind === 'room') rooms.set(change.row.roomId, change.row);
      else recordings.set(change.row.recordingId, change.row);
    }
  }
  return { rooms: [...rooms.values()], recordings: [...recordings.values()] };
}

const created = { sessionId: SESSION_ID, uniqueSessionId: UNIQUE, timestamp: CREATED, event: 'sessionCreated' };
const joined = (connectionId: string, at: number) => ({ sessionId: SESSION_ID, uniqueSessionId: UNIQUE, timestamp: at, connectionId, participantId: connectionId, event: 'participantJoined' });
const rooms = (changes: RowChange[]) => changes.flatMap((change) => (change.kind === 'room' ? [change.row] : []));
const recordings = (changes: RowChange[]) => changes.flatMap((change) => (change.kind === 'recording' ? [change.row] : []));

describe('OpenVidu 2 sessions from GET /openvidu/api/sessions', () => {
  test('a listed session is the row its webhooks made: uniqueSessionId is id + "_" + createdAt', () => {
    const rows = fromWebhooks([created, joined('con_A', CREATED + 10)], CREATED + 20);
    const [changed] = rooms(reconcileOpenViduSessions([restSession()], rows.rooms, READ, NOW));
    assert.equal(changed?.roomId, UNIQUE);
    assert.equal(changed?.participants, 2, 'con_B joined while its webhook was lost: the API counts it');
    assert.deepEqual(changed?.presence, { present: ['con_A', 'con_B'], left: [] });
    assert.equal(changed?.activeSince, rows.rooms[0]!.activeSince, 'the meeting keeps its start');
  });

  test('a session roomwatch never heard of appears, active since its createdAt, named by its id', () => {
    const [row] = rooms(reconcileOpenViduSessions([restSession()], [], READ, NOW));
    assert.deepEqual(
      { roomId: row?.roomId, roomName: row?.roomName, status: row?.status, activeSince: row?.activeSince, participants: row?.participants, source: row?.source },
      { roomId: UNIQUE, roomName: SESSION_ID, status: 'active_meeting', activeSince: CREATED, participants: 2, source: 'openvidu' },
    );
  });

  test('a session OpenVidu no longer lists is closed, not removed, and nobody is left in it', () => {
    const rows = fromWebhooks([created, joined('con_A', CREATED + 10)], CREATED + 20);
    const [row] = rooms(reconcileOpenViduSessions([], rows.rooms, READ, NOW));
    assert.equal(row?.status, 'closed');
    assert.equal(row?.removed, false);
    assert.equal(row?.participants, 0);
    assert.deepEqual(row?.presence, { present: [], left: ['con_A'] });
    assert.equal(row?.activeSince, undefined);
  });

  test('a row that heard a webhook after the read began keeps what the webhook said', () => {
    const rows = fromWebhooks([created], READ + 1);
    assert.deepEqual(reconcileOpenViduSessions([], rows.rooms, READ, NOW), [], 'created during the read: not closed');
    const withJoin = fromWebhooks([created, joined('con_A', CREATED + 10)], READ);
    assert.deepEqual(reconcileOpenViduSessions([restSession({}, [])], withJoin.rooms, READ, NOW), [], 'joined at the read: not emptied');
  });

  test('a closed session never reopens; a newer session reusing the id is another room', () => {
    const ended = fromWebhooks(
      [created, { sessionId: SESSION_ID, uniqueSessionId: UNIQUE, timestamp: CREATED + 500, startTime: CREATED, duration: 0, reason: 'lastParticipantLeft', event: 'sessionDestroyed' }],
      CREATED + 600,
    );
    assert.deepEqual(reconcileOpenViduSessions([restSession()], ended.rooms, READ, NOW), [], 'the same instance listed late: nothing');
    const newer = rooms(reconcileOpenViduSessions([restSession({ createdAt: CREATED + 1000 })], ended.rooms, READ, NOW));
    assert.deepEqual(newer.map((row) => [row.roomId, row.status]), [[`${SESSION_ID}_${CREATED + 1000}`, 'active_meeting']]);
  });

  test('before 2.17 rooms were keyed by the bare sessionId: such a row is that session', () => {
    const legacy = fromWebhooks([{ sessionId: 'TestSession', timestamp: CREATED, event: 'sessionCreated' }], CREATED + 1);
    const changed = rooms(reconcileOpenViduSessions([restSession({ id: 'TestSession', sessionId: 'TestSession' }, ['con_A'])], legacy.rooms, READ, NOW));
    assert.deepEqual(changed.map((row) => [row.roomId, row.participants]), [['TestSession', 1]]);
  });

  test('an unchanged session is no change at all', () => {
    const [row] = rooms(reconcileOpenViduSessions([restSession()], [], READ, NOW));
    assert.deepEqual(reconcileOpenViduSessions([restSession()], [row!], READ + 10_000, NOW + 10_000), []);
  });
});

describe('OpenVidu 2 recordings from GET /openvidu/api/recordings', () => {
  const context = (sessions: OpenViduRestSession[] = [], roomRows: RoomRow[] = []) => ({ sessions, rooms: roomRows, recordingEnabled: true });
  const started = { sessionId: SESSION_ID, uniqueSessionId: UNIQUE, timestamp: CREATED + 5000, startTime: CREATED + 5000, duration: 0, id: SESSION_ID, name: SESSION_ID, outputMode: 'COMPOSED', hasAudio: true, hasVideo: true, size: 0, status: 'started', event: 'recordingStatusChanged' };
  const ready = { ...started, timestamp: CREATED + 20_000, duration: 8.6, reason: 'lastParticipantLeft', size: 1973428, status: 'ready' };

  test('a ready recording gets its file URL, size and duration, which no webhook carries', () => {
    const rows = fromWebhooks([created, started, ready], CREATED + 20_001);
    const [row] = recordings(reconcileOpenViduRecordings([restRecording()], rows.recordings, context(), READ, NOW));
    assert.deepEqual(row?.files, [{ url: `https://ov.example.com/openvidu/recordings/${SESSION_ID}/${SESSION_ID}.mp4`, size: 1973428, duration: 8.6 }]);
    assert.equal(row?.status, 'complete');
    assert.equal(row?.roomId, UNIQUE);
  });

  test('the URL is added even to a row a webhook changed during the read; its status stays the webhook’s', () => {
    const rows = fromWebhooks([created, started], READ + 5);
    const [row] = recordings(reconcileOpenViduRecordings([restRecording({ status: 'stopped', url: null })], rows.recordings, context(), READ, NOW));
    assert.equal(row, undefined, 'no URL yet: nothing to add, and the status is the webhook’s');
    const later = fromWebhooks([created, started, ready], READ + 5);
    const [withUrl] = recordings(reconcileOpenViduRecordings([restRecording({ status: 'stopped' })], later.recordings, context(), READ, NOW));
    assert.equal(withUrl?.status, 'complete', 'the REST "stopped" does not move it back');
    assert.equal(withUrl?.files?.length, 1);
  });

  test('status moves forward only; a recording first seen here belongs to the session instance it started in', () => {
    const rows = fromWebhooks([created, started, ready], CREATED + 20_001);
    assert.deepEqual(reconcileOpenViduRecordings([restRecording({ status: 'started', url: null, size: 0, duration: 0 })], rows.recordings, context(), READ, NOW), []);
    const sessions = [restSession({ createdAt: CREATED + 1000 }), restSession({ id: 'other', createdAt: CREATED - 10 })];
    const [found] = recordings(reconcileOpenViduRecordings([restRecording({ status: 'started', url: null, size: 0, duration: 0 })], [], context(sessions), READ, NOW));
    assert.deepEqual([found?.roomId, found?.roomName, found?.status, found?.startedAt], [`${SESSION_ID}_${CREATED + 1000}`, SESSION_ID, 'active', CREATED + 5000]);
    const ended = fromWebhooks([created], CREATED + 1);
    const [ofEnded] = recordings(reconcileOpenViduRecordings([restRecording()], [], context([], ended.rooms), READ, NOW));
    assert.equal(ofEnded?.roomId, UNIQUE, 'found among the rooms when the session has ended');
  });

  test('a recording OpenVidu no longer lists was deleted there; with recording off (501) nothing is', () => {
    const rows = fromWebhooks([created, started, ready], CREATED + 20_001);
    assert.deepEqual(recordings(reconcileOpenViduRecordings([], rows.recordings, context(), READ, NOW)).map((row) => row.removed), [true]);
    assert.deepEqual(reconcileOpenViduRecordings([], rows.recordings, { ...context(), recordingEnabled: false }, READ, NOW), []);
  });

  test('an id reused after a deletion is a new recording', () => {
    const rows = fromWebhooks([created, started, ready], CREATED + 20_001);
    const [row] = recordings(reconcileOpenViduRecordings([restRecording({ createdAt: CREATED + 90_000, status: 'started', url: null, size: 0, duration: 0 })], rows.recordings, context(), READ, NOW));
    assert.deepEqual([row?.status, row?.startedAt, row?.files, row?.size], ['active', CREATED + 90_000, undefined, undefined]);
  });
});
