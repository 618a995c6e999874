// An EnableX project's instant-notification webhooks (../shared/protocols/providers.md §4):
// - HTTP Basic authentication with the user and password set in the portal (none when it is off);
// - nothing is pushed while a session runs: `roomdrop` when it ends, then, for a recorded session, the
//   individual recordings (`recording`), the merged file (`transcoded`) and its delivery to storage
//   (`file-transfer`), each a little later;
// - participants are never pushed: each join and leave is a call of the session, written to the
//   project's call records (CDR) when the session ends (EnableX lists the CDR under post-session
//   reporting), and one individual recording file per participant stream;
// - retries and the expected status are not documented: one attempt per POST, in order, 2xx delivered;
// - `serveApi()` serves the Server API routes roomwatch reads (./enablex-api.ts): rooms by id, with the
//   name given to `startSession`, and the call records.

import { enablex as platform } from '../../server/platforms/enablex/index.js';
import type { EnableXSettings } from '../../server/platforms/enablex/settings.js';
import * as enx from '../platforms/enablex.js';
import type { Attempt } from '../delivery/attempt-log.js';
import { failureText } from '../delivery/post.js';
import { WebhookSender, type DeliveryPolicy } from '../delivery/sender.js';
import { TimerSet } from '../delivery/timers.js';
import { serveEnableXApi, type EnableXApiServer } from './enablex-api.js';

/** Not documented (§4): one attempt per POST, in order, any 2xx delivered. */
export function enablexDeliveryPolicy(attemptTimeoutMs = 10_000): DeliveryPolicy {
  return {
    order: 'serial',
    maxAttempts: 1,
    attemptTimeoutMs,
    judge: (result) =>
      'failure' in result ? { delivered: false, error: failureText(result.failure, attemptTimeoutMs) } : { delivered: result.status >= 200 && result.status < 300 },
  };
}

export interface EnableXSimulatorOptions {
  webhookUrl?: string;
  /**
   * roomwatch's EnableX settings: the portal's HTTP authentication (undefined = turned off, no Authorization
   * header), and the project's APP_ID and APP_KEY that the Server API accepts (`api`).
   */
  settings?: EnableXSettings;
  /** The project (`app_id` of every webhook); default the settings' APP_ID, else a made-up one. */
  appId?: string;
  clock?: () => number;
  /** Between roomdrop and each file notification. Default 1000 ms. */
  filesStepMs?: number;
  attemptTimeoutMs?: number;
}

interface LiveSession {
  session: enx.EnableXSession;
  startedAt: number;
  participants: Set<string>;
  /** Every call so far; `disconnectedAt` is set when its participant leaves or the session ends. */
  calls: (Omit<enx.EnableXCall, 'disconnectedAt'> & { disconnectedAt?: number })[];
  streams: number;
  recording: boolean;
}

export interface EnableXSessionView {
  roomName: string;
  roomId: string;
  confNum: string;
  participants: string[];
  recording: boolean;
}

export class EnableXSimulator {
  private readonly timers = new TimerSet();
  private readonly sender: WebhookSender;
  readonly log;
  private readonly live = new Map<string, LiveSession>();
  private readonly appId: string;
  private sessions = 0;
  private filesPending = 0;
  private readonly clock: () => number;
  /** The project's rooms (by room id) and call records, as its Server API serves them. */
  private readonly rooms = new Map<string, Record<string, unknown>>();
  private readonly records: Record<string, unknown>[] = [];
  private api: EnableXApiServer | undefined;

  constructor(private readonly options: EnableXSimulatorOptions) {
    this.sender = new WebhookSender('enablex', enablexDeliveryPolicy(options.attemptTimeoutMs), { url: options.webhookUrl, timers: this.timers });
    this.log = this.sender.log;
    this.clock = options.clock ?? Date.now;
    this.appId = options.appId ?? options.settings?.api?.appId ?? enx.enablexAppId();
  }

  /**
   * Serves the Server API routes roomwatch reads (./enablex-api.ts) on 127.0.0.1 (any free port unless
   * given), accepting the settings' APP_ID and APP_KEY; resolves with its URL (ENABLEX_API_URL).
   */
  async serveApi(port = 0): Promise<string> {
    this.api ??= await serveEnableXApi(
      {
        credentials: () => this.options.settings?.api,
        room: (roomId) => this.rooms.get(roomId),
        callRecords: () => this.records,
      },
      { port },
    );
    return this.api.url;
  }

