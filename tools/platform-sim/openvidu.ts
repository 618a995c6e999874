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
import { openvidu as platform } from '../../server/platforms/openvidu/index.js';
import type { OpenViduSettings } from '../../server/platforms/openvidu/settings.js';
import * as ov from '../platforms/openvidu.js';
import type { Attempt } from '../delivery/attempt-log.js';
import { failureText } from '../delivery/post.js';
import { WebhookSender, type DeliveryPolicy } from '../delivery/sender.js';
import { TimerSet } from '../delivery/timers.js';

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

export class OpenViduSimulator {
  private readonly timers = new TimerSet();
  private readonly sender: WebhookSender;
  readonly log;
  private readonly live = new Map<string, LiveSession>();
  /** Recordings stopped and not yet ready, by id. */
  private readonly processing = new Map<string, { session: ov.OpenViduSession; recording: ov.OpenViduRecording; stoppedAt: number; reason: ov.OpenViduEndReason }>();
  private readonly recordingCount = new Map<string, number>();
  private connections = 0;
  private readonly clock: () => number;

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
    this.emit(ov.recordingStatusChanged(live.session, recording, 'stopped', stoppedAt, { reason }));
    this.processing.set(recording.id, { session: live.session, recording, stoppedAt, reason });
    this.timers.after(this.options.readyAfterMs ?? 2000, () => {
      this.processing.delete(recording.id);
      const seconds = Math.max(0.5, (stoppedAt - recording.startTime) / 1000);
      const duration = Math.round(seconds * 1000 + 317) / 1000;
      this.emit(ov.recordingStatusChanged(live.session, recording, 'ready', this.clock(), { reason, duration, size: ov.recordingSize(duration) }));
    });
  }

  /** Hands the event to the single sender thread (when the event filter lets it through). */
  private emit(payload: ov.OpenViduPayload): void {
    const event = String(payload.event);
    if (!(this.options.events ?? OPENVIDU_DEFAULT_EVENTS).includes(event)) return;
    const body = ov.openviduBody(payload);
    // roomwatch's own signing: Content-Type: application/json, always the effective one, and the static headers (§1.2).
    const headers = async () => ({ ...ov.OPENVIDU_SENDER_HEADERS, ...(await platform.sign(this.options.settings, body)).headers });
    this.sender.send({ events: [event], body, headers, extra: {} });
  }
}
