import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectLiveKitEvent } from '../server/platforms/livekit/project.js';
import * as lk from './fixtures/livekit.js';
import { MemoryRows } from './fixtures/rows.js';

const rowsWith = (...payloads: unknown[]) => new MemoryRows('livekit', projectLiveKitEvent).receiveAll(payloads);

test('room_started shows an active meeting keyed by room sid, named by room name, createdAt read as seconds', () => {
  const row = rowsWith(lk.roomStarted()).roomRow(lk.ROOM_SID)!;
  assert.deepEqual(
    { source: row.source, roomName: row.roomName, status: row.status, participants: row.participants, eventAt: row.eventAt },
    { source: 'livekit', roomName: lk.ROOM_NAME, status: 'active_meeting', participants: 0, eventAt: lk.ROOM_CREATED_S * 1000 },
  );
});

test('the SDK’s own room_started (no createdAt) is ordered by its receive time', () => {
  const rows = rowsWith(lk.sdkRoomStarted);
  const row = rows.roomRow('RM_TkVjUvAqgzKz')!;
  assert.equal(row.roomName, 'mytestroom');
  assert.equal(row.eventAt, rows.clock);
});

const roomCases: { name: string; events: unknown[]; status: string; participants: number }[] = [
  {
    name: 'the whole room: two join, one leaves, room_finished leaves nobody',
    events: [lk.roomStarted(), lk.participantJoined('PA_a'), lk.participantJoined('PA_b'), lk.participantLeft('PA_a'), lk.roomFinished()],
    status: 'closed',
    participants: 0,
  },
  {
    name: 'two people in the room are counted as two',
    events: [lk.roomStarted(), lk.participantJoined('PA_a'), lk.participantJoined('PA_b')],
    status: 'active_meeting',
    participants: 2,
  },
  {
    name: 'a retried participant_joined counts once',
    events: [lk.roomStarted(), lk.participantJoined('PA_a'), lk.participantJoined('PA_a')],
    status: 'active_meeting',
    participants: 1,
  },
  {
    name: 'a participant_left that overtakes its participant_joined leaves nobody counted',
    events: [lk.roomStarted(), lk.participantLeft('PA_a'), lk.participantJoined('PA_a')],
    status: 'active_meeting',
    participants: 0,
  },
  {
    name: 'participant_connection_aborted counts as leaving',
    events: [lk.roomStarted(), lk.participantJoined('PA_a'), { ...lk.participantLeft('PA_a'), event: 'participant_connection_aborted' }],
    status: 'active_meeting',
    participants: 0,
  },
  {
    name: 'egress, ingress and agent participants are not people',
    events: [
      lk.roomStarted(),
      lk.participantJoined('PA_rec', 1739900131, { kind: 'EGRESS' }),
      lk.participantJoined('PA_in', 1739900132, { kind: 'INGRESS' }),
      lk.participantJoined('PA_bot', 1739900133, { kind: 'AGENT' }),
      lk.participantJoined('PA_sip', 1739900134, { kind: 'SIP' }),
    ],
    status: 'active_meeting',
    participants: 1,
  },
  {
    name: 'a lost room_started: the first join shows the meeting',
    events: [lk.participantJoined('PA_a')],
    status: 'active_meeting',
    participants: 1,
  },
  {
    name: 'a stale room_started after room_finished does not reopen the room',
    events: [lk.roomStarted(), lk.roomFinished(), lk.roomStarted()],
    status: 'closed',
    participants: 0,
  },
  {
    name: 'room_started retried in the same second as room_finished does not reopen the room',
    events: [lk.roomStarted(1739900100), lk.roomFinished(1739900100), lk.roomStarted(1739900100)],
    status: 'closed',
    participants: 0,
  },
  {
    name: 'a stale participant_joined after room_finished neither reopens nor counts',
    events: [lk.roomStarted(), lk.roomFinished(), lk.participantJoined('PA_late')],
    status: 'closed',
    participants: 0,
  },
];
for (const { name, events, status, participants } of roomCases) {
  test(name, () => {
    const row = rowsWith(...events).roomRow(lk.ROOM_SID)!;
    assert.equal(row.status, status);
    assert.equal(row.participants, participants);
  });
}

test('a new instance of the same room name is a row of its own', () => {
  const rows = rowsWith(lk.roomStarted(), lk.roomFinished());
  const next = lk.roomStarted(lk.ROOM_CREATED_S + 3600);
  rows.receive({ ...next, room: { ...next.room, sid: 'RM_secondInstance' } });
  assert.equal(rows.roomRow(lk.ROOM_SID)?.status, 'closed');
  assert.equal(rows.roomRow('RM_secondInstance')?.status, 'active_meeting');
  assert.equal(rows.roomRow('RM_secondInstance')?.roomName, lk.ROOM_NAME);
});

