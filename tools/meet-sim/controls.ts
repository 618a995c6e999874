// The simulator's control surface: what a test, the demo or the meeting page does to the simulated Meet
// (a participant joins, a moderator records, a delivery goes wrong). Exposed as methods on
// MeetSimulator and, one for one, over HTTP under /_sim (control-routes.ts).
import type { SimContext } from './context.js';
import { wireContext } from './context.js';
import type { JsonObject, ParticipantRole, RecordingOutcome, RoomRecord } from './model.js';
import { parseRoomOptions } from './room-options.js';
import { recordingToWire, roomLinks, roomToWire } from './shapes.js';
import type { DeliveryAttempt } from './webhooks.js';

export interface SimParticipant {
  identity: string;
  name: string;
  role: ParticipantRole;
  joinedAt: number;
}

export interface SimRoomView {
  roomId: string;
  roomName: string;
  status: string;
  meetingEndAction: string;
  links: { moderator: string; speaker: string; recordings?: string };
  meeting: { startedAt: number; participants: SimParticipant[] } | null;
  recordings: { recordingId: string; status: string }[];
  /** The whole room as a webhook would carry it. */
  room: JsonObject;
}

export interface CreateRoomOptions {
  config?: unknown;
  roles?: unknown;
  access?: unknown;
  autoDeletionDate?: number;
  autoDeletionPolicy?: unknown;
}

export interface SimControls {
  createRoom(roomName?: string, options?: CreateRoomOptions): SimRoomView;
  room(roomId: string): SimRoomView;
  rooms(): SimRoomView[];
  startMeeting(roomId: string): SimRoomView;
  endMeeting(roomId: string): void;
  /** A participant joins; the first one starts the meeting (→ meetingStarted). */
  join(roomId: string, participant?: { name?: string; role?: ParticipantRole }): SimParticipant;
  /** A participant (the latest one when no identity is given) leaves; the last one ends the meeting. */
  leave(roomId: string, identity?: string): boolean;
  /** Resolves with the recording id once it is `active` (recordingStarted, then recordingUpdated). */
  startRecording(roomId: string): Promise<string>;
  /** recordingUpdated(ending), then recordingEnded(outcome); resolves with the final recording. */
  stopRecording(recordingId: string, outcome?: RecordingOutcome): Promise<JsonObject>;
  recording(recordingId: string): JsonObject;
  /** A recording that already exists when the story starts: stored `complete`, no webhooks. */
  addCompletedRecording(roomId: string, durationSeconds?: number, startDate?: number): string;
  setWebhookUrl(url: string | undefined, enabled?: boolean): void;
  setWebhooksEnabled(enabled: boolean): void;
  /** The next webhook reaches the receiver `extra` more times, identical bytes, retry-spaced (max 5). */
  sendDuplicate(extra: number): void;
  /** The next webhook's first attempt is `ms` late. */
  delayNext(ms: number): void;
  /** The next webhook is stamped `ms` in the past (validly signed, stale). */
  backdateNext(ms: number): void;
  /** Holds the next `count` webhooks, then delivers them newest first. */
  holdAndReorder(count: number): void;
  releaseHeld(): void;
  /** Re-sends an earlier delivery's exact bytes now (a stale duplicate); returns the new delivery number. */
  resendDelivery(delivery: number): number;
  deliveries(): DeliveryAttempt[];
  clearDeliveries(): void;
  waitForDelivery(match: (attempt: DeliveryAttempt) => boolean, timeoutMs?: number): Promise<DeliveryAttempt>;
  onDelivery(listener: (attempt: DeliveryAttempt) => void): () => void;
  /** Forgets every room and recording and the delivery log (the webhook URL stays). */
  reset(): void;
}

