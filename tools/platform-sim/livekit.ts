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
import { signLiveKitWebhook } from '../../server/ingest/sources/livekit.js';
import { SENDER_HEADERS } from '../platforms/deliver.js';
import * as lk from '../platforms/livekit.js';
import { DeliveryLog, type SimAttempt } from './delivery-log.js';
import { postAttempt, type AttemptResult } from './http-attempt.js';
import { TimerSet } from '../meet-sim/timers.js';

export interface LiveKitSimulatorOptions {
  webhookUrl?: string;
  apiKey: string;
  apiSecret: string;
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
}

interface Queued {
  event: string;
  body: string;
  queuedAt: number;
}

interface ResourceQueue {
  items: Queued[];
  running: boolean;
}

export interface LiveKitRoomView {
  sid: string;
  name: string;
  participants: { sid: string; identity: string; name: string }[];
  egressIds: string[];
}

export class LiveKitSimulator {
  readonly log = new DeliveryLog();
  private url: string | undefined;
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly egresses = new Map<string, LiveEgress>();
  private readonly queues = new Map<string, ResourceQueue>();
  private readonly waiting = new Set<Promise<void>>();
  private readonly timers = new TimerSet();
  private readonly inFlight = new Set<AbortController>();
  private readonly clock: () => number;
  private instances = 0;
  private egressCount = 0;

  constructor(private readonly options: LiveKitSimulatorOptions) {
    this.url = options.webhookUrl;
    this.clock = options.clock ?? Date.now;
  }