test('an event delivered twice changes nothing the second time', () => {
  const rows = rowsWith(lk.roomStarted(), lk.participantJoined(), lk.egressEnded());
  assert.deepEqual(rows.receive(lk.participantJoined()), []);
  assert.deepEqual(rows.receive(lk.egressEnded()), []);
  assert.deepEqual(rows.receive(lk.roomStarted()), []);
});

test('the egress lifecycle ends complete, with big-int strings and nanosecond times read to the exact ms', () => {
  const rows = rowsWith(lk.egressStarted());
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'starting', 'no status is EGRESS_STARTING');
  rows.receive(lk.egressActive());
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'active');
  rows.receive(lk.egressEnding());
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'ending');
  rows.receive(lk.egressEnded());
  const row = rows.recordingRow(lk.EGRESS_ID)!;
  assert.deepEqual(
    {
      source: row.source,
      status: row.status,
      roomId: row.roomId,
      roomName: row.roomName,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      size: row.size,
      duration: row.duration,
      filename: row.filename,
      eventAt: row.eventAt,
      files: row.files,
    },
    {
      source: 'livekit',
      status: 'complete',
      roomId: lk.ROOM_SID,
      roomName: lk.ROOM_NAME,
      // 1731660518186023947 ns: a double would give 1731660518186.0239, not a whole ms.
      startedAt: 1731660518186,
      endedAt: 1731668993605,
      size: 61941096,
      duration: 8475.419,
      filename: 'daily-standup.mp4',
      eventAt: 1731668994000,
      files: [{ url: 'https://bucket.s3.amazonaws.com/daily-standup.mp4', size: 61941096, duration: 8475.419, kind: 'file' }],
    },
  );
});

test('fileResults empty with the deprecated file filled: the file is still found', () => {
  const rows = rowsWith(lk.egressEnded({ fileResults: [], file: lk.fileResult({ location: 's3://bucket/legacy.mp4', size: '1024' }) }));
  assert.deepEqual(rows.recordingRow(lk.EGRESS_ID)?.files, [{ url: 's3://bucket/legacy.mp4', size: 1024, duration: 8475.419, kind: 'file' }]);
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.size, 1024);
});

test('a negative duration (egress#809) is no duration; HLS playlists are files too', () => {
  const rows = rowsWith(
    lk.egressEnded({
      endedAt: undefined,
      fileResults: [lk.fileResult({ duration: '-1731660518186023947', endedAt: undefined })],
      segmentResults: [{ playlistName: 'p.m3u8', playlistLocation: 'https://cdn.example.com/p.m3u8', duration: '60000000000', size: '2048', segmentCount: '10' }],
    }),
  );
  const row = rows.recordingRow(lk.EGRESS_ID)!;
  assert.deepEqual(row.files, [
    { url: 'https://bucket.s3.amazonaws.com/daily-standup.mp4', size: 61941096, kind: 'file' },
    { url: 'https://cdn.example.com/p.m3u8', size: 2048, duration: 60, kind: 'hls' },
  ]);
  assert.equal(row.endedAt, undefined);
  assert.equal(row.duration, 60);
});

const egressCases: { name: string; events: unknown[]; status: string }[] = [
  { name: 'egress_ended overtaking egress_updated(ACTIVE) is not undone by it', events: [lk.egressStarted(), lk.egressEnded(), lk.egressActive()], status: 'complete' },
  { name: 'a late egress_started does not undo EGRESS_ENDING', events: [lk.egressEnding(), lk.egressStarted()], status: 'ending' },
  {
    name: 'an egress status never moves back, even in a newer event',
    events: [lk.egressEnding(), lk.egress('egress_updated', 1731669000, { status: 'EGRESS_ACTIVE' })],
    status: 'ending',
  },
  {
    name: 'EGRESS_FAILED is final',
    events: [lk.egressActive(), lk.egress('egress_ended', 1731668994, { status: 'EGRESS_FAILED', error: 'pipeline frozen' })],
    status: 'failed',
  },
  { name: 'EGRESS_ABORTED reads as aborted', events: [lk.egressStarted(), lk.egressEnded({ status: 'EGRESS_ABORTED', fileResults: [] })], status: 'aborted' },
  { name: 'EGRESS_LIMIT_REACHED reads as limit_reached', events: [lk.egressActive(), lk.egressEnded({ status: 'EGRESS_LIMIT_REACHED' })], status: 'limit_reached' },
];
for (const { name, events, status } of egressCases) {
  test(name, () => {
    assert.equal(rowsWith(...events).recordingRow(lk.EGRESS_ID)?.status, status);
  });
}

test('a failed egress shows its error', () => {
  const rows = rowsWith(lk.egress('egress_ended', 1731668994, { status: 'EGRESS_FAILED', error: 'pipeline frozen' }));
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.error, 'pipeline frozen');
});

