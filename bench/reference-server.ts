// The bare baseline the bench divides by: node:http doing the whole job of a Meet webhook receiver
// (raw-body HMAC, timestamp window, JSON parse, one write per SSE client) with no framework and no
// storage. Usage: node --import tsx bench/reference-server.ts --port=6080 (or PORT=6080; 0 picks one).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const API_KEY = process.env.OV_MEET_API_KEY ?? 'meet-api-key';
const MAX_AGE_MS = 120_000;
const TIMESTAMP = /^\d{1,16}$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;

const streams = new Set<ServerResponse>();
let lastId = 0;

function receiveWebhook(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const timestamp = req.headers['x-timestamp'];
    const signature = req.headers['x-signature'];
    if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return answer(res, 401);
    if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return answer(res, 401);
    if (Math.abs(Date.now() - Number(timestamp)) > MAX_AGE_MS) return answer(res, 401);
    const expected = createHmac('sha256', API_KEY).update(`${timestamp}.`).update(body).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return answer(res, 401);
    try {
      JSON.parse(body.toString('utf8'));
    } catch {
      return answer(res, 400);
    }
    const frame = `id: ${++lastId}\ndata: ${body.toString('utf8')}\n\n`;
    for (const stream of streams) stream.write(frame);
    answer(res, 200);
  });
}

function openStream(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  // writeHead only stores the headers: send them now, so the client knows it is connected.
  res.flushHeaders();
  streams.add(res);
  res.on('close', () => streams.delete(res));
}

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0' }).end();
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/webhook') receiveWebhook(req, res);
  else if (req.method === 'GET' && req.url === '/events') openStream(req, res);
  else answer(res, 404);
});

// Exit through process.exit on SIGTERM (the bench's stop), so that `node --cpu-prof` can write its profile.
process.once('SIGTERM', () => process.exit(0));

const portArgument = process.argv.find((arg) => arg.startsWith('--port='))?.slice('--port='.length);
server.listen(Number(portArgument ?? process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`reference server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
