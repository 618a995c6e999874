import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectOpenViduEvent } from '../server/platforms/openvidu/project.js';
import * as ov from './fixtures/openvidu.js';
import { MemoryRows } from './fixtures/rows.js';

const rowsWith = (...payloads: unknown[]) => new MemoryRows('openvidu', projectOpenViduEvent).receiveAll(payloads);
const OTHER = { connectionId: 'con_ThN5Rgi8Y8', participantId: 'con_ThN5Rgi8Y8' };

test('sessionCreated shows an active meeting keyed by uniqueSessionId, named by sessionId, with nobody in it yet', () => {
  const rows = rowsWith(ov.sessionCreated());
  const row = rows.roomRow(ov.UNIQUE_SESSION_ID)!;
  assert.deepEqual(
    { source: row.source, roomName: row.roomName, status: row.status, participants: row.participants, eventAt: row.eventAt, links: row.links },
    { source: 'openvidu', roomName: ov.SESSION_ID, status: 'active_meeting', participants: 0, eventAt: ov.CREATED_AT, links: {} },
  );
});

test('before 2.17 (no uniqueSessionId, only participantId) the session is keyed by sessionId and still counts people', () => {
  const rows = rowsWith(ov.legacySessionCreated, ov.legacyParticipantJoined);
  assert.equal(rows.roomRow('TestSession')?.participants, 1);
});

const roomCases: { name: string; events: unknown[]; status: string; participants: number }[] = [
  {
    name: 'the whole session: two join, one leaves, the session ends with nobody left',
    events: [ov.sessionCreated(), ov.participantJoined(), ov.participantJoined({ ...OTHER, timestamp: ov.JOINED_AT + 5 }), ov.participantLeft(), ov.sessionDestroyed()],
    status: 'closed',
    participants: 0,
  },
  {
    name: 'a participant still counted when the session ends is counted no more',
    events: [ov.sessionCreated(), ov.participantJoined(), ov.sessionDestroyed()],
    status: 'closed',
    participants: 0,
  },
  {
    name: 'a join delivered twice (an I/O retry) counts once',
    events: [ov.sessionCreated(), ov.participantJoined(), ov.participantJoined()],
    status: 'active_meeting',
    participants: 1,
  },
  {
    name: 'a leave that arrives before its join leaves nobody counted',
    events: [ov.sessionCreated(), ov.participantLeft(), ov.participantJoined()],
    status: 'active_meeting',
    participants: 0,
  },
  {
    name: 'a lost sessionCreated: the first join shows the meeting',
    events: [ov.participantJoined()],
    status: 'active_meeting',
    participants: 1,
  },
  {
    name: 'a stale sessionCreated after sessionDestroyed does not reopen the session',
    events: [ov.sessionDestroyed(), ov.sessionCreated()],
    status: 'closed',
    participants: 0,
  },
  {
    name: 'a stale join after sessionDestroyed neither reopens the session nor counts',
    events: [ov.sessionCreated(), ov.sessionDestroyed(), ov.participantJoined()],
    status: 'closed',
    participants: 0,
  },
];
for (const { name, events, status, participants } of roomCases) {
  test(name, () => {
    const row = rowsWith(...events).roomRow(ov.UNIQUE_SESSION_ID)!;
    assert.equal(row.status, status);
    assert.equal(row.participants, participants);
  });
}

test('a reused custom sessionId (no uniqueSessionId) opens again on a newer sessionCreated, and an old sessionDestroyed replayed later does not close it', () => {
  const legacy = { uniqueSessionId: undefined };
  const rows = rowsWith(
    ov.sessionCreated(legacy),
    ov.participantJoined(legacy),
    ov.sessionDestroyed(legacy),
    ov.sessionCreated({ ...legacy, timestamp: ov.DESTROYED_AT + 60_000 }),
  );
  assert.deepEqual([rows.roomRow(ov.SESSION_ID)?.status, rows.roomRow(ov.SESSION_ID)?.participants], ['active_meeting', 0]);
  rows.receive(ov.sessionDestroyed(legacy));
  assert.equal(rows.roomRow(ov.SESSION_ID)?.status, 'active_meeting');
});

test('an event delivered twice changes nothing the second time', () => {
  const rows = rowsWith(ov.sessionCreated(), ov.participantJoined(), ov.recordingStatusChanged('started'));
  assert.deepEqual(rows.receive(ov.participantJoined()), []);
  assert.deepEqual(rows.receive(ov.recordingStatusChanged('started')), []);
  assert.deepEqual(rows.receive(ov.sessionCreated()), []);
});

test('the recording lifecycle: started → active, stopped → processing, ready → complete with size and duration', () => {
  const rows = rowsWith(ov.sessionCreated(), ov.recordingStatusChanged('started'));
  assert.equal(rows.recordingRow(ov.SESSION_ID)?.status, 'active');
  rows.receive(ov.recordingStatusChanged('stopped'));
  assert.equal(rows.recordingRow(ov.SESSION_ID)?.status, 'processing');
  assert.equal(rows.recordingRow(ov.SESSION_ID)?.size, undefined, 'size 0 before ready means unknown');
  rows.receive(ov.recordingStatusChanged('ready'));
  const row = rows.recordingRow(ov.SESSION_ID)!;
  assert.deepEqual(
    { source: row.source, status: row.status, roomId: row.roomId, roomName: row.roomName, startedAt: row.startedAt, endedAt: row.endedAt, size: row.size, duration: row.duration },
    {
      source: 'openvidu',
      status: 'complete',
      roomId: ov.UNIQUE_SESSION_ID,
      roomName: ov.SESSION_ID,
      startedAt: ov.RECORDING_STARTED_AT,
      endedAt: ov.RECORDING_STOPPED_AT - 300,
      size: 1973428,
      duration: 8.6,
    },
  );
});

