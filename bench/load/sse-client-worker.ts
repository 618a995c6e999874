// Entry of the SSE client process (see sse-client-process.ts): runs an SseClientPool on the parent's
// requests and ends when the parent goes away.
import { SseClientPool } from './sse-clients.js';
import type { SseClientReply, SseClientRequest } from './sse-client-process.js';

const pool = new SseClientPool(process.argv.includes('--track-latency'));

async function run(request: SseClientRequest): Promise<unknown> {
  switch (request.type) {
    case 'connect':
      return pool.connect(request.port, request.count, request.concurrency, request.timeoutMs);
    case 'waitForFrames':
      return pool.waitForFrames(request.perClient, request.timeoutMs);
    case 'latency':
      return pool.latencySummary();
    case 'clearLatency':
      return pool.clearLatencySamples();
    case 'disconnectAll':
      return pool.disconnectAll();
  }
}

process.on('message', (request: SseClientRequest) => {
  const reply = (message: SseClientReply) => process.send?.(message);
  run(request).then(
    (result) => reply({ id: request.id, ok: true, result: result ?? null }),
    (error: unknown) => reply({ id: request.id, ok: false, error: String(error) }),
  );
});

// Without the parent there is nobody to report to: never linger.
process.on('disconnect', () => {
  pool.disconnectAll();
  process.exit(0);
});
