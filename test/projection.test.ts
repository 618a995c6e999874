import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../server/domain/events.js';
import { projectWebhook } from '../server/domain/projection.js';
import type { SourceId } from '../server/domain/rows.js';
import * as enx from './fixtures/enablex.js';
import * as lk from './fixtures/livekit.js';
import * as ls from './fixtures/liveswitch.js';
import * as ov from './fixtures/openvidu.js';
import { MemoryRows } from './fixtures/rows.js';

const stored = (source: SourceId, payload: unknown, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  seq: 1,
  kind: 'webhook',
  source,
  type: 'whatever the adapter named it',
  createdAt: null,
  receivedAt: 1_900_000_000_000,
  dedupeKey: 'k',
  roomId: null,
  headers: {},
  body: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  ...extra,
});

/** The rows here are only read; the projection's answer is what is checked. */
const rows = new MemoryRows('meet', () => []);

const dispatchCases: { source: SourceId; payload: unknown; row: [string, string] }[] = [
  { source: 'openvidu', payload: ov.sessionCreated(), row: ['room', ov.UNIQUE_SESSION_ID] },
  { source: 'livekit', payload: lk.egressEnded(), row: ['recording', lk.EGRESS_ID] },
  { source: 'enablex', payload: enx.roomdrop(), row: ['room', enx.SESSION_KEY] },
  { source: 'liveswitch', payload: ls.activated(), row: ['room', ls.CHANNEL_ID] },
  {
    source: 'meet',
    payload: { event: 'meetingStarted', creationDate: 1000, data: { roomId: 'r1', roomName: 'R', status: 'active_meeting' } },
    row: ['room', 'r1'],
  },
];
for (const { source, payload, row } of dispatchCases) {
  test(`a stored ${source} webhook goes through the ${source} projection, read from its stored bytes`, () => {
    const changes = projectWebhook(stored(source, payload, source === 'meet' ? { createdAt: 1000 } : {}), rows);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.kind === 'room' ? c.row.roomId : c.row.recordingId, c.row.source]),
      [[...row, source]],
    );
  });
}

test('the payload the adapter already parsed is used as it is', () => {
  const changes = projectWebhook(stored('openvidu', 'not json', { parsed: ov.sessionCreated() }), rows);
  assert.equal(changes.length, 1);
});

test('a body that is not JSON, a change entry, and a Meet webhook without creationDate project nothing', () => {
  assert.deepEqual(projectWebhook(stored('livekit', '{"event":"room_started",'), rows), []);
  assert.deepEqual(projectWebhook(stored('openvidu', ov.sessionCreated(), { kind: 'change' }), rows), []);
  assert.deepEqual(projectWebhook(stored('meet', { event: 'meetingStarted', data: { roomId: 'r1' } }), rows), []);
});