  setWebhookUrl(url: string | undefined): void {
    this.url = url;
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

  /** StartRoomCompositeEgress: → egress_started, then egress_updated (ACTIVE). Returns the egress id. */
  startEgress(roomName: string): string {
    const live = this.room(roomName);
    const egress = lk.livekitEgress(live.room, this.clock(), ++this.egressCount);
    const state: LiveEgress = { egress, ending: false };
    this.egresses.set(egress.egressId, state);
    live.egresses.add(egress.egressId);
    this.emit(egress.egressId, lk.egressStarted(egress, this.clock()));
    this.timers.after(this.options.egressTiming?.startMs ?? 1000, () => {
      if (state.ending) return;
      state.startedAtMs = this.clock();
      this.emit(egress.egressId, lk.egressUpdated(egress, 'EGRESS_ACTIVE', state.startedAtMs, state.startedAtMs));
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
    if (wasActive) this.emit(egressId, lk.egressUpdated(state.egress, 'EGRESS_ENDING', startedAtMs, this.clock()));
    this.timers.after(this.options.egressTiming?.stopMs ?? 1500, () => {
      this.egresses.delete(egressId);
      for (const live of this.rooms.values()) live.egresses.delete(egressId);
      // An egress stopped before it became active has nothing recorded.
      this.emit(egressId, lk.egressEnded(state.egress, wasActive ? outcome : 'EGRESS_ABORTED', startedAtMs, this.clock()));
    });
  }

  /** DeleteRoom (or the departure timeout): participants leave, egresses stop, → room_finished. */
  finishRoom(roomName: string): void {
    const live = this.room(roomName);
    for (const egressId of live.egresses) if (!this.egresses.get(egressId)?.ending) this.stopEgress(egressId);
    for (const sid of [...live.participants.keys()]) {
      const participant = live.participants.get(sid)!;
      live.participants.delete(sid);
      this.emit(roomName, lk.participantLeft(live.room, participant, this.clock(), this.roomState(live), 'ROOM_DELETED'));
    }
    this.rooms.delete(roomName);
    this.emit(roomName, lk.roomFinished(live.room, this.clock()));
  }

  roomsView(): LiveKitRoomView[] {
    return [...this.rooms.values()].map(({ room, participants, egresses }) => ({
      sid: room.sid,
      name: room.name,
      participants: [...participants.values()].map(({ sid, identity, name }) => ({ sid, identity, name })),
      egressIds: [...egresses],
    }));
  }

  deliveries(): SimAttempt[] {
    return this.log.all();
  }

  /** Resolves when every queue is empty and nothing is being sent. */
  async idle(): Promise<void> {
    while (!this.timers.isStopped && (this.waiting.size > 0 || [...this.queues.values()].some((queue) => queue.running))) {
      await Promise.race([...this.waiting, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
  }

  stop(): void {
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.rooms.clear();
    this.egresses.clear();
    this.queues.clear();
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

  /** QueueNotify: into the resource's queue, unless it is full. */
  private emit(resource: string, payload: lk.LiveKitPayload): void {
    const url = this.url;
    if (!url || this.timers.isStopped) return;
    const event = String(payload.event);
    const body = lk.livekitBody(payload);
    const queue = this.queues.get(resource) ?? { items: [], running: false };
    this.queues.set(resource, queue);
    if (queue.items.length >= (this.options.maxDepth ?? 200)) {
      this.dropped(url, event, body, 'queue full');
      return;
    }
    queue.items.push({ event, body, queuedAt: Date.now() });
    if (!queue.running) {
      queue.running = true;
      const work = this.drain(resource, queue, url).finally(() => this.waiting.delete(work));
      this.waiting.add(work);
    }
  }

  private async drain(resource: string, queue: ResourceQueue, url: string): Promise<void> {
    while (queue.items.length > 0 && !this.timers.isStopped) {
      const item = queue.items.shift()!;
      if (Date.now() - item.queuedAt > (this.options.maxAgeMs ?? 30_000)) {
        this.dropped(url, item.event, item.body, 'age');
        continue;
      }
      await this.send(url, item);
    }
    queue.running = false;
    if (queue.items.length === 0 && this.queues.get(resource) === queue) this.queues.delete(resource);
  }

  private dropped(url: string, event: string, body: string, reason: string): void {
    this.log.record({
      platform: 'livekit',
      delivery: this.log.nextDelivery(),
      events: [event],
      url,
      attempt: 0,
      ok: false,
      next: 'lost',
      error: `dropped webhook: ${reason}`,
      body,
      headers: {},
      sentAt: Date.now(),
    });
  }

  private async send(url: string, item: Queued): Promise<void> {
    const { apiKey, apiSecret } = this.options;
    const headers = { ...SENDER_HEADERS.livekit, Authorization: await signLiveKitWebhook({ apiKey, apiSecret }, item.body, this.clock(), 300) };
    const delivery = this.log.nextDelivery();
    const retries = this.options.maxRetries ?? 4;
    for (let attempt = 1; attempt <= retries + 1 && !this.timers.isStopped; attempt++) {
      const sentAt = Date.now();
      const result = await postAttempt(url, item.body, headers, this.options.attemptTimeoutMs ?? 10_000, this.inFlight);
      const retryable = 'failure' in result || result.status === 429 || (result.status >= 500 && result.status !== 501);
      const last = attempt === retries + 1;
      this.log.record({
        platform: 'livekit',
        delivery,
        events: [item.event],
        url,
        attempt,
        ok: !retryable,
        next: !retryable ? 'done' : last ? 'lost' : 'retry',
        ...('status' in result && { status: result.status }),
        ...('failure' in result && { error: result.failure }),
        ...(retryable && last && { error: `giving up after ${attempt} attempt(s)` }),
        body: item.body,
        headers,
        sentAt,
      });
      if (!retryable || last) return;
      await this.timers.sleep(this.backoff(attempt - 1, result));
    }
  }

  /** go-retryablehttp DefaultBackoff: Retry-After on 429/503, else min × 2^n, at most max. */
  private backoff(attemptNumber: number, result: AttemptResult): number {
    const min = this.options.retryWaitMinMs ?? 1000;
    const max = this.options.retryWaitMaxMs ?? 30_000;
    if ('status' in result && (result.status === 429 || result.status === 503) && result.retryAfter !== undefined) {
      const seconds = Number(result.retryAfter);
      if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    }
    return Math.min(min * 2 ** attemptNumber, max);
  }
}
