// Properties of frame formatting: whatever the data, the event name or the stored entry, building the
// frame never throws and an EventSource reads back exactly what was meant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { eventFrame, formatFrame } from '../server/live/frames.js';
import { MAX_SPLICED_DEPTH } from '../server/live/webhook-payload.js';
import { nestsDeeperThan } from '../server/domain/json-depth.js';
import { OVERFLOW_DEPTH, anyBody, nestedBody } from './fuzz/bodies.js';
import { checkProperty } from './fuzz/run-property.js';

interface ParsedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/** UTF-8 as a browser decodes a stream: invalid bytes become U+FFFD, and a BOM after the start is kept. */
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/**
 * The event-stream interpretation of the HTML standard (§9.2.6), written from the spec rather than from
 * our formatter: lines end at CRLF, LF or CR; one leading space after the colon is dropped; a blank line
 * dispatches when the data buffer is not empty.
 */
function parseEventStream(bytes: Buffer): ParsedEvent[] {
  const text = decode(bytes);
  const events: ParsedEvent[] = [];
  let data = '';
  let type = '';
  let lastEventId = '';
  for (const line of text.split(/\r\n|\r|\n/).slice(0, -1)) {
    if (line === '') {
      if (data !== '') events.push({ type: type === '' ? 'message' : type, data: data.endsWith('\n') ? data.slice(0, -1) : data, lastEventId });
      data = '';
      type = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data += `${value}\n`;
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
  }
  return events;
}

/** The text as UTF-8 carries it: a lone surrogate becomes U+FFFD. */
const wellFormed = (text: string) => decode(Buffer.from(text));

/** What SSE can carry of some text: line breaks of any kind arrive as "\n". */
const asCarried = (text: string) => text.replace(/\r\n|\r/g, '\n');

test('any data and event name make one frame that an EventSource reads back to the same data', async (t) => {
  const data = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: fc.constantFrom('a', ' ', '\r', '\n', '\r\n', ':', 'é', '\u2028', '\0'), maxLength: 40 }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  );
  await checkProperty(
    t,
    fc.property(data, fc.option(fc.string({ unit: 'binary', maxLength: 20 }), { nil: undefined }), fc.option(fc.nat(), { nil: undefined }), (data, event, id) => {
      const events = parseEventStream(formatFrame({ data, event, id }));
      assert.equal(events.length, 1);
      const sent = typeof data === 'string' ? wellFormed(data) : decode(data);
      assert.equal(events[0]!.data, asCarried(sent));
      const name = event === undefined ? 'message' : wellFormed(event).replace(/[\r\n]/g, ' ');
      assert.equal(events[0]!.type, name === '' ? 'message' : name);
      if (id !== undefined) assert.equal(events[0]!.lastEventId, String(id));
    }),
    { shortRuns: 500 },
  );
});

test('any stored entry makes a frame without throwing, and a webhook frame carries its body as JSON or as text', async (t) => {
  const entry = fc.record({
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    kind: fc.constantFrom('webhook', 'change', 'something else') as fc.Arbitrary<'webhook' | 'change'>,
    source: fc.constantFrom('meet', 'openvidu', 'livekit', 'liveswitch', 'enablex', 'unknown-platform') as fc.Arbitrary<'meet'>,
    type: fc.string({ unit: 'binary', maxLength: 20 }),
    roomId: fc.option(fc.string({ unit: 'binary', maxLength: 20 }), { nil: null }),
    body: fc.oneof({ weight: 5, arbitrary: anyBody() }, { weight: 1, arbitrary: nestedBody(OVERFLOW_DEPTH * 2, OVERFLOW_DEPTH) }),
  });
  await checkProperty(
    t,
    fc.property(entry, (entry) => {
      const [event, ...more] = parseEventStream(eventFrame(entry));
      assert.equal(more.length, 0);
      assert.equal(event!.lastEventId, String(entry.seq));
      const bodyText = decode(entry.body);
      if (entry.kind === 'change' || entry.source === 'meet') {
        assert.equal(event!.data, asCarried(bodyText));
        return;
      }
      assert.equal(event!.type, 'webhook');
      const frame = JSON.parse(event!.data) as Record<string, unknown>;
      assert.deepEqual(
        { source: frame.source, type: frame.type, roomId: frame.roomId },
        { source: entry.source, type: wellFormed(entry.type), roomId: (entry.roomId === null ? null : wellFormed(entry.roomId)) ?? null },
      );
      if (frame.payloadIsText === true) {
        assert.equal(frame.payload, bodyText);
      } else {
        assert.ok(!nestsDeeperThan(entry.body, MAX_SPLICED_DEPTH), 'only shallow payloads are spliced');
        assert.deepEqual(frame.payload, JSON.parse(bodyText));
      }
    }),
    { shortRuns: 300 },
  );
});
