// A LiveKit server (OpenVidu 3) as its webhook notifier behaves (../shared/protocols/providers.md §2.1,
// §2.2; livekit/protocol webhook/resource_url_notifier.go):
// - one ordered queue per resource: the egress id for egress events, else the room name, so a room's
//   events stay in order while egress events run beside them;
// - an event that waited more than 30 s in its queue, or arrives at a queue already 200 deep, is dropped;
// - one event per POST, `Authorization: <JWT>` (no "Bearer"; HS256, iss = API key, 5 minutes, sha256 of
//   the body), signed once per event and reused by its retries, `Content-Type: application/webhook+json`,
//   `User-Agent: LiveKit`;
// - go-retryablehttp's defaults: up to 4 retries on a network error, 429 or a 5xx other than 501, waiting
//   1 s, 2 s, 4 s, 8 s (at most 30 s; a Retry-After on 429/503 wins); any other answer, 4xx included,
//   ends it: LiveKit logs the event as sent.
// Its rooms and egresses are also what its server API answers (./livekit-api.ts, on `listen()`): what it
// announced by webhook, and what it did not when a webhook is lost on purpose (`finishRoom(name, {
// loseRoomFinished: true })`), as LiveKit drops events.
import { livekit as platform } from '../../server/platforms/livekit/index.js';
import type { LiveKitSettings } from '../../server/platforms/livekit/settings.js';
import * as lk from '../platforms/livekit.js';
import type { Attempt } from '../delivery/attempt-log.js';
import { failureText, type PostResult } from '../delivery/post.js';
import { WebhookSender, type DeliveryPolicy } from '../delivery/sender.js';
import { TimerSet } from '../delivery/timers.js';
import { LiveKitApiError, serveLiveKitApi, type EgressFilter, type LiveKitApiBackend, type LiveKitApiServer } from './livekit-api.js';

/** go-retryablehttp's defaults as LiveKit's URLNotifier leaves them, and its resource queues (§2.1). */
export function livekitDeliveryPolicy(options: Pick<LiveKitSimulatorOptions, 'retryWaitMinMs' | 'retryWaitMaxMs' | 'maxRetries' | 'maxAgeMs' | 'maxDepth' | 'attemptTimeoutMs'> = {}): DeliveryPolicy {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  return {
    order: 'per-resource',
    maxAttempts: (options.maxRetries ?? 4) + 1,
    attemptTimeoutMs,
    maxQueueAgeMs: options.maxAgeMs ?? 30_000,
    maxQueueDepth: options.maxDepth ?? 200,
    judge: (result, { attempt }) => {
      const retryable = 'failure' in result || result.status === 429 || (result.status >= 500 && result.status !== 501);
      if (!retryable) return { delivered: true };
      return { delivered: false, retryInMs: backoff(attempt - 1, result, options), ...('failure' in result && { error: failureText(result.failure, attemptTimeoutMs) }) };
    },
    gaveUp: (attempts) => `giving up after ${attempts} attempt(s)`,
  };
}

