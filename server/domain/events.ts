// The normalized event every source adapter produces and the store keeps.

/** Platforms roomwatch receives webhooks from. */
export type SourceId = 'meet' | 'openvidu' | 'livekit' | 'liveswitch' | 'enablex';

/** An authenticated event, ready to be stored. */
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
}

/** An event as the store returns it. */
export interface StoredEvent extends NewEvent {
  /** Store sequence number: starts at 1, strictly increasing; also the SSE `id:`. */
  seq: number;
  receivedAt: number;
}
