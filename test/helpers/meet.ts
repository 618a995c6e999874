// Builds signed OpenVidu Meet deliveries for tests, the way Meet does (../shared/protocols/openvidu-meet.md §1.2–§1.3).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';

export const MEET_KEY = 'meet-api-key';

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

/** Independent of the server's own signing code, so a shared mistake cannot hide. */
export function sign(key: string, timestamp: string | number, body: string | Buffer): string {
  return createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex');
}

export function meetDelivery(
  event: string,
  data: Record<string, unknown>,
  { timestamp = Date.now(), key = MEET_KEY }: { timestamp?: number; key?: string } = {},
): Delivery {
  const body = JSON.stringify({ event, creationDate: timestamp, data });
  return signed(body, timestamp, key);
}

export function signed(body: string, timestamp: number | string, key = MEET_KEY): Delivery {
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-timestamp': String(timestamp), 'x-signature': sign(key, timestamp, body) },
  };
}

let counter = 0;
/** A distinct, realistic meetingStarted delivery. */
export function meetingStarted(roomId = `room_${++counter}-k3j9x0q2m7a1b4c`, timestamp = Date.now()): Delivery {
  return meetDelivery(
    'meetingStarted',
    { roomId, roomName: roomId.split('-')[0], status: 'active_meeting', meetingEndAction: 'none' },
    { timestamp },
  );
}

export async function post(url: string, delivery: Delivery): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Posts `delivery`, which must be stored (200): its seq. */
export async function storeDelivery(url: string, delivery: Delivery): Promise<number> {
  const { status, json } = await post(url, delivery);
  assert.equal(status, 200);
  return (json.stored as number[])[0]!;
}