  /** The Server API stops answering (its port is closed). */
  async closeApi(): Promise<void> {
    const api = this.api;
    this.api = undefined;
    await api?.close();
  }

  /** The Server API's requests so far ("GET /video/v2/…"), for tests. */
  apiRequests(): string[] {
    return this.api?.requests() ?? [];
  }

  setWebhookUrl(url: string | undefined): void {
    this.sender.setUrl(url);
  }

  /** A session of the room starts (EnableX announces nothing). Returns its room id and conf_num. */
  startSession(roomName: string): enx.EnableXSession {
    if (this.live.has(roomName)) throw new Error(`${roomName} already has a session`);
    const session = enx.enablexSession(roomName, `${++this.sessions}@${this.clock()}`, this.appId);
    this.live.set(roomName, { session, startedAt: this.clock(), participants: new Set(), calls: [], streams: 0, recording: false });
    // The room exists in the project from its first session on (its name is what the API says).
    if (!this.rooms.has(session.roomId)) this.rooms.set(session.roomId, enx.roomInfo(session, roomName, this.clock()));
    return session;
  }

  join(roomName: string, name: string): void {
    const live = this.session(roomName);
    live.participants.add(name);
    live.streams++;
    const role = live.calls.length === 0 ? 'moderator' : 'participant';
    live.calls.push({ callNum: live.calls.length + 1, name, role, ref: enx.userRef(name), connectedAt: this.clock() });
  }

  leave(roomName: string, name: string): void {
    const live = this.session(roomName);
    live.participants.delete(name);
    const call = live.calls.findLast((candidate) => candidate.name === name && candidate.disconnectedAt === undefined);
    if (call) call.disconnectedAt = this.clock();
  }

  startRecording(roomName: string): void {
    this.session(roomName).recording = true;
  }

  /** The session ends: → roomdrop, then the recording notifications when it was recorded. */
  endSession(roomName: string): enx.EnableXSession {
    const live = this.session(roomName);
    this.live.delete(roomName);
    const endedAt = this.clock();
    // Its calls go to the call records as the session ends, before EnableX says it ended.
    for (const call of live.calls) this.records.push(enx.cdrRecord(live.session, { ...call, disconnectedAt: call.disconnectedAt ?? endedAt }));
    this.emit(enx.roomdrop(live.session, endedAt));
    if (live.recording) {
      const step = this.options.filesStepMs ?? 1000;
      const seconds = Math.max(1, (endedAt - live.startedAt) / 1000);
      const files = [
        () => enx.recording(live.session, this.clock(), Math.max(1, live.streams)),
        () => enx.transcoded(live.session, this.clock(), enx.transcodedSize(seconds)),
        () => enx.fileTransfer(live.session, this.clock()),
      ];
      files.forEach((build, i) => {
        this.filesPending++;
        this.timers.after(step * (i + 1), () => {
          this.filesPending--;
          this.emit(build());
        });
      });
    }
    return live.session;
  }

  sessionsView(): EnableXSessionView[] {
    return [...this.live.entries()].map(([roomName, { session, participants, recording }]) => ({
      roomName,
      roomId: session.roomId,
      confNum: session.confNum,
      participants: [...participants],
      recording,
    }));
  }

  deliveries(): Attempt[] {
    return this.log.all();
  }

  /** Resolves once every notification due so far, file notifications included, has been answered. */
  async idle(): Promise<void> {
    while (this.filesPending > 0 && !this.timers.isStopped) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.sender.idle();
  }

  stop(): void {
    this.sender.stop();
    this.live.clear();
    void this.api?.close();
    this.api = undefined;
  }

  private session(roomName: string): LiveSession {
    const live = this.live.get(roomName);
    if (!live) throw new Error(`${roomName} has no session`);
    return live;
  }

  private emit(payload: enx.EnableXPayload): void {
    const body = enx.enablexBody(payload);
    const { settings } = this.options;
    // With HTTP authentication off, EnableX sends no Authorization header.
    const headers = async () => (settings ? (await platform.sign(settings, body)).headers : { 'Content-Type': 'application/json' });
    this.sender.send({ events: [String(payload.type)], body, headers, extra: {} });
  }
}
