// An EnableX project's instant-notification webhooks (../shared/protocols/providers.md §4):
// - HTTP Basic authentication with the user and password set in the portal (none when it is off);
// - nothing is pushed while a session runs: `roomdrop` when it ends, then, for a recorded session, the
//   individual recordings (`recording`), the merged file (`transcoded`) and its delivery to storage
//   (`file-transfer`), each a little later;
// - participants are never pushed (EnableX leaves them to its CDR API), so join/leave only shape the
//   recording (one individual file per participant stream);
// - retries and the expected status are not documented: one attempt per POST, in order, 2xx delivered.
import { enablex as platform } from '../../server/platforms/enablex/index.js';
import type { EnableXSettings } from '../../server/platforms/enablex/settings.js';
import * as enx from '../platforms/enablex.js';
import type { Attempt } from '../delivery/attempt-log.js';
import { failureText } from '../delivery/post.js';
import { WebhookSender, type DeliveryPolicy } from '../delivery/sender.js';
import { TimerSet } from '../delivery/timers.js';

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
  /** roomwatch's EnableX settings: the portal's HTTP authentication; undefined = turned off (no Authorization header). */
  settings?: EnableXSettings;
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
  private readonly timers = new TimerSet();
  private readonly sender: WebhookSender;
  readonly log;
  private readonly live = new Map<string, LiveSession>();
  private readonly appId: string;
  private sessions = 0;
  private filesPending = 0;
  private readonly clock: () => number;

  constructor(private readonly options: EnableXSimulatorOptions) {
    this.sender = new WebhookSender('enablex', enablexDeliveryPolicy(options.attemptTimeoutMs), { url: options.webhookUrl, timers: this.timers });
    this.log = this.sender.log;
    this.clock = options.clock ?? Date.now;
    this.appId = options.appId ?? enx.enablexAppId();
  }

  setWebhookUrl(url: string | undefined): void {
    this.sender.setUrl(url);
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
