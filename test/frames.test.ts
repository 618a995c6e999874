import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFrame, formatFrame, resyncFrame, retryFrame, HEARTBEAT_FRAME } from '../server/live/frames.js';
import type { StoredEvent } from '../server/domain/events.js';
import { MAX_SPLICED_DEPTH } from '../server/live/webhook-payload.js';

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

const deeply = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

test('a body nested past the splice depth is carried as text in a webhook frame, and building it never throws', () => {
  // 10 000 levels: JSON.stringify of the parsed body overflows the stack at about 5 000.
  for (const body of [deeply(10_000), deeply(MAX_SPLICED_DEPTH + 1), `{"a":${deeply(100_000)}}`]) {
    const frame = eventFrame(stored({ source: 'openvidu', type: 'unrecognised', body: Buffer.from(body) }));
    const data = frame.toString().split('\n')[2]!.slice('data: '.length);
    assert.deepEqual(JSON.parse(data), { source: 'openvidu', type: 'unrecognised', roomId: null, payload: body, payloadIsText: true });
  }
});

test('a JSON body within the splice depth rides in the frame as received: big numbers, key order and spacing kept', () => {
  const body = `{"b":12345678901234567890,"1":true,\n "a":${'['.repeat(MAX_SPLICED_DEPTH - 1)}${']'.repeat(MAX_SPLICED_DEPTH - 1)}}`;
  const frame = eventFrame(stored({ source: 'enablex', type: 'roomdrop', roomId: 'r', body: Buffer.from(body) }));
  assert.equal(
    frame.toString(),
    `event: webhook\nid: 42\ndata: {"source":"enablex","type":"roomdrop","roomId":"r","payload":{"b":12345678901234567890,"1":true,\ndata:  "a":${'['.repeat(MAX_SPLICED_DEPTH - 1)}${']'.repeat(MAX_SPLICED_DEPTH - 1)}}}\n\n`,
  );
});

test('a body that is not JSON, or not valid UTF-8, is carried as text; brackets inside strings do not count as depth', () => {
  const text = (body: Buffer) => JSON.parse(eventFrame(stored({ source: 'liveswitch', body })).toString().split('data: ')[1]!) as Record<string, unknown>;
  assert.deepEqual(text(Buffer.from('not json {')), { source: 'liveswitch', type: 'testEvent', roomId: null, payload: 'not json {', payloadIsText: true });
  assert.equal(text(Buffer.from([0x7b, 0xff, 0x7d])).payload, '{\ufffd}');
  assert.equal(text(Buffer.from('')).payloadIsText, true);
  const bracketsInAString = `{"s":"${'['.repeat(1000)}\\"${'{'.repeat(1000)}"}`;
  assert.deepEqual(text(Buffer.from(bracketsInAString)).payload, JSON.parse(bracketsInAString));
});

test('entries with odd names still make frames: a type with line breaks cannot forge another field', () => {
  const change = eventFrame(stored({ kind: 'change', type: 'room\ndata: forged', body: Buffer.from('{}') }));
  assert.equal(change.toString(), 'event: room data: forged\nid: 42\ndata: {}\n\n');
  const webhook = eventFrame(stored({ source: 'livekit', type: 'a\r\nb', body: Buffer.from('{}') }));
  assert.match(webhook.toString(), /^event: webhook\nid: 42\ndata: \{"source":"livekit","type":"a\\r\\nb","roomId":null,"payload":\{\}\}\n\n$/);
});
