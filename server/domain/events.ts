// The normalized event every platform's check (server/platforms/<id>/verify.ts) produces, and the entries the store keeps.
import type { SourceId } from './rows.js';

export type { SourceId };

/** An authenticated webhook, ready to be stored. */
export interface NewEvent {
  source: SourceId;
  /** The platform's own event name (`meetingStarted`, `room_finished`…), or `unrecognised`. */
  type: string;
  /** When the platform says the event happened (ms since epoch), when it says so. */
  createdAt: number | null;
  /** Same key ⇒ same delivery: a retry, stored once. */
  dedupeKey: string;
  /** The room the event is about, when the payload names one (for filters and replay). */
  roomId: string | null;
  /** The request headers worth keeping; never a secret or a signature. */
  headers: Record<string, string>;
  /** The payload exactly as received (for a batch, this element's bytes). */
  body: Buffer;
  /** The body as the platform's check already parsed it, so later steps need not parse it again. Not stored. */
  parsed?: unknown;
}

/** A row change derived from webhooks or from a REST read: a room or a recording as it now is. */
export interface NewChange {
  source: SourceId;
  type: 'room' | 'recording';
  roomId: string | null;
  /** The row, as JSON. */
  body: Buffer;
}

/**
 * One entry of the log, in the order browsers see them: a webhook as received (`webhook`), or a row it
 * or a reconciliation changed (`change`). Both share one sequence, so one cursor resumes both.
 */
export interface StoredEvent {
  /** Store sequence number: starts at 1, strictly increasing; also the SSE `id:`. */
  seq: number;
  kind: 'webhook' | 'change';
  source: SourceId;
  type: string;
  createdAt: number | null;
  receivedAt: number;
  dedupeKey: string | null;
  roomId: string | null;
  headers: Record<string, string>;
  body: Buffer;
  /** Set on entries fresh from a commit; read from the store, the body is parsed again. */
  parsed?: unknown;
}
