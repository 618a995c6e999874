// What `npm run trigger -- --source <platform> <event>` can send: each platform's event names, the
// `--status` values that apply, and the bodies (one per POST) for a room, a participant and "now".
// Ids, and the session's start, come from the room name, so separate runs about one room name talk
// about the same session all day (tools/platforms/ids.ts).
import { pinnedSessionStart } from './ids.js';
import type { Platform } from './deliver.js';
import * as enx from './enablex.js';
import * as lk from './livekit.js';
import * as ls from './liveswitch.js';
import * as ov from './openvidu.js';

export interface TriggerRequest {
  event: string;
  room: string;
  participant: string;
  /** A value of `statuses[event]` (the first one when not given). */
  status: string | undefined;
  now: number;
  /** LiveSwitch Batch mode: at most this many events per POST, as a JSON array. */
  batch: number | undefined;
}

export interface TriggerPost {
  body: string;
  /** The event names it carries, for the printout. */
  events: string[];
}

export interface PlatformCatalogue {
  events: readonly string[];
  /** Allowed `--status` values by event; the first is the default. */
  statuses: Readonly<Record<string, readonly string[]>>;
  /** Events about a person, which take `--participant`. */
  participantEvents: readonly string[];
  posts(request: TriggerRequest): TriggerPost[];
}

/** The pseudo-event that sends a whole session of the platform, one POST per event (or per batch). */
export const LIFECYCLE = 'lifecycle';
const LIFECYCLE_START_MS = 15 * 60_000;
const LIFECYCLE_STEP_MS = 60_000;
const RECORDING_SECONDS = 62.483;

/** A second person for lifecycles, other than the one named. */
const companion = (participant: string) => (participant === 'Bob' ? 'Carol' : 'Bob');

const openvidu: PlatformCatalogue = {
  events: [
    'sessionCreated',
    'participantJoined',
    'webrtcConnectionCreated',
    'recordingStatusChanged',
    'webrtcConnectionDestroyed',
    'participantLeft',
    'sessionDestroyed',
    LIFECYCLE,
  ],
  statuses: { recordingStatusChanged: ['started', 'stopped', 'ready', 'failed'] },
  participantEvents: ['participantJoined', 'webrtcConnectionCreated', 'webrtcConnectionDestroyed', 'participantLeft'],
  posts({ event, room, participant: name, status, now }) {
    const session = ov.openviduSession(room, pinnedSessionStart(room, now));
    if (event === LIFECYCLE) {
      const events = ov.openviduLifecycle({ session, participants: [name, companion(name)], startAt: now - LIFECYCLE_START_MS, stepMs: LIFECYCLE_STEP_MS });
      return events.map((payload) => ({ body: ov.openviduBody(payload), events: [String(payload.event)] }));
    }
    // Someone who leaves joined a while ago (their connection id depends on the session and name only).
    const joinedAt = event === 'participantJoined' ? now : Math.max(session.startTime, now - 300_000);
    const participant = ov.openviduParticipant(session, name, joinedAt);
    const recording = ov.openviduRecording(session, pinnedSessionStart(`recording:${room}`, now));
    const payload = (() => {
      switch (event) {
        case 'sessionCreated':
          return ov.sessionCreated(session, now);
        case 'participantJoined':
          return ov.participantJoined(session, participant);
        case 'webrtcConnectionCreated':
          return ov.webrtcConnectionCreated(session, participant, now);
        case 'webrtcConnectionDestroyed':
          return ov.webrtcConnectionDestroyed(session, participant, joinedAt, now);
        case 'participantLeft':
          return ov.participantLeft(session, participant, now);
        case 'sessionDestroyed':
          return ov.sessionDestroyed(session, now);
        default: {
          const recordingStatus = (status ?? 'started') as ov.OpenViduRecordingStatus;
          const outcome: Record<ov.OpenViduRecordingStatus, ov.RecordingOutcome> = {
            started: {},
            stopped: { reason: 'recordingStoppedByServer' },
            ready: { reason: 'recordingStoppedByServer', duration: RECORDING_SECONDS, size: ov.recordingSize(RECORDING_SECONDS) },
            failed: {},
          };
          return ov.recordingStatusChanged(session, recording, recordingStatus, now, outcome[recordingStatus]);
        }
      }
    })();
    return [{ body: ov.openviduBody(payload), events: [event] }];
  },
};

const EGRESS_STATUSES: Record<string, lk.EgressStatus> = {
  active: 'EGRESS_ACTIVE',
  ending: 'EGRESS_ENDING',
  complete: 'EGRESS_COMPLETE',
  failed: 'EGRESS_FAILED',
  aborted: 'EGRESS_ABORTED',
  limit_reached: 'EGRESS_LIMIT_REACHED',
};

