// LiveKit (OpenVidu 3) webhook bodies as LiveKit's server posts them (../shared/protocols/providers.md
// §2.3, §2.4): protojson of a WebhookEvent, fields in .proto declaration order, lowerCamelCase names,
// 64-bit integers as strings (`createdAt` in seconds, egress times in nanoseconds), enums by name, and
// zero values left out (no `status` means EGRESS_STARTING, no `kind` means STANDARD).
import { randomBytes } from 'node:crypto';
import { BASE62, derived } from './ids.js';

export type LiveKitPayload = Record<string, unknown>;

/** What LiveKit sends besides its token and Content-Type: a User-Agent that "must stay stable across releases" (§2.1). */
export const LIVEKIT_SENDER_HEADERS: Readonly<Record<string, string>> = { 'User-Agent': 'LiveKit' };

/** One instance of a room: `sid` is new every time a room of that name starts. */
export interface LiveKitRoom {
  sid: string;
  name: string;
  creationTimeMs: number;
  turnPassword: string;
}

export interface LiveKitParticipant {
  sid: string;
  identity: string;
  name: string;
  joinedAtMs: number;
}

/**
 * What an egress writes, as LiveKit's room-composite request names its outputs: a file, HLS segments
 * (both recordings), an RTMP stream or images (not recordings: their room shows them).
 */
export type EgressKind = 'file' | 'segments' | 'stream' | 'images';

export interface LiveKitEgress {
  egressId: string;
  room: LiveKitRoom;
  kind: EgressKind;
  /** What it writes is called where it is stored (`daily-standup-2026-11-22T101500.mp4`, `….m3u8`, the images' prefix), or the stream's URL. */
  filename: string;
  location: string;
}

export type EgressStatus =
  | 'EGRESS_STARTING'
  | 'EGRESS_ACTIVE'
  | 'EGRESS_ENDING'
  | 'EGRESS_COMPLETE'
  | 'EGRESS_FAILED'
  | 'EGRESS_ABORTED'
  | 'EGRESS_LIMIT_REACHED';

export type EgressOutcome = 'EGRESS_COMPLETE' | 'EGRESS_FAILED' | 'EGRESS_ABORTED' | 'EGRESS_LIMIT_REACHED';

export type DisconnectReason = 'CLIENT_INITIATED' | 'PARTICIPANT_REMOVED' | 'ROOM_DELETED' | 'ROOM_CLOSED' | 'SIGNAL_CLOSE' | 'CONNECTION_TIMEOUT';

/** Where the demo's egress "uploads" its files; an S3 URL as LiveKit's `location` shows one. */
const BUCKET_URL = 'https://roomwatch-demo.s3.amazonaws.com';

/** A room named `name`, created at `creationTimeMs`; `seed` makes another instance of the same name distinct. */
export function livekitRoom(name: string, creationTimeMs: number, seed: string = name): LiveKitRoom {
  return {
    sid: `RM_${derived(`room:${seed}`, BASE62, 12)}`,
    name,
    creationTimeMs,
    turnPassword: derived(`turn:${seed}`, BASE62, 43),
  };
}

export function livekitParticipant(room: LiveKitRoom, name: string, joinedAtMs: number, seed: string = name): LiveKitParticipant {
  const identity = name.trim().toLowerCase().replace(/\s+/g, '-') || 'guest';
  return { sid: `PA_${derived(`participant:${room.sid}:${seed}`, BASE62, 12)}`, identity, name, joinedAtMs };
}

/** Where the demo's stream egresses "broadcast". */
const STREAM_URL = 'rtmp://live.roomwatch-demo.example/app';

