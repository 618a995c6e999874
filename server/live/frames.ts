// Server-Sent Events wire format (https://html.spec.whatwg.org/multipage/server-sent-events.html).
// Every function returns the bytes of one whole frame, built once and written to every client.
import type { StoredEvent } from '../domain/events.js';
import { webhookFrameData } from './webhook-payload.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface FrameFields {
  id?: number;
  /** Frame name; omitted for the default (`message`) frames that Meet tutorial clients listen to. */
  event?: string;
  data: string | Buffer;
}

/** One SSE frame. Data spanning several lines becomes several `data:` lines, which the client re-joins with "\n". */
export function formatFrame({ id, event, data }: FrameFields): Buffer {
  let head = '';
  if (event !== undefined) head += `event: ${singleLine(event)}\n`;
  if (id !== undefined) head += `id: ${id}\n`;
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  if (bytes.indexOf(NEWLINE) === -1 && bytes.indexOf(CARRIAGE_RETURN) === -1) {
    return Buffer.concat([Buffer.from(`${head}data: `), bytes, Buffer.from('\n\n')]);
  }
  const lines = bytes.toString('utf8').split(/\r\n|\r|\n/);
  return Buffer.from(`${head}${lines.map((line) => `data: ${line}\n`).join('')}\n`);
}

/** A comment line: ignored by EventSource, keeps proxies and tunnels from closing an idle stream. */
export const HEARTBEAT_FRAME = Buffer.from(':\n\n');

export function retryFrame(ms: number): Buffer {
  return Buffer.from(`retry: ${ms}\n\n`);
}

/** What a frame needs of a log entry (the catch-up reads only this from the store). */
export type StreamedEntry = Pick<StoredEvent, 'seq' | 'kind' | 'source' | 'type' | 'roomId' | 'body' | 'parsed'>;

/**
 * The frame for a log entry. Meet webhooks are default frames carrying the verified body unchanged, so a
 * client written for the Meet tutorial keeps working; other platforms are named `webhook` frames (see
 * webhook-payload.ts for how the body rides in them); row changes are named `room` and `recording`
 * frames carrying the row (a replay note: `replay`). No stored body can make this throw.
 */
export function eventFrame(event: StreamedEntry): Buffer {
  if (event.kind === 'change') return formatFrame({ id: event.seq, event: event.type, data: event.body });
  if (event.source === 'meet') return formatFrame({ id: event.seq, data: event.body });
  return formatFrame({ id: event.seq, event: 'webhook', data: webhookFrameData(event) });
}

/** Tells a client that its cursor cannot be resumed (pruned, or from another store) and where the stream is now. */
export function resyncFrame(latestSeq: number, reason: string): Buffer {
  return formatFrame({ id: latestSeq, event: 'resync', data: JSON.stringify({ reason, latestSeq }) });
}

function singleLine(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}
