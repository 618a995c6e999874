// A room's meetings from its webhooks: starts, ends, joins and leaves in order; lost ends and starts; a
// meeting known only from the room's row; platforms that report no people.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogEntry } from '../server/platforms/catalog.js';
import { meetingsFrom } from '../public/src/room-timeline.js';

const openvidu = catalogEntry('openvidu').meetingEvents;
const meet = catalogEntry('meet').meetingEvents;
const idle = { active: false, activeSince: undefined };

test('a meeting with its start, end, joins and the most people at once', () => {
  const meetings = meetingsFrom(
    [
      { at: 1000, type: 'sessionCreated' },
      { at: 1100, type: 'participantJoined' },
      { at: 1200, type: 'participantJoined' },
      { at: 1300, type: 'participantLeft' },
      { at: 1400, type: 'participantJoined' },
      { at: 1500, type: 'recordingStatusChanged' },
      { at: 2000, type: 'sessionDestroyed' },
    ],
    openvidu,
    idle,
  );
  assert.deepEqual(meetings, [{ start: 1000, end: 2000, onNow: false, joined: 3, peak: 2, fromRow: false }]);
});

test('two meetings, the second on now; a start with no end before the next keeps no end', () => {
  const meetings = meetingsFrom(
    [
      { at: 1000, type: 'meetingStarted' },
      { at: 3000, type: 'meetingStarted' },
      { at: 4000, type: 'meetingEnded' },
      { at: 5000, type: 'meetingStarted' },
    ],
    meet,
    { active: true, activeSince: 5000 },
  );
  assert.deepEqual(
    meetings.map(({ start, end, onNow }) => [start, end, onNow]),
    [
      [1000, undefined, false],
      [3000, 4000, false],
      [5000, undefined, true],
    ],
  );
  assert.equal(meetings[0]!.joined, undefined, 'Meet reports no people');
});

test('an end without its start, and a meeting on now that no webhook announced', () => {
  const meetings = meetingsFrom([{ at: 2000, type: 'meetingEnded' }], meet, { active: true, activeSince: 7000 });
  assert.deepEqual(meetings, [
    { start: undefined, end: 2000, onNow: false, joined: undefined, peak: undefined, fromRow: false },
    { start: 7000, end: undefined, onNow: true, joined: undefined, peak: undefined, fromRow: true },
  ]);
});