export function createControls(ctx: SimContext): SimControls {
  const view = (room: RoomRecord): SimRoomView => {
    const wire = wireContext(ctx);
    const links = roomLinks(room, wire);
    return {
      roomId: room.roomId,
      roomName: room.roomName,
      status: room.status,
      meetingEndAction: room.meetingEndAction,
      links:
        ctx.version === '3.4'
          ? { moderator: links.moderator, speaker: links.speaker }
          : { moderator: links.moderator, speaker: links.speaker, recordings: links.recordings },
      meeting: room.meeting
        ? { startedAt: room.meeting.startedAt, participants: [...room.meeting.participants.values()].map((p) => ({ ...p })) }
        : null,
      recordings: ctx.state.recordingsOf(room.roomId).map(({ recordingId, status }) => ({ recordingId, status })),
      room: roomToWire(room, wire),
    };
  };
  const recordingJson = (recordingId: string): JsonObject => {
    const recording = ctx.state.getRecording(recordingId);
    return recordingToWire(recording, ctx.state.findRoom(recording.roomId)?.roomName ?? '', wireContext(ctx));
  };

  return {
    createRoom: (roomName, options = {}) =>
      view(ctx.meetings.createRoom(parseRoomOptions(ctx.version, { ...options, roomName }, ctx.now))),
    room: (roomId) => view(ctx.state.getRoom(roomId)),
    rooms: () => ctx.state.allRooms().map(view),
    startMeeting: (roomId) => view(ctx.meetings.startMeeting(roomId)),
    endMeeting: (roomId) => ctx.meetings.endMeeting(roomId),
    join: (roomId, participant = {}) => ({
      ...ctx.meetings.join(roomId, participant.name?.trim() || 'Participant', participant.role ?? 'speaker'),
    }),
    leave: (roomId, identity) => ctx.meetings.leave(roomId, identity),
    startRecording: async (roomId) => (await ctx.recorder.start(roomId)).recordingId,
    stopRecording: async (recordingId, outcome = 'complete') => {
      const recording = await ctx.recorder.stop(recordingId, outcome);
      return recordingToWire(recording, ctx.state.findRoom(recording.roomId)?.roomName ?? '', wireContext(ctx));
    },
    recording: recordingJson,
    addCompletedRecording: (roomId, durationSeconds = 60, startDate) =>
      ctx.recorder.addPastRecording(roomId, startDate ?? ctx.now() - durationSeconds * 1000 - 60_000, durationSeconds)
        .recordingId,
    setWebhookUrl: (url, enabled) => ctx.webhooks.setTarget({ url, enabled: enabled ?? url !== undefined }),
    setWebhooksEnabled: (enabled) => ctx.webhooks.setTarget({ enabled }),
    sendDuplicate: (extra) => ctx.webhooks.duplicateNext(extra),
    delayNext: (ms) => ctx.webhooks.delayNext(ms),
    backdateNext: (ms) => ctx.webhooks.backdateNext(ms),
    holdAndReorder: (count) => ctx.webhooks.holdNext(count),
    releaseHeld: () => ctx.webhooks.releaseHeld(),
    resendDelivery: (delivery) => ctx.webhooks.resend(delivery),
    deliveries: () => ctx.webhooks.deliveries(),
    clearDeliveries: () => ctx.webhooks.clearLog(),
    waitForDelivery: (match, timeoutMs = 10_000) => waitForDelivery(ctx, match, timeoutMs),
    onDelivery: (listener) => ctx.webhooks.onAttempt(listener),
    reset: () => {
      ctx.state.clear();
      ctx.webhooks.clearLog();
    },
  };
}

function waitForDelivery(
  ctx: SimContext,
  match: (attempt: DeliveryAttempt) => boolean,
  timeoutMs: number,
): Promise<DeliveryAttempt> {
  const already = ctx.webhooks.deliveries().find(match);
  if (already) return Promise.resolve(already);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`No matching webhook delivery within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    const unsubscribe = ctx.webhooks.onAttempt((attempt) => {
      if (!match(attempt)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(attempt);
    });
  });
}
