// An OpenVidu 2.x server as its webhook sender behaves (../shared/protocols/providers.md §1.2, §1.6):
// - one sender thread: events go out strictly one at a time, in the order they happened, so a slow
//   receiver delays every later event;
// - the configured static headers (OPENVIDU_WEBHOOK_HEADERS) and Content-Type: application/json;
// - only HTTP 200 counts: any other status is logged as "Unexpected HTTP status … expected 200" and the
//   event is lost, never retried;
// - an I/O error (refused, reset, timed out) re-sends the same request at once, up to 5 executions in
//   all, with no backoff; then the event is lost;
// - the last participant leaving stops the recording and destroys the session, and the recording's
//   `ready` comes after `sessionDestroyed`.
// With `serve()` it is also OpenVidu's REST API (./openvidu-rest.ts) over the same sessions and
// recordings, so that what roomwatch reads there matches what was sent, or lost (`loseNext`).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { openvidu as platform } from '../../server/platforms/openvidu/index.js';
import type { OpenViduSettings } from '../../server/platforms/openvidu/settings.js';
import * as ov from '../platforms/openvidu.js';
import type { Attempt } from '../delivery/attempt-log.js';
import { failureText } from '../delivery/post.js';
import { WebhookSender, type DeliveryPolicy } from '../delivery/sender.js';
import { TimerSet } from '../delivery/timers.js';
import { openviduRestApp } from './openvidu-rest.js';

/** OPENVIDU_WEBHOOK_EVENTS as OpenVidu 2.32's application.properties sets it. */
export const OPENVIDU_DEFAULT_EVENTS: readonly string[] = [
  'sessionCreated',
  'sessionDestroyed',
  'participantJoined',
  'participantLeft',
  'webrtcConnectionCreated',
  'webrtcConnectionDestroyed',
  'recordingStatusChanged',
  'filterEventDispatched',
  'signalSent',
  'mediaNodeStatusChanged',
  'autoscaling',
  'nodeCrashed',
  'nodeRecovered',
  'broadcastStarted',
  'broadcastStopped',
];

export const OPENVIDU_MAX_EXECUTIONS = 5;

/** HttpWebhookSender (v2.18+): one thread; only 200 counts; an I/O error re-sends at once, 5 executions in all. */
export function openviduDeliveryPolicy(attemptTimeoutMs = 10_000): DeliveryPolicy {
  return {
    order: 'serial',
    maxAttempts: OPENVIDU_MAX_EXECUTIONS,
    attemptTimeoutMs,
    judge: (result, { url }) => {
      // HttpRequestRetryHandler: executionCount < 5, at once.
      if ('failure' in result) return { delivered: false, retryInMs: 0, error: `I/O error: ${failureText(result.failure, attemptTimeoutMs)}` };
      if (result.status === 200) return { delivered: true };
      return { delivered: false, error: `Unexpected HTTP status from callback endpoint ${url}: expected 200, received ${result.status}` };
    },
  };
}

export interface OpenViduSimulatorOptions {
  webhookUrl?: string;
  /** roomwatch's OpenVidu settings: OPENVIDU_WEBHOOK_HEADERS, sent with every POST. */
  settings: OpenViduSettings;
  /** OPENVIDU_WEBHOOK_EVENTS: only these are posted. */
  events?: readonly string[];
  clock?: () => number;
  /** How long a stopped recording takes to become `ready`. Default 2000 ms. */
  readyAfterMs?: number;
  /** The socket timeout of one execution (OpenVidu: 10 s); a timeout is an I/O error, so it is re-sent. */
  attemptTimeoutMs?: number;
  /** OPENVIDU_SECRET for its REST API (Basic OPENVIDUAPP:<secret>); default: roomwatch's, from `settings.api`. */
  secret?: string;
  /** OPENVIDU_RECORDING: false makes the recording routes answer 501, as OpenVidu does. Default true. */
  recordingEnabled?: boolean;
}

