// What `npm run trigger -- --source <platform> <event>` can send: each platform's event names, the
// `--status` values that apply, the bodies (one per POST) for a room, a participant and "now", what the
// platform sends besides its authentication, and what roomwatch answers to each wrong authentication.
// Signing is roomwatch's own (the registry's `sign`). Ids, and the session's start, come from the room
// name, so separate runs about one room name talk about the same session all day (tools/platforms/ids.ts).
import type { SourceId } from '../../server/platforms/catalog.js';
import type { PlatformSettingsById } from '../../server/platforms/index.js';
import { RejectReason } from '../../server/ingest/rejection.js';
import type { MeetVersion, RecordingStatus, RoomStatus } from '../meet-sim/model.js';
import { sampleRecording, sampleRoom } from '../meet-sim/samples.js';
import { pinnedSessionStart } from './ids.js';
import * as enx from './enablex.js';
import * as lk from './livekit.js';
import * as ls from './liveswitch.js';
import * as ov from './openvidu.js';

/** A wrong authentication, sent on purpose. */
export type Tamper = 'bad-signature' | 'missing-auth' | 'stale' | 'future';

export interface TriggerRequest {
  event: string;
  room: string;
  participant: string;
  /** A value of `statuses[event]` (the first one when not given). */
  status: string | undefined;
  now: number;
  /** LiveSwitch Batch mode: at most this many events per POST, as a JSON array. */
  batch: number | undefined;
  /** Meet: the payload shape of this version. */
  meetVersion: MeetVersion;
  /** Meet: the id of the room of that name that roomwatch already lists, so that the webhook is about it. */
  roomId?: string;
}

export interface TriggerPost {
  body: string;
  /** The event names it carries, for the printout. */
  events: string[];
}

export interface PlatformCatalogue<S> {
  events: readonly string[];
  /** Allowed `--status` values by event; the first is the default. */
  statuses: Readonly<Record<string, readonly string[]>>;
  /** Events about a person, which take `--participant`. */
  participantEvents: readonly string[];
  posts(request: TriggerRequest): TriggerPost[];
  /** What the platform sends besides its authentication and Content-Type (a User-Agent…). */
  senderHeaders: Readonly<Record<string, string>>;
  /** What roomwatch answers to each wrong authentication (server/ingest/rejection.ts); absent = does not apply. */
  refusals: Partial<Record<Tamper, RejectReason>>;
  /** The same settings with wrong secrets, to sign a delivery roomwatch must refuse. */
  wrongSettings(settings: S): S;
  /** How far from now a stale or future delivery is signed (platforms with a signed time only). */
  clockShiftMs?: { stale: number; future: number };
}

/** Another secret of the same length, so that only its value is wrong. */
const wrong = (secret: string) => secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');

const MEET_STATUSES: Record<string, readonly string[]> = {
  meetingStarted: ['active_meeting'],
  meetingEnded: ['open', 'closed', 'deleted'],
  recordingStarted: ['starting'],
  recordingUpdated: ['active', 'ending'],
  recordingEnded: ['complete', 'failed', 'aborted', 'limit_reached'],
};

type Settings<Id extends SourceId> = NonNullable<PlatformSettingsById[Id]>;

const meet: PlatformCatalogue<Settings<'meet'>> = {
  events: ['meetingStarted', 'meetingEnded', 'recordingStarted', 'recordingUpdated', 'recordingEnded', 'testEvent'],
  statuses: MEET_STATUSES,
  participantEvents: [],
  posts({ event, room, status, now, meetVersion, roomId }) {
    const sample = { version: meetVersion, baseUrl: `http://localhost:9080${meetVersion === '3.4' ? '' : '/meet'}`, now, roomId };
    const data = (): object => {
      if (event === 'testEvent') return { message: 'This is a test webhook event' };
      // A meeting that ended with the room's deletion still reports active_meeting, action "delete".
      const roomStatus = event === 'meetingEnded' && status !== 'deleted' ? (status as RoomStatus) : 'active_meeting';
      const wire = sampleRoom(room, roomStatus, status === 'deleted' ? 'delete' : 'none', sample);
      return event.startsWith('meeting') ? wire : sampleRecording(wire, status as RecordingStatus, sample);
    };
    // Meet's envelope; its creationDate becomes the signing time when it is signed.
    return [{ body: JSON.stringify({ event, creationDate: now, data: data() }), events: [event] }];
  },
  senderHeaders: {},
  refusals: {
    stale: RejectReason.StaleTimestamp,
    future: RejectReason.FutureTimestamp,
    'bad-signature': RejectReason.SignatureMismatch,
    'missing-auth': RejectReason.MissingHeader,
  },
  wrongSettings: (settings) => ({ ...settings, apiKeys: settings.apiKeys.map(wrong) }),
  clockShiftMs: { stale: -180_000, future: 180_000 },
};