/** The `index`-th room-composite egress of the room: by default recording to an MP4 file. */
export function livekitEgress(room: LiveKitRoom, requestedAtMs: number, index = 0, kind: EgressKind = 'file'): LiveKitEgress {
  // LiveKit's {time} file name template: 2006-01-02T150405.
  const time = new Date(requestedAtMs).toISOString().slice(0, 19).replace(/:/g, '');
  const name = `${slug(room.name)}-${time}`;
  const egressId = `EG_${derived(`egress:${room.sid}:${index}`, BASE62, 12)}`;
  const written: Record<EgressKind, { filename: string; location: string }> = {
    file: { filename: `${name}.mp4`, location: `${BUCKET_URL}/${name}.mp4` },
    segments: { filename: `${name}.m3u8`, location: `${BUCKET_URL}/${name}.m3u8` },
    stream: { filename: `${STREAM_URL}/${slug(room.name)}`, location: `${STREAM_URL}/${slug(room.name)}` },
    images: { filename: name, location: `${BUCKET_URL}/${name}` },
  };
  return { egressId, room, kind, ...written[kind] };
}

/** A new event id, as LiveKit gives every event (`EV_` and 12 base62 characters). */
export function newEventId(): string {
  return `EV_${[...randomBytes(12)].map((byte) => BASE62[byte % 62]).join('')}`;
}

/** What changes about a room between events. */
export interface RoomState {
  numParticipants?: number;
  numPublishers?: number;
  activeRecording?: boolean;
}

/** A `Room` as LiveKit describes it (webhooks, ListRooms). */
export function roomInfo(room: LiveKitRoom, state: RoomState = {}): LiveKitPayload {
  return {
    sid: room.sid,
    name: room.name,
    emptyTimeout: 300,
    departureTimeout: 20,
    creationTime: String(Math.floor(room.creationTimeMs / 1000)),
    creationTimeMs: String(room.creationTimeMs),
    turnPassword: room.turnPassword,
    enabledCodecs: [{ mime: 'audio/opus' }, { mime: 'audio/red' }, { mime: 'video/VP8' }, { mime: 'video/H264' }, { mime: 'video/VP9' }, { mime: 'video/AV1' }],
    // Zero values are omitted by protojson.
    ...(state.numParticipants && { numParticipants: state.numParticipants }),
    ...(state.numPublishers && { numPublishers: state.numPublishers }),
    ...(state.activeRecording && { activeRecording: true }),
  };
}

/** A `ParticipantInfo` as LiveKit describes it (webhooks, ListParticipants). */
export function participantInfo(participant: LiveKitParticipant, left?: DisconnectReason): LiveKitPayload {
  return {
    sid: participant.sid,
    identity: participant.identity,
    state: left ? 'DISCONNECTED' : 'ACTIVE',
    joinedAt: String(Math.floor(participant.joinedAtMs / 1000)),
    joinedAtMs: String(participant.joinedAtMs),
    name: participant.name,
    version: left ? 7 : 2,
    permission: { canSubscribe: true, canPublish: true, canPublishData: true },
    ...(left && { isPublisher: true }),
    // kind STANDARD is the zero value: omitted.
    ...(left && { disconnectReason: left }),
  };
}

/** The envelope, in WebhookEvent's declaration order: event, room, participant, egressInfo, …, id, createdAt. */
function webhookEvent(event: string, atMs: number, parts: { room?: LiveKitPayload; participant?: LiveKitPayload; egressInfo?: LiveKitPayload }, id: string): LiveKitPayload {
  return {
    event,
    ...(parts.room && { room: parts.room }),
    ...(parts.participant && { participant: parts.participant }),
    ...(parts.egressInfo && { egressInfo: parts.egressInfo }),
    id,
    createdAt: String(Math.floor(atMs / 1000)),
  };
}

export function roomStarted(room: LiveKitRoom, atMs: number, id = newEventId()): LiveKitPayload {
  return webhookEvent('room_started', atMs, { room: roomInfo(room) }, id);
}

export function roomFinished(room: LiveKitRoom, atMs: number, id = newEventId()): LiveKitPayload {
  return webhookEvent('room_finished', atMs, { room: roomInfo(room) }, id);
}

export function participantJoined(room: LiveKitRoom, participant: LiveKitParticipant, state: RoomState, id = newEventId()): LiveKitPayload {
  return webhookEvent('participant_joined', participant.joinedAtMs, { room: roomInfo(room, state), participant: participantInfo(participant) }, id);
}

