// OpenVidu Meet simulator: a local stand-in for Meet's REST API, webhooks, meeting pages and web
// component, faithful to ../../../shared/protocols/openvidu-meet.md. Start one with startMeetSimulator();
// drive it with the returned controls (or over HTTP under /_sim); stop() leaves no timer or socket behind.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import type { SimContext } from './context.js';
import { wireContext } from './context.js';
import type { SimControls } from './controls.js';
import { createControls } from './controls.js';
import { Meetings } from './meetings.js';
import type { MeetSignal, MeetVersion } from './model.js';
import type { RecorderTiming } from './recorder.js';
import { Recorder } from './recorder.js';
import { recordingToWire, roomToWire } from './shapes.js';
import { MeetState } from './state.js';
import { TimerSet } from '../delivery/timers.js';
import { versionProfile } from './versions.js';
import { WebhookDispatcher } from './webhooks.js';

export type { SimControls, SimParticipant, SimRoomView, CreateRoomOptions } from './controls.js';
export type { DeliveryAttempt, DeliveryKind } from './webhooks.js';
export type { MeetVersion, RecordingOutcome } from './model.js';

export interface MeetSimulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Authenticates X-API-KEY and signs webhooks (§1.9). Default `meet-api-key`. */
  apiKey?: string;
  webhookUrl?: string;
  /** Default: true when webhookUrl is set. */
  webhooksEnabled?: boolean;
  /** Default 3.8 (stands for the 3.6+ shapes). */
  version?: MeetVersion;
  /** Default '' at 3.4, '/meet' at 3.8 (§2.8 MEET_BASE_PATH). */
  basePath?: string;
  /** Start of the links inside rooms and recordings; default the simulator's own http://host:port. */
  publicUrl?: string;
  /** Simulator-only: the clock for creation dates and webhook timestamps (tests pin it). */
  clock?: () => number;
  /** Simulator-only: how long a recording spends starting and ending. Default 500 / 1000 ms. */
  timing?: Partial<RecorderTiming>;
  /** Simulator-only: override Meet's 300…4800 ms retry backoff (its length is the number of retries). */
  retryDelaysMs?: readonly number[];
  /** Simulator-only: override Meet's 5 s per-attempt timeout. */
  attemptTimeoutMs?: number;
  /**
   * Simulator-only: refuse (422) a create-room body with fields the version removed (3.8: the room
   * config's recording.allowAccessTo), where Meet silently drops them: a client's tests then catch them.
   */
  refuseRemovedFields?: boolean;
}

export interface MeetSimulator extends SimControls {
  /** Where the simulator listens, e.g. http://127.0.0.1:9080. */
  readonly url: string;
  /** e.g. http://127.0.0.1:9080/meet/api/v1 */
  readonly apiUrl: string;
  /** e.g. http://127.0.0.1:9080/meet/v1/openvidu-meet.js */
  readonly webComponentUrl: string;
  readonly version: MeetVersion;
  readonly basePath: string;
  readonly apiKey: string;
  /**
   * Resolves once the simulator has nothing more to do by itself: no webhook attempt in flight, no retry,
   * late delivery or recording step waiting (webhooks held by holdAndReorder wait for more events).
   */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMeetSimulator(options: MeetSimulatorOptions = {}): Promise<MeetSimulator> {
  const version = options.version ?? '3.8';
  const profile = versionProfile(version);
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? 'meet-api-key';
  const now = options.clock ?? Date.now;
  const basePath = normaliseBasePath(options.basePath ?? profile.defaultBasePath);
  const timers = new TimerSet();
  const state = new MeetState(now);
  const webhooks = new WebhookDispatcher({
    apiKey,
    now,
    timers,
    target: { url: options.webhookUrl, enabled: options.webhooksEnabled ?? options.webhookUrl !== undefined },
    retryDelaysMs: options.retryDelaysMs,
    attemptTimeoutMs: options.attemptTimeoutMs,
  });

  // Every webhook payload is rendered when its event happens, so it shows the room as it was then.
  const announce = (signal: MeetSignal): void => {
    const wire = wireContext(ctx);
    const data =
      'recording' in signal
        ? recordingToWire(signal.recording, signal.room.roomName, wire)
        : roomToWire(signal.room, wire);
    webhooks.publish(signal.event, data);
  };
  const recorder = new Recorder({
    state,
    announce,
    timers,
    now,
    profile,
    timing: { startMs: options.timing?.startMs ?? 500, stopMs: options.timing?.stopMs ?? 1000 },
  });
  const meetings = new Meetings({ state, recorder, announce, now, profile });
  const ctx: SimContext = {
    version,
    profile,
    basePath,
    apiKey,
    now,
    state,
    meetings,
    recorder,
    webhooks,
    refuseRemovedFields: options.refuseRemovedFields ?? false,
    publicUrl: '',
  };

  const controls = createControls(ctx);
  let url = '';
  const urls = () => ({
    apiUrl: `${ctx.publicUrl}${basePath}/api/v1`,
    webComponentUrl: `${ctx.publicUrl}${basePath}/v1/openvidu-meet.js`,
  });
  const info = () => ({ version, basePath, url, ...urls(), controlUrl: `${url}/_sim`, webhook: webhooks.webhookTarget });

  const server = createServer(buildApp(ctx, controls, info, urls));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  let stopped: Promise<void> | undefined;
  return {
    ...controls,
    url,
    apiUrl: `${url}${basePath}/api/v1`,
    webComponentUrl: `${url}${basePath}/v1/openvidu-meet.js`,
    version,
    basePath,
    apiKey,
    // Every attempt's timeout, retry wait, delay and recording step is a timer of this set.
    idle: () => timers.idle(),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        timers.clear();
        webhooks.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export { seedDemoData, SEED_ROOM_NAMES } from './seed.js';
export type { SeedResult } from './seed.js';