export type OpenViduRecordingState = 'started' | 'stopped' | 'ready' | 'failed';

/** A recording as OpenVidu keeps it (until deleted), for its REST API. */
export interface KeptRecording {
  session: ov.OpenViduSession;
  recording: ov.OpenViduRecording;
  status: OpenViduRecordingState;
  /** Seconds and bytes of the file: 0 until ready. */
  duration: number;
  size: number;
}

interface LiveSession {
  roomName: string;
  session: ov.OpenViduSession;
  participants: Map<string, { participant: ov.OpenViduParticipant; publishedAt: number }>;
  recording?: ov.OpenViduRecording;
}

export interface OpenViduSessionView {
  roomName: string;
  sessionId: string;
  uniqueSessionId: string;
  participants: { connectionId: string; name: string }[];
  recordingId?: string;
}

/** A session as OpenVidu's REST API lists it. */
export interface OpenViduSessionState {
  session: ov.OpenViduSession;
  /** Who is connected and publishing a camera since when. */
  connections: { participant: ov.OpenViduParticipant; publishedAt: number }[];
  recording: boolean;
}

export class OpenViduSimulator {
  private readonly timers = new TimerSet();
  private readonly sender: WebhookSender;
  readonly log;
  private readonly live = new Map<string, LiveSession>();
  /** Recordings stopped and not yet ready, by id. */
  private readonly processing = new Map<string, { session: ov.OpenViduSession; recording: ov.OpenViduRecording; stoppedAt: number; reason: ov.OpenViduEndReason }>();
  private readonly recordingCount = new Map<string, number>();
  /** Every recording OpenVidu keeps, by id, in the order they started. */
  private readonly kept = new Map<string, KeptRecording>();
  /** Events to lose on purpose: the next one of each name is not sent (OpenVidu never re-sends, §1.2). */
  private readonly toLose = new Map<string, number>();
  private connections = 0;
  private readonly clock: () => number;
  private server: Server | undefined;
  private publicUrl = 'http://localhost:4443';

  constructor(private readonly options: OpenViduSimulatorOptions) {
    this.sender = new WebhookSender('openvidu', openviduDeliveryPolicy(options.attemptTimeoutMs), { url: options.webhookUrl, timers: this.timers });
    this.log = this.sender.log;
    this.clock = options.clock ?? Date.now;
  }

  setWebhookUrl(url: string | undefined): void {
    this.sender.setUrl(url);
  }

  /** POST /openvidu/api/sessions with customSessionId: → sessionCreated. Returns the session id. */
  createSession(roomName: string): string {
    const session = ov.openviduSession(roomName, this.clock());
    if (this.live.has(session.sessionId)) throw new Error(`session ${session.sessionId} already exists (OpenVidu answers 409)`);
    this.live.set(session.sessionId, { roomName, session, participants: new Map() });
    this.emit(ov.sessionCreated(session));
    return session.sessionId;
  }

  /** A participant connects and publishes a camera: participantJoined, webrtcConnectionCreated. Returns the connection id. */
  join(sessionId: string, name: string): string {
    const live = this.session(sessionId);
    const participant = ov.openviduParticipant(live.session, name, this.clock(), `${name}#${++this.connections}`);
    this.emit(ov.participantJoined(live.session, participant));
    const publishedAt = this.clock();
    this.emit(ov.webrtcConnectionCreated(live.session, participant, publishedAt));
    live.participants.set(participant.connectionId, { participant, publishedAt });
    return participant.connectionId;
  }

  /** The participant leaves; the last one's leaving stops the recording and destroys the session. */
  leave(connectionId: string, reason: ov.OpenViduEndReason = 'disconnect'): void {
    const live = [...this.live.values()].find((candidate) => candidate.participants.has(connectionId));
    if (!live) throw new Error(`no connection ${connectionId}`);
    this.disconnect(live, connectionId, reason);
    if (live.participants.size === 0) this.destroy(live, 'lastParticipantLeft');
  }

