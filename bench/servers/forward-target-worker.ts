// The apps behind roomwatch in the forwarding scenario, in a process of their own so that their work is
// not the load generator's: one HTTP server answering 200 at once on any path, counting deliveries per
// path and, for bodies carrying data.sentAt (the sender's clock), how long after it each one arrived.
// Commands by IPC: {type:'counts'}, {type:'latency'} and {type:'clearLatency'}; it prints its port when ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

const counts = new Map<string, number>();
const delays: number[] = [];

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const arrivedAt = performance.timeOrigin + performance.now();
    counts.set(req.url ?? '/', (counts.get(req.url ?? '/') ?? 0) + 1);
    const sentAt = /"sentAt":([\d.]+)/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
    if (sentAt !== undefined) delays.push(arrivedAt - Number(sentAt));
    res.writeHead(200).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`forward targets listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));

process.on('message', (command: { type: 'counts' | 'latency' | 'clearLatency' }) => {
  if (command.type === 'counts') process.send!({ counts: Object.fromEntries(counts) });
  else if (command.type === 'latency') process.send!({ latency: summary(delays) });
  else {
    delays.length = 0;
    process.send!({ cleared: true });
  }
});
process.once('SIGTERM', () => process.exit(0));
process.once('disconnect', () => process.exit(0));

function summary(values: number[]): { count: number; p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? NaN };
}