test('ready after sessionDestroyed still completes the recording, and the session stays closed', () => {
  const rows = rowsWith(
    ov.sessionCreated(),
    ov.recordingStatusChanged('started', { timestamp: ov.RECORDING_STARTED_AT }),
    ov.recordingStatusChanged('stopped', { timestamp: ov.DESTROYED_AT - 10, reason: 'lastParticipantLeft' }),
    ov.sessionDestroyed(),
    ov.recordingStatusChanged('ready', { timestamp: ov.DESTROYED_AT + 2000, reason: 'lastParticipantLeft' }),
  );
  assert.equal(rows.recordingRow(ov.SESSION_ID)?.status, 'complete');
  assert.equal(rows.recordingRow(ov.SESSION_ID)?.size, 1973428);
  assert.equal(rows.roomRow(ov.UNIQUE_SESSION_ID)?.status, 'closed');
});

const recordingCases: { name: string; events: unknown[]; status: string }[] = [
  { name: 'a late stopped does not undo ready', events: [ov.recordingStatusChanged('ready'), ov.recordingStatusChanged('stopped')], status: 'complete' },
  {
    name: 'a retried started after stopped does not undo it',
    events: [ov.recordingStatusChanged('started'), ov.recordingStatusChanged('stopped'), ov.recordingStatusChanged('started')],
    status: 'processing',
  },
  {
    name: 'a recording status never moves back, even on a newer timestamp',
    events: [ov.recordingStatusChanged('stopped'), ov.recordingStatusChanged('started', { timestamp: ov.RECORDING_STOPPED_AT + 10 })],
    status: 'processing',
  },
  {
    name: 'an older final status arriving late does not replace a newer one',
    events: [ov.recordingStatusChanged('ready'), ov.recordingStatusChanged('failed', { timestamp: ov.RECORDING_STOPPED_AT - 100 })],
    status: 'complete',
  },
  { name: 'failed is final', events: [ov.recordingStatusChanged('started'), ov.recordingStatusChanged('failed')], status: 'failed' },
  {
    name: 'deprecated recordingStarted / recordingStopped (2.11–2.20) mean active and processing',
    events: [{ ...ov.recordingStatusChanged('started'), event: 'recordingStarted', status: undefined }, { ...ov.recordingStatusChanged('stopped'), event: 'recordingStopped', status: undefined }],
    status: 'processing',
  },
  {
    name: 'a crashed media node fails its recording, and the stopped that follows does not revive it',
    events: [ov.recordingStatusChanged('started'), ov.nodeCrashed(), ov.recordingStatusChanged('stopped', { reason: 'nodeCrashed', timestamp: ov.RECORDING_STOPPED_AT + 2000 })],
    status: 'failed',
  },
  {
    name: 'a crashed media node does not touch a recording that was already complete',
    events: [ov.recordingStatusChanged('ready'), ov.nodeCrashed()],
    status: 'complete',
  },
];
for (const { name, events, status } of recordingCases) {
  test(name, () => {
    assert.equal(rowsWith(...events).recordingRow(ov.SESSION_ID)?.status, status);
  });
}

test('a recording id used again after deletion (a later startTime) is a new recording, not a step back', () => {
  const next = ov.RECORDING_STOPPED_AT + 3_600_000;
  const rows = rowsWith(ov.recordingStatusChanged('ready'), ov.recordingStatusChanged('started', { timestamp: next, startTime: next }));
  const row = rows.recordingRow(ov.SESSION_ID)!;
  assert.deepEqual([row.status, row.startedAt, row.size, row.duration], ['active', next, undefined, undefined]);
});

test('events about no session or recording, infrastructure events and unreadable payloads change nothing', () => {
  const rows = rowsWith(ov.sessionCreated());
  for (const payload of [
    ov.webrtcConnectionDestroyed,
    ov.signalSent,
    ov.filterEventDispatched,
    ov.mediaNodeStatusChanged,
    { event: 'broadcastStarted', timestamp: ov.CREATED_AT + 1, sessionId: ov.SESSION_ID },
    ov.recordingStatusChanged('started', { status: 'starting' }),
    ov.recordingStatusChanged('started', { id: undefined }),
    ov.sessionCreated({ sessionId: undefined, uniqueSessionId: undefined }),
    ov.nodeCrashed({ recordingIds: 'not a list' }),
    'sessionCreated',
    null,
    [ov.sessionCreated()],
  ]) {
    assert.deepEqual(rows.receive(payload), [], JSON.stringify(payload));
  }
});

test('the time the adapter read orders events; without it, the payload timestamp does', () => {
  const rows = new MemoryRows('openvidu', projectOpenViduEvent);
  rows.receive(ov.sessionCreated(), 5000);
  assert.equal(rows.roomRow(ov.UNIQUE_SESSION_ID)?.eventAt, 5000);
  rows.receive(ov.sessionDestroyed(), null);
  assert.equal(rows.roomRow(ov.UNIQUE_SESSION_ID)?.eventAt, ov.DESTROYED_AT);
});