export function participantLeft(
  room: LiveKitRoom,
  participant: LiveKitParticipant,
  atMs: number,
  state: RoomState,
  reason: DisconnectReason = 'CLIENT_INITIATED',
  id = newEventId(),
): LiveKitPayload {
  return webhookEvent('participant_left', atMs, { room: roomInfo(room, state), participant: participantInfo(participant, reason) }, id);
}

/** ms → the nanosecond int64 string LiveKit writes, with a sub-millisecond part as real clocks have. */
export function nanos(ms: number, seed = ''): string {
  return (BigInt(Math.round(ms)) * 1_000_000n + BigInt(derived(`ns:${seed}:${ms}`, '0123456789', 6))).toString();
}

export interface EgressTimes {
  /** When the egress became active (absent while starting). */
  startedAtMs?: number;
  endedAtMs?: number;
  updatedAtMs: number;
}

/** The room-composite request of an egress: its outputs, by kind (protojson of RoomCompositeEgressRequest). */
function egressRequest(egress: LiveKitEgress): LiveKitPayload {
  const outputs: Record<EgressKind, LiveKitPayload> = {
    file: { fileOutputs: [{ fileType: 'MP4', filepath: egress.filename }] },
    segments: { segmentOutputs: [{ protocol: 'HLS_PROTOCOL', filenamePrefix: egress.filename.replace(/\.m3u8$/, ''), playlistName: egress.filename }] },
    stream: { streamOutputs: [{ protocol: 'RTMP', urls: [egress.location] }] },
    images: { imageOutputs: [{ captureInterval: 10, filenamePrefix: egress.filename }] },
  };
  return { roomName: egress.room.name, layout: 'grid', ...outputs[egress.kind] };
}

/** An `EgressInfo` as LiveKit describes it (webhooks, ListEgress, StopEgress). */
export function egressInfo(egress: LiveKitEgress, status: EgressStatus, times: EgressTimes, result: LiveKitPayload = {}): LiveKitPayload {
  const seed = egress.egressId;
  return {
    egressId: egress.egressId,
    roomId: egress.room.sid,
    roomName: egress.room.name,
    // sourceType EGRESS_SOURCE_TYPE_WEB and status EGRESS_STARTING are zero values: omitted.
    ...(status !== 'EGRESS_STARTING' && { status }),
    ...(times.startedAtMs !== undefined && { startedAt: nanos(times.startedAtMs, seed) }),
    ...(times.endedAtMs !== undefined && { endedAt: nanos(times.endedAtMs, seed) }),
    updatedAt: nanos(times.updatedAtMs, seed),
    roomComposite: egressRequest(egress),
    // A stream reports itself while it runs (StreamInfo status ACTIVE, the zero value: omitted).
    ...(egress.kind === 'stream' && times.startedAtMs !== undefined && times.endedAtMs === undefined && { streamResults: [{ url: egress.location, startedAt: nanos(times.startedAtMs, seed) }] }),
    ...result,
  };
}

export function egressStarted(egress: LiveKitEgress, atMs: number, id = newEventId()): LiveKitPayload {
  return webhookEvent('egress_started', atMs, { egressInfo: egressInfo(egress, 'EGRESS_STARTING', { updatedAtMs: atMs }) }, id);
}

export function egressUpdated(
  egress: LiveKitEgress,
  status: 'EGRESS_ACTIVE' | 'EGRESS_ENDING',
  startedAtMs: number,
  atMs: number,
  id = newEventId(),
): LiveKitPayload {
  return webhookEvent('egress_updated', atMs, { egressInfo: egressInfo(egress, status, { startedAtMs, updatedAtMs: atMs }) }, id);
}

/** What a recording of `seconds` weighs, roughly (720p H.264 at about 3 Mbit/s). */
export function egressFileSize(seconds: number): number {
  return Math.round(seconds * 374_000 + 12_288);
}