/** go-retryablehttp DefaultBackoff: Retry-After on 429/503, else min × 2^n, at most max. */
function backoff(attemptNumber: number, result: PostResult, options: Pick<LiveKitSimulatorOptions, 'retryWaitMinMs' | 'retryWaitMaxMs'>): number {
  const min = options.retryWaitMinMs ?? 1000;
  const max = options.retryWaitMaxMs ?? 30_000;
  if ('status' in result && (result.status === 429 || result.status === 503) && result.retryAfter !== undefined) {
    const seconds = Number(result.retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return Math.min(min * 2 ** attemptNumber, max);
}

export interface LiveKitSimulatorOptions {
  webhookUrl?: string;
  /** roomwatch's LiveKit settings: the first key signs, as livekit.yaml's webhook.api_key does. */
  settings: LiveKitSettings;
  clock?: () => number;
  /** go-retryablehttp RetryWaitMin / RetryWaitMax / RetryMax. Defaults 1000 ms, 30 000 ms, 4. */
  retryWaitMinMs?: number;
  retryWaitMaxMs?: number;
  maxRetries?: number;
  /** Events older than this in their queue are dropped. Default 30 000 ms. */
  maxAgeMs?: number;
  /** Events arriving at a queue this deep are dropped. Default 200. */
  maxDepth?: number;
  attemptTimeoutMs?: number;
  /** How long an egress spends starting and ending. Defaults 1000 / 1500 ms. */
  egressTiming?: { startMs?: number; stopMs?: number };
  /**
   * How long an empty room lives before room_finished (LiveKit's departureTimeout, 20 s); undefined
   * means rooms end only through finishRoom().
   */
  departureTimeoutMs?: number;
  /** ListEgress answers this many egresses a page (LiveKit Cloud pages; a LiveKit server answers all at once). */
  egressPageSize?: number;
  /** A LiveKit without an egress service (no Redis): ListEgress answers "egress not connected". */
  noEgressService?: boolean;
}

interface LiveRoom {
  room: lk.LiveKitRoom;
  participants: Map<string, lk.LiveKitParticipant>;
  egresses: Set<string>;
  emptySince?: number;
}

interface LiveEgress {
  egress: lk.LiveKitEgress;
  startedAtMs?: number;
  ending: boolean;
  ended: boolean;
  /** The EgressInfo as last announced: what the API answers about it. */
  info: lk.LiveKitPayload;
}

export interface LiveKitRoomView {
  sid: string;
  name: string;
  participants: { sid: string; identity: string; name: string }[];
  egressIds: string[];
}

export class LiveKitSimulator implements LiveKitApiBackend {
  private readonly timers = new TimerSet();
  private readonly sender: WebhookSender;
  readonly log;
  private readonly rooms = new Map<string, LiveRoom>();
  /** Every egress, running or ended, in the order they started (LiveKit keeps ended ones a while). */
  private readonly egresses = new Map<string, LiveEgress>();
  private api: LiveKitApiServer | undefined;
  private readonly clock: () => number;
  private instances = 0;
  private egressCount = 0;

  constructor(private readonly options: LiveKitSimulatorOptions) {
    this.sender = new WebhookSender('livekit', livekitDeliveryPolicy(options), { url: options.webhookUrl, timers: this.timers });
    this.log = this.sender.log;
    this.clock = options.clock ?? Date.now;
  }

  setWebhookUrl(url: string | undefined): void {
    this.sender.setUrl(url);
  }

  /** CreateRoom (or a first participant's arrival): → room_started. Returns the room's sid. */
  startRoom(name: string): string {
    const existing = this.rooms.get(name);
    if (existing) return existing.room.sid;
    // A sid names one instance: the seed holds the time, so a later run of the simulator gets new ones.
    const room = lk.livekitRoom(name, this.clock(), `${name}#${++this.instances}@${this.clock()}`);
    this.rooms.set(name, { room, participants: new Map(), egresses: new Set() });
    this.emit(name, lk.roomStarted(room, this.clock()));
    return room.sid;
  }

  /** A participant connects (the room starts if it is not running): → participant_joined. Returns its sid. */
  join(roomName: string, name: string): string {
    this.startRoom(roomName);
    const live = this.rooms.get(roomName)!;
    const participant = lk.livekitParticipant(live.room, name, this.clock(), `${name}#${live.participants.size}#${this.clock()}`);
    live.participants.set(participant.sid, participant);
    live.emptySince = undefined;
    this.emit(roomName, lk.participantJoined(live.room, participant, this.roomState(live)));
    return participant.sid;
  }

  /** The participant leaves: → participant_left; an empty room finishes after the departure timeout. */
  leave(roomName: string, participantSid: string, reason: lk.DisconnectReason = 'CLIENT_INITIATED'): void {
    const live = this.room(roomName);
    const participant = live.participants.get(participantSid);
    if (!participant) throw new Error(`no participant ${participantSid} in ${roomName}`);
    live.participants.delete(participantSid);
    this.emit(roomName, lk.participantLeft(live.room, participant, this.clock(), this.roomState(live), reason));
    if (live.participants.size === 0 && this.options.departureTimeoutMs !== undefined) {
      const since = (live.emptySince = this.clock());
      this.timers.after(this.options.departureTimeoutMs, () => {
        if (this.rooms.get(roomName) === live && live.emptySince === since) this.finishRoom(roomName);
      });
    }
  }

  /**
   * StartRoomCompositeEgress: → egress_started, then egress_updated (ACTIVE). Returns the egress id. A file
   * or segments egress is a recording; a stream or images egress is not.
   */
  startEgress(roomName: string, kind: lk.EgressKind = 'file'): string {
    const live = this.room(roomName);
    const egress = lk.livekitEgress(live.room, this.clock(), ++this.egressCount, kind);
    const started = lk.egressStarted(egress, this.clock());
    const state: LiveEgress = { egress, ending: false, ended: false, info: started.egressInfo as lk.LiveKitPayload };
    this.egresses.set(egress.egressId, state);
    live.egresses.add(egress.egressId);
    this.emit(egress.egressId, started, state);
    this.timers.after(this.options.egressTiming?.startMs ?? 1000, () => {
      if (state.ending) return;
      state.startedAtMs = this.clock();
      this.emit(egress.egressId, lk.egressUpdated(egress, 'EGRESS_ACTIVE', state.startedAtMs, state.startedAtMs), state);
    });
    return egress.egressId;
  }

  /** StopEgress: → egress_updated (ENDING), then egress_ended with its outcome and files. */
  stopEgress(egressId: string, outcome: lk.EgressOutcome = 'EGRESS_COMPLETE'): void {
    const state = this.egresses.get(egressId);
    if (!state || state.ending) throw new Error(`no egress ${egressId} in progress`);
    state.ending = true;
    const startedAtMs = state.startedAtMs ?? this.clock();
    const wasActive = state.startedAtMs !== undefined;
    if (wasActive) this.emit(egressId, lk.egressUpdated(state.egress, 'EGRESS_ENDING', startedAtMs, this.clock()), state);
    this.timers.after(this.options.egressTiming?.stopMs ?? 1500, () => {
      state.ended = true;
      for (const live of this.rooms.values()) live.egresses.delete(egressId);
      // An egress stopped before it became active has nothing recorded.
      this.emit(egressId, lk.egressEnded(state.egress, wasActive ? outcome : 'EGRESS_ABORTED', startedAtMs, this.clock()), state);
    });
  }

  /**
   * DeleteRoom (or the departure timeout): participants leave, egresses stop, → room_finished. With
   * `loseRoomFinished`, the room ends all the same but its room_finished is never sent, as when LiveKit
   * drops an event (§2.1): only a read of the API shows that it has ended.
   */
  finishRoom(roomName: string, { loseRoomFinished = false }: { loseRoomFinished?: boolean } = {}): void {
    const live = this.room(roomName);
    for (const egressId of live.egresses) if (!this.egresses.get(egressId)?.ending) this.stopEgress(egressId);
    for (const sid of [...live.participants.keys()]) {
      const participant = live.participants.get(sid)!;
      live.participants.delete(sid);
      this.emit(roomName, lk.participantLeft(live.room, participant, this.clock(), this.roomState(live), 'ROOM_DELETED'));
    }
    this.rooms.delete(roomName);
    if (!loseRoomFinished) this.emit(roomName, lk.roomFinished(live.room, this.clock()));
  }

  /** Serves LiveKit's server API (Twirp under /twirp) on 127.0.0.1; resolves with its URL, e.g. http://127.0.0.1:7880. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.api ??= await serveLiveKitApi(this, { keys: this.options.settings.keys, port, host, egressPageSize: this.options.egressPageSize, now: this.clock });
    return this.api.url;
  }

  /** Where its API answers; undefined until `listen()`. */
  get apiUrl(): string | undefined {
    return this.api?.url;
  }

  /** Stops answering the API (webhooks go on): roomwatch then finds LiveKit unreachable. */
  async closeApi(): Promise<void> {
    const api = this.api;
    this.api = undefined;
    await api?.close();
  }

  // ── What the API answers (./livekit-api.ts) ──────────────────────────────────────────────────────

  listRoomInfos(names: string[]): lk.LiveKitPayload[] {
    return [...this.rooms.values()].filter(({ room }) => names.length === 0 || names.includes(room.name)).map((live) => lk.roomInfo(live.room, this.roomState(live)));
  }

  /** Everyone in the room, and each running egress as the hidden participant it is in LiveKit (kind EGRESS). */
  listParticipantInfos(roomName: string): lk.LiveKitPayload[] {
    const live = this.rooms.get(roomName);
    if (!live) return [];
    const people = [...live.participants.values()].map((participant) => lk.participantInfo(participant));
    const recorders = [...live.egresses].flatMap((egressId) => {
      const state = this.egresses.get(egressId);
      if (state?.startedAtMs === undefined) return [];
      const recorder = lk.livekitParticipant(live.room, egressId, state.startedAtMs, `egress:${egressId}`);
      return [{ ...lk.participantInfo({ ...recorder, identity: egressId, name: '' }), kind: 'EGRESS', permission: { canSubscribe: true, hidden: true, recorder: true } }];
    });
    return [...people, ...recorders];
  }

  deleteRoomByName(roomName: string): void {
    if (!this.rooms.has(roomName)) throw new LiveKitApiError('not_found', 'requested room does not exist');
    this.finishRoom(roomName);
  }

  listEgressInfos({ roomName, egressId, active }: EgressFilter): lk.LiveKitPayload[] {
    if (this.options.noEgressService) throw new LiveKitApiError('internal', 'egress not connected (redis required)');
    if (egressId && !this.egresses.has(egressId)) throw new LiveKitApiError('not_found', 'egress does not exist');
    return [...this.egresses.values()]
      .filter((state) => (!egressId || state.egress.egressId === egressId) && (!roomName || state.egress.room.name === roomName) && (!active || !state.ended))
      .map((state) => state.info);
  }

  stopEgressById(egressId: string): lk.LiveKitPayload {
    if (this.options.noEgressService) throw new LiveKitApiError('internal', 'egress not connected (redis required)');
    const state = this.egresses.get(egressId);
    if (!state) throw new LiveKitApiError('not_found', 'egress does not exist');
    if (state.ending) throw new LiveKitApiError('failed_precondition', `egress with status ${String(state.info.status ?? 'EGRESS_STARTING')} cannot be stopped`);
    this.stopEgress(egressId);
    return state.info;
  }

  roomsView(): LiveKitRoomView[] {
    return [...this.rooms.values()].map(({ room, participants, egresses }) => ({
      sid: room.sid,
      name: room.name,
      participants: [...participants.values()].map(({ sid, identity, name }) => ({ sid, identity, name })),
      egressIds: [...egresses],
    }));
  }

  deliveries(): Attempt[] {
    return this.log.all();
  }

  /** Resolves when every queue is empty and nothing is being sent. */
  idle(): Promise<void> {
    return this.sender.idle();
  }

  stop(): void {
    this.sender.stop();
    this.rooms.clear();
    this.egresses.clear();
    void this.closeApi();
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────────

  private room(name: string): LiveRoom {
    const live = this.rooms.get(name);
    if (!live) throw new Error(`no room ${name} (LiveKit answers not_found)`);
    return live;
  }

  private roomState(live: LiveRoom): lk.RoomState {
    return { numParticipants: live.participants.size, activeRecording: live.egresses.size > 0 };
  }

  /**
   * QueueNotify: into the resource's queue, unless it is full; signed when it leaves the queue, once for
   * all its retries. An egress's event is also what the API says of it from now on.
   */
  private emit(resource: string, payload: lk.LiveKitPayload, egress?: LiveEgress): void {
    if (egress) egress.info = payload.egressInfo as lk.LiveKitPayload;
    const body = lk.livekitBody(payload);
    const headers = async () => ({ ...lk.LIVEKIT_SENDER_HEADERS, ...(await platform.sign(this.options.settings, body, this.clock())).headers });
    this.sender.send({ events: [String(payload.event)], body, headers, resource, extra: {} });
  }
}
