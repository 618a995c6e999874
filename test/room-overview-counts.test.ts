// The rooms overview's counts (public/src/room-counts.ts) move one change at a time; whatever the changes,
// they end equal to a count from scratch of the rows as they are, and "recording now" names exactly the
// rooms with a recording in progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COUNT_KINDS, RoomCounts } from '../public/src/room-counts.js';
import type { RecordingRow, RecordingStatus, RoomRow, RoomStatus, SourceId } from '../server/domain/rows.js';
import { SOURCE_IDS } from '../server/inspector/types.js';
import { checkProperty } from './fuzz/run-property.js';

const room = (source: SourceId, roomId: string, status: RoomStatus): RoomRow =>
  ({ source, roomId, roomName: roomId, status, links: {}, updatedAt: 1, eventAt: 1, heardAt: 1, removed: false }) as RoomRow;
const recording = (source: SourceId, recordingId: string, roomId: string, status: RecordingStatus): RecordingRow =>
  ({ source, recordingId, roomId, roomName: roomId, status, updatedAt: 1, eventAt: 1, heardAt: 1, removed: false }) as RecordingRow;

test('meetings, open and closed rooms and recordings in progress, in all and by platform', () => {
  const counts = new RoomCounts();
  counts.resetRooms([room('meet', 'a', 'active_meeting'), room('meet', 'b', 'open'), room('livekit', 'c', 'active_meeting'), room('livekit', 'd', 'closed')]);
  counts.resetRecordings([recording('livekit', 'e1', 'c', 'active'), recording('livekit', 'e2', 'c', 'starting'), recording('meet', 'r1', 'a', 'complete')]);
  assert.deepEqual(
    COUNT_KINDS.map((kind) => [kind, counts.count(kind), counts.count(kind, 'meet'), counts.count(kind, 'livekit'), counts.count(kind, 'enablex')]),
    [
      ['active_meeting', 2, 1, 1, 0],
      ['open', 1, 1, 0, 0],
      ['closed', 1, 0, 1, 0],
      ['recording', 2, 0, 2, 0],
    ],
  );
  assert.deepEqual(counts.sources().sort(), ['livekit', 'meet']);
  assert.equal(counts.isRecording('livekit:c'), true);
  assert.equal(counts.isRecording('meet:a'), false);

  // The room stops recording only when its last recording in progress ends.
  assert.deepEqual(counts.recording(recording('livekit', 'e1', 'c', 'active'), recording('livekit', 'e1', 'c', 'complete')), []);
  assert.deepEqual(counts.recording(recording('livekit', 'e2', 'c', 'starting'), recording('livekit', 'e2', 'c', 'failed')), ['livekit:c']);
  assert.equal(counts.isRecording('livekit:c'), false);
  assert.deepEqual(counts.recording(undefined, recording('meet', 'r2', 'a', 'starting')), ['meet:a']);
  // A recording that moves on but stays in progress changes no room.
  assert.deepEqual(counts.recording(recording('meet', 'r2', 'a', 'starting'), recording('meet', 'r2', 'a', 'active')), []);
});

type Step = { kind: 'room'; id: number; status: RoomStatus | null } | { kind: 'recording'; id: number; room: number; status: RecordingStatus | null };

const source = (id: number): SourceId => SOURCE_IDS[id % SOURCE_IDS.length]!;
const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('room' as const), id: fc.nat(12), status: fc.constantFrom<RoomStatus | null>('open', 'active_meeting', 'closed', null) }),
    fc.record({
      kind: fc.constant('recording' as const),
      id: fc.nat(12),
      room: fc.nat(12),
      status: fc.constantFrom<RecordingStatus | null>('starting', 'active', 'ending', 'processing', 'complete', 'failed', 'aborted', 'limit_reached', null),
    }),
  ),
  { maxLength: 80 },
);

test('after any changes, the counts equal a count from scratch of the rows as they are', async (t) => {
  await checkProperty(
    t,
    fc.property(steps, (changes: Step[]) => {
      const rooms = new Map<number, RoomRow>();
      const recordings = new Map<number, RecordingRow>();
      const live = new RoomCounts();
      const changedRooms: string[] = [];
      for (const step of changes) {
        if (step.kind === 'room') {
          const previous = rooms.get(step.id);
          const row = step.status === null ? undefined : room(source(step.id), `room-${step.id}`, step.status);
          if (row) rooms.set(step.id, row);
          else rooms.delete(step.id);
          live.room(previous, row);
        } else {
          const previous = recordings.get(step.id);
          // A recording keeps its room and platform (its id names both).
          const roomOf = previous ? Number(previous.roomId.slice(5)) : step.room;
          const row = step.status === null ? undefined : recording(source(roomOf), `rec-${step.id}`, `room-${roomOf}`, step.status);
          if (row) recordings.set(step.id, row);
          else recordings.delete(step.id);
          const before = new Set([...Array(13).keys()].filter((id) => live.isRecording(`${source(id)}:room-${id}`)));
          changedRooms.splice(0, changedRooms.length, ...live.recording(previous, row));
          const after = new Set([...Array(13).keys()].filter((id) => live.isRecording(`${source(id)}:room-${id}`)));
          const flipped = [...Array(13).keys()].filter((id) => before.has(id) !== after.has(id)).map((id) => `${source(id)}:room-${id}`);
          assert.deepEqual(changedRooms.sort(), flipped.sort());
        }
      }
      const fresh = new RoomCounts();
      fresh.resetRooms(rooms.values());
      fresh.resetRecordings(recordings.values());
      for (const kind of COUNT_KINDS) {
        assert.equal(live.count(kind), fresh.count(kind), kind);
        for (const platform of SOURCE_IDS) assert.equal(live.count(kind, platform), fresh.count(kind, platform), `${kind} ${platform}`);
      }
      for (let id = 0; id < 13; id++) assert.equal(live.isRecording(`${source(id)}:room-${id}`), fresh.isRecording(`${source(id)}:room-${id}`));
      assert.deepEqual(live.sources().sort(), fresh.sources().sort());
    }),
    { shortRuns: 300 },
  );
});
