// OpenVidu 2.x webhook bodies exactly as OpenVidu 2.32 posts them (../shared/protocols/providers.md §1.3,
// §1.4): one flat object per event, fields in the order the CDR classes emit them, `event` last,
// `timestamp` in ms, `uniqueSessionId` = `<sessionId>_<session start>`, `connectionId` and its deprecated
// twin `participantId`. Ids come from the room name (`customSessionId`) and the participant's name.
import { BASE62, derived, derivedNumber } from './ids.js';

export type OpenViduPayload = Record<string, unknown>;

/** What OpenVidu sends besides its configured headers and Content-Type: Apache HttpClient's default User-Agent, expected but never captured (§1.2, §5.4). */
export const OPENVIDU_SENDER_HEADERS: Readonly<Record<string, string>> = { 'User-Agent': 'Apache-HttpClient/4.5.14 (Java/11.0.25)' };

/** One session instance. */
export interface OpenViduSession {
  sessionId: string;
  /** `sessionId + "_" + startTime` (2.17+): tells apart sessions that reuse a custom id. */
  uniqueSessionId: string;
  /** ms; the sessionCreated timestamp of this instance. */
  startTime: number;
}

export interface OpenViduParticipant {
  connectionId: string;
  name: string;
  /** ms: the participantJoined timestamp. */
  joinedAt: number;
  ip: string;
  platform: string;
}

export interface OpenViduRecording {
  /** `sessionId` for the first recording of a session id, then `sessionId~1`… (§1.4). */
  id: string;
  name: string;
  /** ms: the recording's createdAt, sent as `startTime`. */
  startTime: number;
}

export type OpenViduRecordingStatus = 'started' | 'stopped' | 'ready' | 'failed';

export type OpenViduEndReason =
  | 'disconnect'
  | 'forceDisconnectByUser'
  | 'forceDisconnectByServer'
  | 'networkDisconnect'
  | 'sessionClosedByServer'
  | 'lastParticipantLeft'
  | 'recordingStoppedByServer'
  | 'automaticStop'
  | 'openviduServerStopped';

const PLATFORMS = [
  'Chrome 131.0.0.0 on Linux 64-bit',
  'Firefox 133.0 on Windows 10 64-bit',
  'Safari 18.1 on OS X 10.15.7',
  'Chrome Mobile 131.0.6778.104 on Android 14',
];

/**
 * The session an application creates for this room with `customSessionId` (OpenVidu allows only
 * [a-zA-Z0-9_-] there, so the name is turned into that), started at `startTime`.
 */
export function openviduSession(roomName: string, startTime: number): OpenViduSession {
  const sessionId = roomName.trim().replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || `ses_${derived(`session:${roomName}`, BASE62, 10)}`;
  return { sessionId, uniqueSessionId: `${sessionId}_${startTime}`, startTime };
}

/** A connection of `name` to the session; `seed` makes a second connection of the same name distinct. */
export function openviduParticipant(session: OpenViduSession, name: string, joinedAt: number, seed: string = name): OpenViduParticipant {
  const key = `${session.uniqueSessionId}:${seed}`;
  return {
    connectionId: `con_${derived(`connection:${key}`, BASE62, 10)}`,
    name,
    joinedAt,
    ip: `192.168.${1 + derivedNumber(`subnet:${key}`, 254)}.${2 + derivedNumber(`host:${key}`, 250)}`,
    platform: PLATFORMS[derivedNumber(`platform:${seed}`, PLATFORMS.length)]!,
  };
}

/** The `index`-th recording of the session (0 = the first one, whose id is the session id). */
export function openviduRecording(session: OpenViduSession, startTime: number, index = 0): OpenViduRecording {
  const id = index === 0 ? session.sessionId : `${session.sessionId}~${index}`;
  return { id, name: id, startTime };
}

function sessionFields(session: OpenViduSession, timestamp: number): OpenViduPayload {
  return { sessionId: session.sessionId, uniqueSessionId: session.uniqueSessionId, timestamp };
}

/** `duration` of an end event: whole seconds since `startTime` (§1.3). */
const wholeSeconds = (from: number, to: number) => Math.max(0, Math.floor((to - from) / 1000));

function participantFields(participant: OpenViduParticipant): OpenViduPayload {
  return {
    participantId: participant.connectionId,
    connectionId: participant.connectionId,
    location: 'unknown', // only OpenVidu Pro geolocates
    ip: participant.ip,
    platform: participant.platform,
    // What the OpenVidu tutorials pass to Session.connect; serverData is the token's `data`, none here.
    clientData: JSON.stringify({ clientData: participant.name }),
    serverData: '',
  };
}

export function sessionCreated(session: OpenViduSession, at: number = session.startTime): OpenViduPayload {
  return { ...sessionFields(session, at), event: 'sessionCreated' };
}

export function sessionDestroyed(session: OpenViduSession, at: number, reason: OpenViduEndReason = 'lastParticipantLeft'): OpenViduPayload {
  return {
    ...sessionFields(session, at),
    startTime: session.startTime,
    duration: wholeSeconds(session.startTime, at),
    reason,
    event: 'sessionDestroyed',
  };
}

export function participantJoined(session: OpenViduSession, participant: OpenViduParticipant): OpenViduPayload {
  return { ...sessionFields(session, participant.joinedAt), ...participantFields(participant), event: 'participantJoined' };
}

