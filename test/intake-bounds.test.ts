// What unauthenticated or stalled senders can hold: memory for bodies in flight is bounded (503 with
// Retry-After beyond it), and a body or headers that stall are cut off after WEBHOOK_REQUEST_TIMEOUT_MS,
// while /events, a long response rather than a long request, stays open.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestServer, type TestServer } from './helpers/server.js';
import { eventually } from './helpers/stack.js';
import { stalledPost } from './helpers/stalled-request.js';
import { meetingStarted, post } from './helpers/meet.js';
import { eventFrames, openSse } from './helpers/sse.js';

/** Headers that pass the check made before the body is read; the body is never verified here. */
const MEET_HEADERS = { 'content-type': 'application/json', 'x-timestamp': '1759400000000', 'x-signature': 'a'.repeat(64) };

async function bytesInFlight(server: TestServer): Promise<number> {
  const metric = await server.metrics.registry.getSingleMetric('roomwatch_webhook_bytes_in_flight')!.get();
  return metric.values[0]?.value ?? 0;
}

describe('with MAX_WEBHOOK_BYTES_IN_FLIGHT=4096', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ MAX_WEBHOOK_BYTES_IN_FLIGHT: '4096', MAX_WEBHOOK_BYTES: '4096', OV_MEET_SERVER_URL: 'http://127.0.0.1:9' });
  });
  after(() => server.dispose());

  test('stalled bodies beyond the bound get 503 with Retry-After and a closed connection; once they go, webhooks are taken again', { timeout: 15_000 }, async () => {
    const stalled = [
      stalledPost(`${server.url}/webhook`, { ...MEET_HEADERS, 'content-length': '2000' }, '{"event":'),
      stalledPost(`${server.url}/webhook`, { ...MEET_HEADERS, 'content-length': '2000' }, '{"event":'),
    ];
    // Both announced bodies are claimed before a byte of them is complete.
    await eventually(() => bytesInFlight(server), (bytes) => bytes === 4000);

    const announced = stalledPost(`${server.url}/webhook`, { ...MEET_HEADERS, 'content-length': '2000' });
    const chunked = stalledPost(`${server.url}/webhook`, MEET_HEADERS, 'x'.repeat(200));
    for (const request of [announced, chunked]) {
      const answer = await request.answer;
      assert.equal(answer.status, 503);
      assert.equal(answer.headers['retry-after'], '5');
      assert.equal(answer.headers.connection, 'close');
      assert.equal(answer.json.error, 'busy');
      assert.match(answer.json.hint as string, /MAX_WEBHOOK_BYTES_IN_FLIGHT \(4096 bytes\)/);
      await request.closed;
    }
    assert.equal(await bytesInFlight(server), 4000, 'the refused requests held nothing');

    for (const request of stalled) request.abort();
    await eventually(() => bytesInFlight(server), (bytes) => bytes === 0);
    assert.equal((await post(server.url, meetingStarted())).status, 200);
  });

  test('a body that could never fit in the bound is too large (413), not busy for ever', async () => {
    const big = stalledPost(`${server.url}/webhook`, { ...MEET_HEADERS, 'content-length': '5000' });
    const answer = await big.answer;
    assert.deepEqual([answer.status, answer.json.error], [413, 'too_large']);
    big.abort();
  });
});

describe('with WEBHOOK_REQUEST_TIMEOUT_MS=1000', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ WEBHOOK_REQUEST_TIMEOUT_MS: '1000', OV_MEET_SERVER_URL: 'http://127.0.0.1:9' });
  });
  after(() => server.dispose());

  test('a stalled body and stalled headers are cut off after the timeout; an open /events stream is not', { timeout: 15_000 }, async () => {
    const sse = await openSse(`${server.url}/events`);

    const body = stalledPost(`${server.url}/webhook`, { ...MEET_HEADERS, 'content-length': '100' }, '{"event":"meetingStarted"');
    const answer = await body.answer;
    assert.equal(answer.status, 408);
    assert.equal(answer.json.error, 'request_timeout');
    assert.match(answer.json.hint as string, /WEBHOOK_REQUEST_TIMEOUT_MS \(1000 ms\)/);
    assert.equal(answer.headers.connection, 'close');
    await body.closed;

    // Headers that never end: Node's own header timeout, lowered to the same setting, closes the socket.
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write('POST /webhook HTTP/1.1\r\nHost: roomwatch\r\nX-Timestamp: 1');
    await new Promise((resolve) => socket.once('close', resolve));
    assert.match(received, /^HTTP\/1\.1 408 /);

    // The stream opened before both is still live: the next webhook reaches it.
    const marker = meetingStarted();
    assert.equal((await post(server.url, marker)).status, 200);
    const frames = eventFrames(await sse.waitFor((all) => eventFrames(all).length >= 1));
    assert.deepEqual(frames.map((f) => f.data), [marker.body]);
    assert.equal(sse.closed, false);
    sse.close();
  });
});