  /** POST /openvidu/api/recordings/start (COMPOSED): → recordingStatusChanged started. Returns the recording id. */
  startRecording(sessionId: string): string {
    const live = this.session(sessionId);
    if (live.recording) throw new Error(`session ${sessionId} is already being recorded (OpenVidu answers 409)`);
    const index = this.recordingCount.get(sessionId) ?? 0;
    this.recordingCount.set(sessionId, index + 1);
    live.recording = ov.openviduRecording(live.session, this.clock(), index);
    this.kept.set(live.recording.id, { session: live.session, recording: live.recording, status: 'started', duration: 0, size: 0 });
    this.emit(ov.recordingStatusChanged(live.session, live.recording, 'started', live.recording.startTime));
    return live.recording.id;
  }

  /** POST /openvidu/api/recordings/stop: → stopped now, ready once the file is processed. */
  stopRecording(recordingId: string): void {
    const live = [...this.live.values()].find((candidate) => candidate.recording?.id === recordingId);
    if (!live) throw new Error(`no recording ${recordingId} in progress`);
    this.stopRecordingOf(live, 'recordingStoppedByServer');
  }

  /** DELETE /openvidu/api/sessions/<id>: everyone is evicted, the recording stops, the session is destroyed. */
  closeSession(sessionId: string): void {
    const live = this.session(sessionId);
    for (const connectionId of [...live.participants.keys()]) this.disconnect(live, connectionId, 'sessionClosedByServer');
    this.destroy(live, 'sessionClosedByServer');
  }

  sessions(): OpenViduSessionView[] {
    return [...this.live.values()].map(({ roomName, session, participants, recording }) => ({
      roomName,
      sessionId: session.sessionId,
      uniqueSessionId: session.uniqueSessionId,
      participants: [...participants.values()].map(({ participant }) => ({ connectionId: participant.connectionId, name: participant.name })),
      ...(recording && { recordingId: recording.id }),
    }));
  }

  deliveries(): Attempt[] {
    return this.log.all();
  }

  /** Resolves when every event generated so far has been sent (or lost), and no recording is still processing. */
  async idle(): Promise<void> {
    while (this.processing.size > 0 && !this.timers.isStopped) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.sender.idle();
  }

  stop(): void {
    this.sender.stop();
    this.live.clear();
    this.processing.clear();
    this.server?.close();
    this.server?.closeAllConnections();
    this.server = undefined;
  }

  // ── Its REST API ───────────────────────────────────────────────────────────────────────────────