export function participantLeft(
  session: OpenViduSession,
  participant: OpenViduParticipant,
  at: number,
  reason: OpenViduEndReason = 'disconnect',
): OpenViduPayload {
  return {
    ...sessionFields(session, at),
    startTime: participant.joinedAt,
    duration: wholeSeconds(participant.joinedAt, at),
    reason,
    ...participantFields(participant),
    event: 'participantLeft',
  };
}

/** The participant's camera stream, published to the server (OUTBOUND). */
function streamFields(participant: OpenViduParticipant): OpenViduPayload {
  return {
    streamId: `str_CAM_${derived(`stream:${participant.connectionId}`, BASE62, 4)}_${participant.connectionId}`,
    participantId: participant.connectionId,
    connectionId: participant.connectionId,
    connection: 'OUTBOUND',
    videoSource: 'CAMERA',
    videoFramerate: 30,
    // A string holding JSON, passed through from the client (§1.4).
    videoDimensions: JSON.stringify({ width: 1280, height: 720 }),
    audioEnabled: true,
    videoEnabled: true,
  };
}

export function webrtcConnectionCreated(session: OpenViduSession, participant: OpenViduParticipant, at: number): OpenViduPayload {
  return { ...sessionFields(session, at), ...streamFields(participant), event: 'webrtcConnectionCreated' };
}

export function webrtcConnectionDestroyed(
  session: OpenViduSession,
  participant: OpenViduParticipant,
  publishedAt: number,
  at: number,
  reason: OpenViduEndReason = 'disconnect',
): OpenViduPayload {
  return {
    ...sessionFields(session, at),
    startTime: publishedAt,
    duration: wholeSeconds(publishedAt, at),
    reason,
    ...streamFields(participant),
    event: 'webrtcConnectionDestroyed',
  };
}

export interface RecordingOutcome {
  /** Why it stopped (absent on `started`, and on a `failed` start). */
  reason?: OpenViduEndReason;
  /** Seconds of the file (a double); 0 until `ready`. */
  duration?: number;
  /** Bytes; 0 until `ready`. */
  size?: number;
}

/** A COMPOSED recording with video (the default of OpenVidu's recording API). */
export function recordingStatusChanged(
  session: OpenViduSession,
  recording: OpenViduRecording,
  status: OpenViduRecordingStatus,
  at: number,
  { reason, duration = 0, size = 0 }: RecordingOutcome = {},
): OpenViduPayload {
  return {
    ...sessionFields(session, at),
    startTime: recording.startTime,
    // The end event's `duration` key, overwritten in place with the file's duration (§1.4).
    duration,
    ...(reason !== undefined && { reason }),
    id: recording.id,
    name: recording.name,
    outputMode: 'COMPOSED',
    resolution: '1280x720',
    frameRate: 25,
    recordingLayout: 'BEST_FIT',
    hasAudio: true,
    hasVideo: true,
    size,
    status,
    event: 'recordingStatusChanged',
  };
}

/** What a recording of `seconds` weighs, roughly (COMPOSED 720p at about 256 kB/s). */
export function recordingSize(seconds: number): number {
  return Math.round(seconds * 262_144 + 41_873);
}

/**
 * The body bytes as OpenVidu's Gson writes them: compact, in insertion order, and a recording's
 * `duration` (a Java double) always with a decimal point, `0.0` rather than `0`.
 */
export function openviduBody(payload: OpenViduPayload): string {
  const json = JSON.stringify(payload);
  if (payload.event !== 'recordingStatusChanged' || !Number.isInteger(payload.duration)) return json;
  return json.replace(`"duration":${String(payload.duration)},`, `"duration":${String(payload.duration)}.0,`);
}

export interface OpenViduLifecycleOptions {
  session: OpenViduSession;
  participants: string[];
  /** ms of the first event (sessionCreated); the others follow `stepMs` apart. */
  startAt: number;
  stepMs: number;
}

/**
 * A whole recorded session, in the order OpenVidu sends it (§1.6): created, everyone joins and
 * publishes, a recording starts; everyone leaves, the last one's leaving stops the recording and
 * destroys the session, and `ready` comes after `sessionDestroyed`.
 */
export function openviduLifecycle({ session, participants, startAt, stepMs }: OpenViduLifecycleOptions): OpenViduPayload[] {
  let clock = startAt;
  const tick = () => (clock += stepMs);
  const events: OpenViduPayload[] = [sessionCreated(session, startAt)];
  const joined = participants.map((name) => {
    const participant = openviduParticipant(session, name, tick());
    events.push(participantJoined(session, participant));
    const publishedAt = tick();
    events.push(webrtcConnectionCreated(session, participant, publishedAt));
    return { participant, publishedAt };
  });
  const recording = openviduRecording(session, tick());
  events.push(recordingStatusChanged(session, recording, 'started', recording.startTime));
  for (const { participant, publishedAt } of joined) {
    events.push(webrtcConnectionDestroyed(session, participant, publishedAt, tick()));
    events.push(participantLeft(session, participant, tick()));
  }
  const stoppedAt = tick();
  events.push(recordingStatusChanged(session, recording, 'stopped', stoppedAt, { reason: 'lastParticipantLeft' }));
  events.push(sessionDestroyed(session, tick()));
  const seconds = Math.max(1, (stoppedAt - recording.startTime) / 1000) + 0.483;
  events.push(recordingStatusChanged(session, recording, 'ready', tick(), { reason: 'lastParticipantLeft', duration: seconds, size: recordingSize(seconds) }));
  return events;
}
