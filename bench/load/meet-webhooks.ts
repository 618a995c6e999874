// Signed OpenVidu Meet deliveries as full HTTP/1.1 request bytes, built before they are sent so that
// the load generator only writes buffers. Every body is distinct: the server deduplicates identical
// deliveries by signature (../shared/protocols/openvidu-meet.md §1.5).
import { signMeetWebhook } from '../../server/platforms/meet/sign.js';

/** The key of the Meet tutorial's local deployment; the bench starts both servers with it. */
export const MEET_API_KEY = 'meet-api-key';

export interface MeetWebhookOptions {
  /** Distinguishes the delivery: it names the room, so it changes the body and the signature. */
  index: number;
  /** Sender's clock (performance.timeOrigin + performance.now()), carried in `data` for latency. */
  sentAt?: number;
}

/** One `meetingStarted` delivery, signed the way Meet signs it, with X-Timestamp = creationDate. */
export function meetWebhookRequest(port: number, { index, sentAt }: MeetWebhookOptions): Buffer {
  const creationDate = Date.now();
  const body = JSON.stringify({
    event: 'meetingStarted',
    creationDate,
    data: {
      roomId: `room-${index}`,
      roomName: `Room ${index}`,
      status: 'active_meeting',
      meetingEndAction: 'none',
      ...(sentAt === undefined ? {} : { sentAt }),
    },
  });
  // Meet sends through undici, which adds accept/user-agent and keeps the connection alive (§1.2).
  const head =
    `POST /webhook HTTP/1.1\r\n` +
    `Host: 127.0.0.1:${port}\r\n` +
    `Content-Type: application/json\r\n` +
    `X-Timestamp: ${creationDate}\r\n` +
    `X-Signature: ${signMeetWebhook(MEET_API_KEY, creationDate, body)}\r\n` +
    `Accept: */*\r\n` +
    `User-Agent: node\r\n` +
    `Connection: keep-alive\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.from(head + body);
}

/**
 * A stock of distinct deliveries built ahead of a closed-loop run. Should the stock run out, more are
 * built on demand and counted, since building them then takes CPU from the server under test.
 */
export class PrebuiltMeetWebhooks {
  private readonly stock: Buffer[] = [];
  private taken = 0;
  /** Requests that had to be built during the run because the stock was used up. */
  builtLate = 0;

  constructor(
    private readonly port: number,
    count: number,
  ) {
    for (let index = 0; index < count; index++) this.stock.push(meetWebhookRequest(port, { index }));
  }

  next = (): Buffer => {
    const prebuilt = this.stock[this.taken];
    if (prebuilt !== undefined) {
      this.stock[this.taken++] = EMPTY;
      return prebuilt;
    }
    this.builtLate++;
    return meetWebhookRequest(this.port, { index: this.taken++ });
  };
}

// Sent buffers are released as the run goes, so a long run does not keep them all alive.
const EMPTY = Buffer.alloc(0);