  /**
   * Serves OpenVidu's REST API and recording files on 127.0.0.1 (`port` 0: any free one); resolves with
   * its base URL, the OPENVIDU_URL to give roomwatch.
   */
  async serve(port = 0): Promise<string> {
    const server = openviduRestApp(this).listen(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    this.publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.publicUrl;
  }

  /** The OPENVIDU_SECRET its REST API accepts; undefined: it has none (serve() refuses every call). */
  get secret(): string | undefined {
    return this.options.secret ?? this.options.settings.api?.secret;
  }

  get recordingEnabled(): boolean {
    return this.options.recordingEnabled ?? true;
  }

  /** The URL OpenVidu gives a ready or failed recording's file (RecordingManagerUtilsLocalStorage.getRecordingUrl). */
  recordingUrl({ recording }: KeptRecording): string {
    return `${this.publicUrl}/openvidu/recordings/${encodeURIComponent(recording.id)}/${encodeURIComponent(recording.name)}.mp4`;
  }

  /** The sessions OpenVidu has now, for GET /openvidu/api/sessions. */
  sessionStates(): OpenViduSessionState[] {
    return [...this.live.values()].map(({ session, participants, recording }) => ({
      session,
      connections: [...participants.values()],
      recording: recording !== undefined,
    }));
  }

  /** Every recording OpenVidu keeps, for GET /openvidu/api/recordings. */
  keptRecordings(): KeptRecording[] {
    return [...this.kept.values()];
  }

  /** DELETE /openvidu/api/recordings/<id> (a finished one): gone from the lists and its file too. */
  deleteRecording(recordingId: string): void {
    const kept = this.kept.get(recordingId);
    if (!kept) throw new Error(`no recording ${recordingId} (OpenVidu answers 404)`);
    if (kept.status === 'started') throw new Error(`recording ${recordingId} is in progress (OpenVidu answers 409)`);
    this.kept.delete(recordingId);
  }

  /**
   * The next `event` is lost: not sent at all, logged as lost (attempt 0), as when OpenVidu's one try
   * fails; what it announced still happens here, so the REST API tells the truth.
   */
  loseNext(event: string): void {
    this.toLose.set(event, (this.toLose.get(event) ?? 0) + 1);
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────────

  private session(sessionId: string): LiveSession {
    const live = this.live.get(sessionId);
    if (!live) throw new Error(`no session ${sessionId} (OpenVidu answers 404)`);
    return live;
  }

  private disconnect(live: LiveSession, connectionId: string, reason: ov.OpenViduEndReason): void {
    const entry = live.participants.get(connectionId)!;
    live.participants.delete(connectionId);
    this.emit(ov.webrtcConnectionDestroyed(live.session, entry.participant, entry.publishedAt, this.clock(), reason));
    this.emit(ov.participantLeft(live.session, entry.participant, this.clock(), reason));
  }

  private destroy(live: LiveSession, reason: ov.OpenViduEndReason): void {
    if (live.recording) this.stopRecordingOf(live, reason);
    this.live.delete(live.session.sessionId);
    this.emit(ov.sessionDestroyed(live.session, this.clock(), reason));
  }

  private stopRecordingOf(live: LiveSession, reason: ov.OpenViduEndReason): void {
    const recording = live.recording!;
    live.recording = undefined;
    const stoppedAt = this.clock();
    const kept = this.kept.get(recording.id);
    if (kept) kept.status = 'stopped';
    this.emit(ov.recordingStatusChanged(live.session, recording, 'stopped', stoppedAt, { reason }));
    this.processing.set(recording.id, { session: live.session, recording, stoppedAt, reason });
    this.timers.after(this.options.readyAfterMs ?? 2000, () => {
      this.processing.delete(recording.id);
      const seconds = Math.max(0.5, (stoppedAt - recording.startTime) / 1000);
      const duration = Math.round(seconds * 1000 + 317) / 1000;
      const size = ov.recordingSize(duration);
      if (kept) Object.assign(kept, { status: 'ready', duration, size });
      this.emit(ov.recordingStatusChanged(live.session, recording, 'ready', this.clock(), { reason, duration, size }));
    });
  }

  /** Hands the event to the single sender thread (when the event filter lets it through). */
  private emit(payload: ov.OpenViduPayload): void {
    const event = String(payload.event);
    if (!(this.options.events ?? OPENVIDU_DEFAULT_EVENTS).includes(event)) return;
    const body = ov.openviduBody(payload);
    const losing = this.toLose.get(event) ?? 0;
    if (losing > 0) {
      this.toLose.set(event, losing - 1);
      const delivery = this.log.nextDelivery();
      const url = this.sender.webhookUrl ?? '';
      this.log.record({ platform: 'openvidu', delivery, events: [event], url, attempt: 0, ok: false, next: 'lost', error: 'lost on purpose (loseNext)', body, headers: {}, sentAt: this.clock(), durationMs: 0 });
      return;
    }
    // roomwatch's own signing: Content-Type: application/json, always the effective one, and the static headers (§1.2).
    const headers = async () => ({ ...ov.OPENVIDU_SENDER_HEADERS, ...(await platform.sign(this.options.settings, body)).headers });
    this.sender.send({ events: [event], body, headers, extra: {} });
  }
}