const livekit: PlatformCatalogue = {
  events: ['room_started', 'participant_joined', 'egress_started', 'egress_updated', 'egress_ended', 'participant_left', 'room_finished', LIFECYCLE],
  statuses: { egress_updated: ['active', 'ending'], egress_ended: ['complete', 'failed', 'aborted', 'limit_reached'] },
  participantEvents: ['participant_joined', 'participant_left'],
  posts({ event, room: name, participant: person, status, now }) {
    const room = lk.livekitRoom(name, pinnedSessionStart(name, now));
    if (event === LIFECYCLE) {
      const events = lk.livekitLifecycle({ room, participants: [person, companion(person)], startAt: now - LIFECYCLE_START_MS, stepMs: LIFECYCLE_STEP_MS });
      return events.map((payload) => ({ body: lk.livekitBody(payload), events: [String(payload.event)] }));
    }
    const joinedAt = event === 'participant_joined' ? now : Math.max(room.creationTimeMs, now - 300_000);
    const participant = lk.livekitParticipant(room, person, joinedAt);
    // The room's egress (same id every run); it has been recording for a minute, as Meet's samples have.
    const egress = lk.livekitEgress(room, pinnedSessionStart(`egress:${name}`, now));
    const egressStartedAt = now - Math.round(RECORDING_SECONDS * 1000);
    const payload = (() => {
      switch (event) {
        case 'room_started':
          return lk.roomStarted(room, now);
        case 'participant_joined':
          return lk.participantJoined(room, participant, { numParticipants: 1 });
        case 'participant_left':
          return lk.participantLeft(room, participant, now, {});
        case 'room_finished':
          return lk.roomFinished(room, now);
        case 'egress_started':
          return lk.egressStarted(egress, now);
        case 'egress_updated':
          return lk.egressUpdated(egress, EGRESS_STATUSES[status ?? 'active'] as 'EGRESS_ACTIVE' | 'EGRESS_ENDING', egressStartedAt, now);
        default:
          return lk.egressEnded(egress, EGRESS_STATUSES[status ?? 'complete'] as lk.EgressOutcome, egressStartedAt, now);
      }
    })();
    return [{ body: lk.livekitBody(payload), events: [event] }];
  },
};

const liveswitch: PlatformCatalogue = {
  events: [...ls.LIVESWITCH_EVENTS, LIFECYCLE],
  statuses: {},
  participantEvents: ['client.registered', 'connection.connected', 'connection.closed', 'client.unregistered'],
  posts({ event, room, participant, now, batch }) {
    let payloads: ls.LiveSwitchPayload[];
    if (event === LIFECYCLE) {
      const channel = ls.liveswitchChannel(room);
      payloads = ls.liveswitchLifecycle({ channel, participants: [participant, companion(participant)], startAt: now - LIFECYCLE_START_MS, stepMs: LIFECYCLE_STEP_MS });
    } else {
      // With --batch N, one POST carries the event for N channels (channel.*) or N people (the rest).
      const numbered = (name: string, i: number) => (i === 0 ? name : `${name} ${i + 1}`);
      payloads = Array.from({ length: batch ?? 1 }, (_, i) => {
        const type = event as ls.LiveSwitchEventType;
        if (type === 'channel.activated' || type === 'channel.deactivated') return ls.channelEvent(type, ls.liveswitchChannel(numbered(room, i)), now);
        const channel = ls.liveswitchChannel(room);
        const client = ls.liveswitchClient(channel, numbered(participant, i));
        if (type === 'client.registered' || type === 'client.unregistered') return ls.clientEvent(type, channel, client, now);
        return ls.connectionEvent(type, channel, ls.liveswitchConnection(channel, client), now);
      });
    }
    if (batch === undefined) return payloads.map((payload) => ({ body: ls.liveswitchBody(payload), events: [String(payload.type)] }));
    const posts: TriggerPost[] = [];
    for (let i = 0; i < payloads.length; i += batch) {
      const chunk = payloads.slice(i, i + batch);
      posts.push({ body: ls.liveswitchBody(chunk), events: chunk.map((payload) => String(payload.type)) });
    }
    return posts;
  },
};

const enablex: PlatformCatalogue = {
  events: [...enx.ENABLEX_EVENTS, LIFECYCLE],
  statuses: {},
  participantEvents: [],
  posts({ event, room, now }) {
    // One conference of the room per day, so that roomdrop and the files of one run match.
    const session = enx.enablexSession(room, String(pinnedSessionStart(room, now)));
    const payloads =
      event === LIFECYCLE
        ? enx.enablexLifecycle({ session, endAt: now - 4 * LIFECYCLE_STEP_MS, stepMs: LIFECYCLE_STEP_MS, seconds: 312 })
        : [
            {
              roomdrop: () => enx.roomdrop(session, now),
              recording: () => enx.recording(session, now),
              transcoded: () => enx.transcoded(session, now, enx.transcodedSize(312)),
              'file-transfer': () => enx.fileTransfer(session, now),
            }[event as enx.EnableXEventType](),
          ];
    return payloads.map((payload) => ({ body: enx.enablexBody(payload), events: [String(payload.type)] }));
  },
};

export const CATALOGUES: Record<Platform, PlatformCatalogue> = { openvidu, livekit, liveswitch, enablex };
