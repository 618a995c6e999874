import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFrame, formatFrame, resyncFrame, retryFrame, HEARTBEAT_FRAME } from '../server/live/frames.js';
import type { StoredEvent } from '../server/domain/events.js';

const stored = (overrides: Partial<StoredEvent>): StoredEvent => ({
  seq: 42,
  kind: 'webhook',
  source: 'meet',
  type: 'testEvent',
  createdAt: 1,
  receivedAt: 2,
  dedupeKey: 'k',
  roomId: null,
  headers: {},
  body: Buffer.from('{"event":"testEvent","creationDate":1,"data":{"message":"hi"}}'),
  ...overrides,
});

test('a Meet event is a default frame whose data is the body, byte for byte', () => {
  assert.equal(
    eventFrame(stored({})).toString(),
    'id: 42\ndata: {"event":"testEvent","creationDate":1,"data":{"message":"hi"}}\n\n',
  );
});

test('non-ASCII bodies pass through unchanged', () => {
  const body = Buffer.from('{"event":"meetingStarted","data":{"roomName":"Café ☕ <b>"}}');
  assert.deepEqual(eventFrame(stored({ body })), Buffer.concat([Buffer.from('id: 42\ndata: '), body, Buffer.from('\n\n')]));
});

test('a body spanning lines becomes one data line per line, which EventSource joins back with \\n', () => {
  const frame = formatFrame({ id: 3, data: '{\r\n "a": 1,\n "b": 2\r}' });
  assert.equal(frame.toString(), 'id: 3\ndata: {\ndata:  "a": 1,\ndata:  "b": 2\ndata: }\n\n');
});

test('named frames carry the event line first', () => {
  assert.equal(formatFrame({ event: 'resync', data: '{}' }).toString(), 'event: resync\ndata: {}\n\n');
  assert.equal(formatFrame({ event: 'bad\nname', id: 1, data: 'x' }).toString(), 'event: bad name\nid: 1\ndata: x\n\n');
});

test('other platforms get a named webhook frame with source, type, room and payload', () => {
  const frame = eventFrame(stored({ source: 'livekit', type: 'room_started', roomId: 'RM_1', body: Buffer.from('{"event":"room_started"}') }));
  assert.equal(frame.toString(), 'event: webhook\nid: 42\ndata: {"source":"livekit","type":"room_started","roomId":"RM_1","payload":{"event":"room_started"}}\n\n');
});

test('resync, retry and heartbeat frames', () => {
  assert.equal(resyncFrame(9, 'pruned').toString(), 'event: resync\nid: 9\ndata: {"reason":"pruned","latestSeq":9}\n\n');
  assert.equal(retryFrame(2000).toString(), 'retry: 2000\n\n');
  assert.equal(HEARTBEAT_FRAME.toString(), ':\n\n');
});

test('a row change is a named frame carrying the row', () => {
  const frame = eventFrame(stored({ kind: 'change', type: 'room', body: Buffer.from('{"roomId":"r1","status":"open"}') }));
  assert.equal(frame.toString(), 'event: room\nid: 42\ndata: {"roomId":"r1","status":"open"}\n\n');
});

test('a lone carriage return in the data ends a line for EventSource, so it becomes its own data: line', () => {
  // The fast path (no line break in the data) must look for CR as well as LF: a raw CR inside one
  // data: line would make the browser read the rest of the line as a new, unknown field.
  assert.equal(formatFrame({ id: 1, data: 'a\rb' }).toString(), 'id: 1\ndata: a\ndata: b\n\n');
  assert.equal(formatFrame({ data: Buffer.from('x\ry') }).toString(), 'data: x\ndata: y\n\n');
  assert.equal(formatFrame({ data: 'a\r\nb' }).toString(), 'data: a\ndata: b\n\n');
  assert.equal(formatFrame({ data: 'end\r' }).toString(), 'data: end\ndata: \n\n');
});