export function egressEnded(egress: LiveKitEgress, outcome: EgressOutcome, startedAtMs: number, atMs: number, id = newEventId()): LiveKitPayload {
  return webhookEvent('egress_ended', atMs, { egressInfo: endedEgressInfo(egress, outcome, startedAtMs, atMs) }, id);
}

/** An egress that has ended, with what it wrote (its results, by kind) or why it did not. */
export function endedEgressInfo(egress: LiveKitEgress, outcome: EgressOutcome, startedAtMs: number, atMs: number): LiveKitPayload {
  const seed = egress.egressId;
  const durationMs = Math.max(0, atMs - startedAtMs);
  const [startedAt, endedAt] = [nanos(startedAtMs, seed), nanos(atMs, seed)];
  const duration = (BigInt(durationMs) * 1_000_000n + 417_553n).toString();
  const size = String(egressFileSize(durationMs / 1000));
  const results: Record<EgressKind, LiveKitPayload> = {
    file: { fileResults: [{ filename: egress.filename, startedAt, endedAt, duration, size, location: egress.location }] },
    segments: {
      segmentResults: [
        { playlistName: egress.filename, duration, size, playlistLocation: egress.location, segmentCount: String(Math.max(1, Math.ceil(durationMs / 6000))), startedAt, endedAt },
      ],
    },
    stream: { streamResults: [{ url: egress.location, startedAt, endedAt, duration, status: 'FINISHED' }] },
    images: { imageResults: [{ filenamePrefix: egress.filename, imageCount: String(Math.floor(durationMs / 10_000) + 1), startedAt, endedAt }] },
  };
  const result: Record<EgressOutcome, LiveKitPayload> = {
    EGRESS_COMPLETE: { ...results[egress.kind], details: 'end reason: source closed' },
    EGRESS_LIMIT_REACHED: { ...results[egress.kind], details: 'end reason: limit reached' },
    EGRESS_FAILED: { error: 'pipeline frozen', errorCode: 500 },
    EGRESS_ABORTED: { error: 'start signal not received', details: 'end reason: aborted' },
  };
  return egressInfo(egress, outcome, { startedAtMs, endedAtMs: atMs, updatedAtMs: atMs }, result[outcome]);
}

/**
 * The body bytes as LiveKit sends them. Go's protojson puts a space after commas in single-line output
 * in some builds, on purpose (internal/detrand), so that nobody depends on its exact bytes; the body in
 * LiveKit's own SDK tests has one after every comma, and so does this.
 */
export function livekitBody(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(livekitBody).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${fields.map(([key, field]) => `${JSON.stringify(key)}:${livekitBody(field)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

export interface LiveKitLifecycleOptions {
  room: LiveKitRoom;
  participants: string[];
  startAt: number;
  stepMs: number;
}

/**
 * A whole recorded meeting: room_started → participant_joined ×n → egress_started/updated/ended
 * (fileResults) → participant_left ×n → room_finished. LiveKit orders events per room and per egress,
 * not across them (§2.1); this list is one order a receiver can see.
 */
export function livekitLifecycle({ room, participants, startAt, stepMs }: LiveKitLifecycleOptions): LiveKitPayload[] {
  let clock = startAt;
  const tick = () => (clock += stepMs);
  const events: LiveKitPayload[] = [roomStarted(room, startAt)];
  const people = participants.map((name, i) => {
    const participant = livekitParticipant(room, name, tick());
    events.push(participantJoined(room, participant, { numParticipants: i + 1 }));
    return participant;
  });
  const egress = livekitEgress(room, tick());
  events.push(egressStarted(egress, clock));
  const activeAt = tick();
  events.push(egressUpdated(egress, 'EGRESS_ACTIVE', activeAt, activeAt));
  events.push(egressUpdated(egress, 'EGRESS_ENDING', activeAt, tick()));
  events.push(egressEnded(egress, 'EGRESS_COMPLETE', activeAt, tick()));
  people.forEach((participant, i) => events.push(participantLeft(room, participant, tick(), { numParticipants: people.length - i - 1 })));
  events.push(roomFinished(room, tick()));
  return events;
}

function slug(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'room';
}
