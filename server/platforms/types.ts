// What a platform is to roomwatch: one descriptor per platform (./<platform>/index.ts) declares all
// that roomwatch knows about it, and the registry (./index.ts) lists them. Every consumer (routing, the
// sign-in gate, the inspector, the trigger, the simulators, the demo) reads the registry instead of
// naming platforms.
import type { Router } from 'express';
import type { NewEvent, StoredEvent } from '../domain/events.js';
import type { PlatformEvent } from '../domain/row-merge.js';
import type { RowReader } from '../domain/row-reader.js';
import type { RowChange } from '../domain/rows.js';
import type { HintTable } from '../ingest/hints.js';
import type { RejectReason } from '../ingest/rejection.js';
import type { Logger } from '../logger.js';
import type { SettingSpec, SettingTable, SettingValues } from '../settings.js';
import type { RowLister, Store } from '../store/store.js';
import type { CatalogEntry, SourceId } from './catalog.js';
import type { RequestHeaders } from './shared/headers.js';

// ── Webhooks in ─────────────────────────────────────────────────────────────────────────────────────

export interface WebhookRequest {
  /** Lower-cased header names, values trimmed, as Node gives them. */
  headers: RequestHeaders;
  /** The request body exactly as received, bounded in size and depth by intake. */
  body: Buffer;
  /** Receive time, ms since epoch (injected so that tests control the clock). */
  receivedAt: number;
}

export type Verdict = { accepted: true; events: NewEvent[] } | { accepted: false; reason: RejectReason; detail?: string };

// ── Webhooks out (trigger, simulators, "copy as curl", forwarding) ────────────────────────────────

/** A delivery as the platform would make it now: the headers it carries, and the bytes it sends. */
export interface SignedDelivery {
  headers: Record<string, string>;
  /** The body as sent: the one given, unless the platform signs a time inside it (Meet's creationDate). */
  body: string;
}

/** How a delivery is made. */
export interface SignOptions {
  /**
   * Send the body's bytes unchanged (forwarding a stored webhook), where the platform would write its send
   * time into a new one (Meet's creationDate): the app behind roomwatch gets what the platform sent.
   */
  keepBody?: boolean;
}

/** A header of a signed delivery that carries a credential, and how a user computes it by hand. */
export interface CredentialHeader {
  header: string;
  /** The shell variable "copy as curl" puts there on an open dashboard. */
  variable: string;
  /** How to fill it, in words naming the settings. */
  howTo: string;
}

/** What "copy as curl" says about delivering a stored body again (server/inspector/curl.ts). */
export interface RedeliveryFacts<S> {
  settings: S;
  /** The stored webhook's sequence number. */
  seq: number;
  /** Whether the command carries real credentials (only behind a sign-in). */
  signedIn: boolean;
  now: number;
}

// ── Settings ────────────────────────────────────────────────────────────────────────────────────────

/** What roomwatch's own settings give every platform's. */
export interface CoreSettings {
  /** MAX_WEBHOOK_AGE: how far a signed timestamp may be from now, both ways, in ms. */
  maxWebhookAgeMs: number;
}

export interface PlatformSettings<S> {
  /** Its environment variables (config.ts reads them with roomwatch's own). */
  variables: SettingTable;
  /** The settings that turn it on, in words; undefined when it is always on (Meet). */
  enabledBy: string | undefined;
  /** Its typed settings from the variables' values; undefined while it is off. Throws ConfigError. */
  read(values: Record<string, unknown>, core: CoreSettings): S | undefined;
}

/** Declares a platform's settings with its variables' value types checked. */
export function platformSettings<V extends SettingTable, S>(spec: {
  variables: V;
  enabledBy: string | undefined;
  read(values: SettingValues<V>, core: CoreSettings): S | undefined;
}): PlatformSettings<S> {
  return spec as unknown as PlatformSettings<S>;
}

export type { SettingSpec };

// ── REST API ────────────────────────────────────────────────────────────────────────────────────────

/** What an API may use: the store (its rows, and `writeRows`, the one path that writes them) and the clock. */
export interface ApiDeps {
  store: Pick<Store, 'rows' | 'writeRows'>;
  log: Logger;
  now: () => number;
  /** Asks this platform's reconciler to read again in a moment (after an action Meet announces nothing for). */
  refreshSoon(delayMs?: number): void;
  /** CLOSED_ROOM_RETENTION_HOURS in ms: a closed session older than this is dropped, so a read need not bring it back. */
  closedRoomRetentionMs: number;
}

