// What the event inspector's API answers and its live frames carry. Declared once here; the browser
// imports these too, so page and server cannot drift. Pure types and constants, no I/O.
import type { SourceId } from '../domain/rows.js';

/** The platforms an entry can come from: the catalog's (the browser reads the same list). */
export { SOURCE_IDS } from '../platforms/catalog.js';

/** `replay` entries are the inspector's own re-runs of a stored webhook (POST /api/events/:seq/replay). */
export const OUTCOMES = ['accepted', 'repeat', 'refused', 'replay'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A stored webhook: `repeat` when the same delivery came again (`repeats` times). */
export interface WebhookEntry {
  kind: 'event';
  seq: number;
  /** Receive time, ms since epoch (roomwatch's clock). */
  at: number;
  source: SourceId;
  type: string;
  roomId: string | null;
  outcome: 'accepted' | 'repeat';
  repeats: number;
}

/** A refused request: kept in a small log, without its body and without header values beyond harmless ones. */
export interface RefusalEntry {
  kind: 'refusal';
  id: number;
  at: number;
  source: SourceId;
  outcome: 'refused';
  reason: string;
  detail: string | null;
  /** What to check, and on which side; null for refusals kept before hints existed. */
  hint: string | null;
  /** The platform's own send time the request carried (Meet's X-Timestamp), ms; null when it had none. */
  timestamp: number | null;
  /** `at` minus `timestamp`, ms: positive when the request was older than this host's clock. */
  skewMs: number | null;
  ip: string | null;
  /** content-type, user-agent and content-length as sent; every other header by name, its value `[masked]`. */
  headers: Record<string, string>;
}

/** A stored webhook run through the projection again; its own store sequence number is `seq`. */
export interface ReplayEntry {
  kind: 'replay';
  seq: number;
  at: number;
  source: SourceId;
  /** The replayed webhook's type. */
  type: string;
  roomId: string | null;
  outcome: 'replay';
  replayOf: number;
}

export type InspectorEntry = WebhookEntry | RefusalEntry | ReplayEntry;

/** GET /api/events */
export interface EventPage {
  entries: InspectorEntry[];
  /** Pass as `before` for the next (older) page; null when this was the last one. */
  next: string | null;
}

/** An entry with the payload of its webhook or replay as text (null for a refusal): what an export writes. */
export type ExportedEntry = InspectorEntry & { body: string | null };

/** A page of the listing with payloads (Store.listEventsWithBodies), read by GET /api/events/export. */
export interface ExportPage {
  entries: ExportedEntry[];
  next: string | null;
}

/** GET /api/events/:seq */
export interface EventDetail {
  seq: number;
  source: SourceId;
  type: string;
  roomId: string | null;
  createdAt: number | null;
  receivedAt: number;
  repeats: number;
  lastRepeatAt: number | null;
  /** As stored: never a secret or a signature (adapters keep `[masked]` in their place). */
  headers: Record<string, string>;
  body: string;
  bodyIsJson: boolean;
  /** A command that delivers this body again, signed now; null when it cannot be built (see the notes). */
  curl: string | null;
  curlNotes: string[];
}

/** POST /api/events/:seq/replay */
export interface ReplayResult {
  replayedAs: number;
  changes: number;
}

/** The body of a `replay` log entry (and of its `replay` SSE frame). */
export interface ReplayBody {
  replayOf: number;
  source: SourceId;
  type: string;
  roomId: string | null;
  /** The original payload: its JSON, or its text when it is not JSON. */
  payload: unknown;
}

/** Entries are ordered by (time, kind rank, id), newest first; webhooks and replays ('w') rank above refusals ('r') at the same ms. */
export function cursorOf(entry: InspectorEntry): string {
  return entry.kind === 'refusal' ? `${entry.at}:r:${entry.id}` : `${entry.at}:w:${entry.seq}`;
}
