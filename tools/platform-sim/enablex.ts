// An EnableX project's instant-notification webhooks (../shared/protocols/providers.md §4):
// - HTTP Basic authentication with the user and password set in the portal (none when it is off);
// - nothing is pushed while a session runs: `roomdrop` when it ends, then, for a recorded session, the
//   individual recordings (`recording`), the merged file (`transcoded`) and its delivery to storage
//   (`file-transfer`), each a little later;
// - participants are never pushed (EnableX leaves them to its CDR API), so join/leave only shape the
//   recording (one individual file per participant stream);
// - retries and the expected status are not documented: one attempt per POST, in order, 2xx delivered.
import { basicAuthorization } from '../../server/ingest/sources/enablex.js';
import { SENDER_HEADERS } from '../platforms/deliver.js';
import * as enx from '../platforms/enablex.js';
import { DeliveryLog, type SimAttempt } from './delivery-log.js';
import { postAttempt } from './http-attempt.js';
import { TimerSet } from '../meet-sim/timers.js';

export interface EnableXSimulatorOptions {
  webhookUrl?: string;
  /** The portal's HTTP authentication; undefined = turned off (no Authorization header). */
  credentials?: { user: string; password: string };
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
  readonly log = new DeliveryLog();
  private url: string | undefined;
  private readonly live = new Map<string, LiveSession>();
  private readonly appId: string;
  private sessions = 0;
  private filesPending = 0;
  private sending: Promise<void> = Promise.resolve();
  private readonly timers = new TimerSet();
  private readonly inFlight = new Set<AbortController>();
  private readonly clock: () => number;

  constructor(private readonly options: EnableXSimulatorOptions) {
    this.url = options.webhookUrl;
    this.clock = options.clock ?? Date.now;
    this.appId = options.appId ?? enx.enablexAppId();
  }

  setWebhookUrl(url: string | undefined): void {
    this.url = url;
  }

  /** A session of the room starts (EnableX announces nothing). Returns its room id and conf_num. */
  startSession(roomName: string): enx.EnableXSession {
    if (this.live.has(roomName)) throw new Error(`${roomName} already has a session`);
    const session = enx.enablexSession(roomName, `${++this.sessions}@${this.clock()}`, this.appId);
    this.live.set(roomName, { session, startedAt: this.clock(), participants: new Set(), streams: 0, recording: false });
    return session;
  }

  join(roomName: string, name: string): void {
    const live = this.session(roomName);
    live.participants.add(name);
    live.streams++;
  }

  leave(roomName: string, name: string): void {
    this.session(roomName).participants.delete(name);
  }

  startRecording(roomName: string): void {
    this.session(roomName).recording = true;
  }

  /** The session ends: → roomdrop, then the recording notifications when it was recorded. */
  endSession(roomName: string): enx.EnableXSession {
    const live = this.session(roomName);
    this.live.delete(roomName);
    const endedAt = this.clock();
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

  deliveries(): SimAttempt[] {
    return this.log.all();
  }

  /** Resolves once every notification due so far, file notifications included, has been answered. */
  async idle(): Promise<void> {
    while (this.filesPending > 0 && !this.timers.isStopped) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.sending;
  }

  stop(): void {
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.live.clear();
  }

  private session(roomName: string): LiveSession {
    const live = this.live.get(roomName);
    if (!live) throw new Error(`${roomName} has no session`);
    return live;
  }

  private emit(payload: enx.EnableXPayload): void {
    const url = this.url;
    if (!url || this.timers.isStopped) return;
    const body = enx.enablexBody(payload);
    const headers: Record<string, string> = { ...SENDER_HEADERS.enablex };
    if (this.options.credentials) headers.Authorization = basicAuthorization(this.options.credentials);
    this.sending = this.sending.then(async () => {
      const sentAt = Date.now();
      const result = await postAttempt(url, body, headers, this.options.attemptTimeoutMs ?? 10_000, this.inFlight);
      const ok = 'status' in result && result.status >= 200 && result.status < 300;
      this.log.record({
        platform: 'enablex',
        delivery: this.log.nextDelivery(),
        events: [String(payload.type)],
        url,
        attempt: 1,
        ok,
        next: ok ? 'done' : 'lost',
        ...('status' in result ? { status: result.status } : { error: result.failure }),
        body,
        headers,
        sentAt,
      });
    });
  }
}