/** The rows a reconciliation merges into, read inside the commit that writes its changes. */
export type { RowLister };

/** A read's result: applied to the rows as they are when it commits (webhooks may land meanwhile). */
export type ReconcileMerge = (rows: RowLister, now: number) => RowChange[];

export interface ActionOutcome {
  /** The HTTP status to answer (200, or 202 when the platform only scheduled it). */
  status: number;
  body: Record<string, unknown>;
}

export interface PlatformAction {
  target: 'room' | 'recording';
  label: string;
  /**
   * Asks the platform, then writes the rows that changed through the one write path (`store.writeRows`).
   * `id` is checked by the route against `idPattern`; `options` are the query's, checked by the action.
   */
  run(id: string, options: Record<string, string>): Promise<ActionOutcome>;
}

export interface PlatformApi {
  /** Where it looks, e.g. http://localhost:9080/meet/api/v1 (for the dashboard's status and errors). */
  readonly url: string;
  /** One complete read of rooms and recordings, started at `readStartedAt` (ms). Rejects when unreachable. */
  reconcile(readStartedAt: number): Promise<ReconcileMerge>;
  /** By the catalog's action names. */
  actions: Record<string, PlatformAction>;
  /** The ids the platform gives rooms and recordings: anything else is refused before a call is made. */
  idPattern: RegExp;
  /** What the page needs besides the status (Meet: where its web component is). */
  details?(): Record<string, unknown>;
  /** Routes of its own, documented in the README (Meet: create a room, a recording's URL). */
  routes?: Router;
  /**
   * A finished recording's file, fetched from the platform as a streaming response (Range passed on), for
   * the page's player: `GET /api/platforms/<id>/recordings/<recordingId>/media` relays it (OpenVidu 2,
   * whose files need the platform's own credentials). `signal` aborts when the browser goes away.
   */
  recordingMedia?(recordingId: string, range: string | undefined, signal: AbortSignal): Promise<Response>;
}

// ── The descriptor ──────────────────────────────────────────────────────────────────────────────────

export interface Platform<S> extends CatalogEntry {
  readonly id: SourceId;
  /** How its webhooks are authenticated, in words (GET on its path says it). */
  readonly authentication: string;
  readonly settings: PlatformSettings<S>;
  /**
   * What to set on the platform's side so that its webhooks reach roomwatch and pass, one step each, naming
   * the platform's own settings and ours: the setup panel shows them under the webhook URL.
   */
  readonly setupSteps: readonly string[];
  /**
   * Headers every genuine request carries, as the platform spells them. A request without one of them is
   * refused before a byte of its body is read, so that unauthenticated bodies cost no memory.
   */
  requiredHeaders(settings: S): readonly string[];
  /** What the operator should check, per refusal reason, on this platform and here (ingest/hints.ts fills the rest). */
  readonly hints: HintTable;
  /** The platform's own send time carried by the request, ms since epoch, when it has one (kept with a refusal). */
  sentAt?(headers: RequestHeaders): number | undefined;
  /** Headers and raw bytes in, a verdict out. Pure: may be async only because a JWT library is (LiveKit). */
  verify(settings: S, request: WebhookRequest): Verdict | Promise<Verdict>;
  /** The headers a genuine delivery of `body` would carry, made at `now`; throws when the settings cannot sign it. */
  sign(settings: S, body: string, now: number, options?: SignOptions): SignedDelivery | Promise<SignedDelivery>;
  /** Which signed headers are credentials, for "copy as curl" on an open dashboard. */
  credentialHeaders(settings: S, now: number): CredentialHeader[];
  /** What sending a stored body again means on this platform (a repeat, a new delivery…). */
  redeliveryNotes(facts: RedeliveryFacts<S>): string[];
  /** A stored webhook → the rows it changes. Pure and order-safe (domain/row-merge.ts). */
  project(event: PlatformEvent, rows: RowReader): RowChange[];
  /** Whether a stored webhook ends a session, so that the reconciler looks again soon. */
  sessionEnded?(event: StoredEvent): boolean;
  /** Its REST API, where roomwatch can use one; undefined when the settings leave it off (no credentials for it). */
  api?(settings: S, deps: ApiDeps): PlatformApi | undefined;
  /** Said at start-up when the settings leave something open (OpenVidu 2 with no header). */
  warnings?(settings: S): string[];
}