/** The pseudo-event that sends a whole session of the platform, one POST per event (or per batch). */
export const LIFECYCLE = 'lifecycle';
const LIFECYCLE_START_MS = 15 * 60_000;
const LIFECYCLE_STEP_MS = 60_000;
const RECORDING_SECONDS = 62.483;

/** A second person for lifecycles, other than the one named. */
const companion = (participant: string) => (participant === 'Bob' ? 'Carol' : 'Bob');

const openvidu: PlatformCatalogue<Settings<'openvidu'>> = {
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
  senderHeaders: ov.OPENVIDU_SENDER_HEADERS,
  // A wrong value of the first configured header; no header at all.
  refusals: { 'bad-signature': RejectReason.HeaderMismatch, 'missing-auth': RejectReason.MissingHeader },
  wrongSettings: ({ headers }) => ({ headers: headers.map(([name, value], i) => [name, i === 0 ? wrong(value) : value]) }),
};

const EGRESS_STATUSES: Record<string, lk.EgressStatus> = {
  active: 'EGRESS_ACTIVE',
  ending: 'EGRESS_ENDING',
  complete: 'EGRESS_COMPLETE',
  failed: 'EGRESS_FAILED',
  aborted: 'EGRESS_ABORTED',
  limit_reached: 'EGRESS_LIMIT_REACHED',
};

const livekit: PlatformCatalogue<Settings<'livekit'>> = {
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
  senderHeaders: lk.LIVEKIT_SENDER_HEADERS,
  // A token signed with another secret; none; one that expired; one not valid yet (nbf ahead).
  refusals: {
    'bad-signature': RejectReason.InvalidToken,
    'missing-auth': RejectReason.MissingHeader,
    stale: RejectReason.ExpiredToken,
    future: RejectReason.InvalidToken,
  },
  wrongSettings: ({ keys }) => ({ keys: keys.map(({ key, secret }) => ({ key, secret: wrong(secret) })) }),
  // LiveKit's tokens live 5 minutes; roomwatch allows 10 s of clock difference.
  clockShiftMs: { stale: -600_000, future: 180_000 },
};

const liveswitch: PlatformCatalogue<Settings<'liveswitch'>> = {
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
  senderHeaders: {},
  refusals: { 'bad-signature': RejectReason.SignatureMismatch, 'missing-auth': RejectReason.MissingHeader },
  wrongSettings: ({ applications, sharedSecret }) => ({
    applications: new Map([...applications].map(([id, secrets]) => [id, secrets.map(wrong)])),
    sharedSecret: sharedSecret === undefined ? undefined : wrong(sharedSecret),
  }),
};

const enablex: PlatformCatalogue<Settings<'enablex'>> = {
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
  senderHeaders: {},
  refusals: { 'bad-signature': RejectReason.BadCredentials, 'missing-auth': RejectReason.MissingHeader },
  wrongSettings: ({ user, password }) => ({ user, password: wrong(password) }),
};

/** One entry per platform of the registry: the type fails until a new platform has one. */
export const CATALOGUES: { [Id in SourceId]: PlatformCatalogue<Settings<Id>> } = { meet, openvidu, livekit, liveswitch, enablex };

/** The catalogue of a platform id, with its settings' type forgotten (the trigger holds any platform). */
export function catalogueOf(id: SourceId): PlatformCatalogue<unknown> {
  return CATALOGUES[id] as PlatformCatalogue<unknown>;
}