test('a recording that ends after room_finished still ends, and the room stays closed', () => {
  const rows = rowsWith(lk.roomStarted(), lk.egressActive(), lk.roomFinished(), lk.egressEnded());
  assert.equal(rows.recordingRow(lk.EGRESS_ID)?.status, 'complete');
  assert.equal(rows.roomRow(lk.ROOM_SID)?.status, 'closed');
});

test('tracks, ingress, agents, unknown egress statuses and unreadable payloads change nothing', () => {
  const rows = rowsWith(lk.roomStarted());
  for (const payload of [
    lk.trackUnpublished,
    { ...lk.trackUnpublished, event: 'track_published' },
    { event: 'ingress_started', id: 'EV_x', createdAt: '1739900200', ingressInfo: { ingressId: 'IN_x', roomName: lk.ROOM_NAME } },
    { event: 'agent_job_started', id: 'EV_y', createdAt: '1739900200', job: { id: 'AJ_x' } },
    lk.egress('egress_updated', 1731660600, { status: 'EGRESS_WARMING_UP' }),
    { event: 'egress_ended', id: 'EV_z', createdAt: '1739900200' },
    { ...lk.roomStarted(), room: { name: 'no sid' } },
    { ...lk.participantJoined('PA_z'), room: 'not an object' },
    'room_started',
    null,
  ]) {
    assert.deepEqual(rows.receive(payload), [], JSON.stringify(payload));
  }
});

// ── Egress kinds: LiveKit's and Meet's own rule (Meet's isRecordingEgress: files, not streams) ──────

const streamRequest = { roomComposite: { roomName: lk.ROOM_NAME, layout: 'grid', streamOutputs: [{ protocol: 'RTMP', urls: ['rtmps://live.example.com/app/{redacted}'] }] } };

test('a stream egress is no recording: its room shows it streaming, then done', () => {
  const rows = rowsWith(
    lk.roomStarted(),
    lk.egress('egress_started', 1731660518, { ...streamRequest }),
    lk.egress('egress_updated', 1731660519, { ...streamRequest, status: 'EGRESS_ACTIVE', streamResults: [{ url: 'rtmps://live.example.com/app/{redacted}', status: 'ACTIVE' }] }),
  );
  assert.equal(rows.recordingRow(lk.EGRESS_ID), undefined);
  assert.deepEqual(rows.roomRow(lk.ROOM_SID)?.outputs, [{ id: lk.EGRESS_ID, kind: 'stream', status: 'active' }]);
  rows.receive(lk.egress('egress_ended', 1731668994, { ...streamRequest, status: 'EGRESS_COMPLETE', streamResults: [{ url: 'rtmps://live.example.com/app/{redacted}', status: 'FINISHED' }] }));
  assert.deepEqual(rows.roomRow(lk.ROOM_SID)?.outputs, [{ id: lk.EGRESS_ID, kind: 'stream', status: 'complete' }]);
  assert.equal(rows.roomRow(lk.ROOM_SID)?.status, 'active_meeting', 'a stream neither starts nor ends the meeting');
  assert.equal(rows.recordingRow(lk.EGRESS_ID), undefined);
});

test('an image egress is no recording either; file and segment egresses are, and a file egress that also streams shows both', () => {
  const images = rowsWith(lk.egress('egress_ended', 1731668994, { status: 'EGRESS_COMPLETE', imageResults: [{ filenamePrefix: 'thumb', imageCount: '12' }] }));
  assert.equal(images.recordingRow(lk.EGRESS_ID), undefined);
  assert.deepEqual(images.roomRow(lk.ROOM_SID)?.outputs, [{ id: lk.EGRESS_ID, kind: 'images', status: 'complete' }]);

  const segments = rowsWith(lk.egress('egress_started', 1731660518, { roomComposite: { roomName: lk.ROOM_NAME, segmentOutputs: [{ filenamePrefix: 'hls/' }] } }));
  assert.equal(segments.recordingRow(lk.EGRESS_ID)?.status, 'starting');
  assert.equal(segments.roomRow(lk.ROOM_SID)?.outputs, undefined);

  const both = rowsWith(lk.egressEnded({ streamResults: [{ url: 'rtmp://x/{redacted}', status: 'FINISHED' }] }));
  assert.equal(both.recordingRow(lk.EGRESS_ID)?.status, 'complete');
  assert.deepEqual(both.roomRow(lk.ROOM_SID)?.outputs, [{ id: lk.EGRESS_ID, kind: 'stream', status: 'complete' }]);
});

// ── Since LiveKit 1.13.5 egress webhooks carry the room: it wins over egressInfo ────────────────────

test("an egress event's room {sid, name} names the recording's room when egressInfo does not", () => {
  const event = { ...lk.egressEnded({ roomId: undefined, roomName: 'old-name' }), room: { sid: lk.ROOM_SID, name: lk.ROOM_NAME } };
  const row = rowsWith(event).recordingRow(lk.EGRESS_ID)!;
  assert.deepEqual([row.roomId, row.roomName], [lk.ROOM_SID, lk.ROOM_NAME]);
});
