// What every part of roomwatch, the browser included, may know about a platform without loading its
// code: its id, its names, its webhook paths and the dashboard actions its REST API offers. Pure data,
// no imports: the browser bundles this file. A platform's code lives in its folder next to this one
// (./meet, ./openvidu, …) and the registry (./index.ts) puts the two together.

/** An action the dashboard can ask a platform's REST API for, on one room or one recording. */
export interface CatalogAction {
  /** Its name in the API route (`POST /api/platforms/<id>/actions/<name>`). */
  readonly name: string;
  readonly target: 'room' | 'recording';
  /** What the button says. */
  readonly label: string;
  /**
   * Only while the room is not closed / the recording is not finished (ending a room, stopping a
   * recording); absent: whatever its state.
   */
  readonly whileLive?: boolean;
  /** The question the dashboard asks before it runs the action, e.g. "End this room for everyone in it?". */
  readonly confirm?: string;
}

/**
 * The webhook types that mark a meeting's life on a platform, for a room's timeline in the page: what
 * starts and ends one, and (where it reports people) what says someone joined or left.
 */
export interface MeetingEvents {
  readonly started: readonly string[];
  readonly ended: readonly string[];
  readonly joined: readonly string[];
  readonly left: readonly string[];
}

export interface CatalogEntry {
  readonly id: string;
  /** The full name, for sentences, tooltips and filters. */
  readonly label: string;
  /** The small tag on each row (styled in capitals): short, and distinct from the others. */
  readonly tag: string;
  /** Where its webhooks are posted; the first is the one roomwatch tells people to use. */
  readonly webhookPaths: readonly string[];
  readonly actions: readonly CatalogAction[];
  /**
   * How the page plays a finished recording: `component`, Meet's web component on the URL of
   * /api/recordings/:id/url; `media`, a <video> on /api/platforms/<id>/recordings/<recordingId>/media,
   * which roomwatch relays from the platform. Absent: not played in the page (its files are linked).
   */
  readonly playback?: 'component' | 'media';
  readonly meetingEvents: MeetingEvents;
}

export const PLATFORM_CATALOG = [
  {
    id: 'meet',
    label: 'OpenVidu Meet',
    tag: 'meet',
    webhookPaths: ['/webhook', '/webhook/meet'],
    actions: [
      { name: 'deleteRoom', target: 'room', label: 'Delete' },
      { name: 'deleteRecording', target: 'recording', label: 'Delete' },
    ],
    playback: 'component',
    // Meet reports no joins or leaves (../shared/protocols/openvidu-meet.md §1).
    meetingEvents: { started: ['meetingStarted'], ended: ['meetingEnded'], joined: [], left: [] },
  },
  {
    id: 'openvidu',
    label: 'OpenVidu 2',
    tag: 'openvidu 2',
    webhookPaths: ['/webhook/openvidu'],
    actions: [
      { name: 'closeSession', target: 'room', label: 'Close session', whileLive: true, confirm: 'Everyone in it is disconnected and its recording stops.' },
      { name: 'stopRecording', target: 'recording', label: 'Stop recording', whileLive: true },
    ],
    playback: 'media',
    meetingEvents: { started: ['sessionCreated'], ended: ['sessionDestroyed'], joined: ['participantJoined'], left: ['participantLeft'] },
  },
  // OpenVidu 3's local deployment posts LiveKit's own webhooks to /livekit/webhook (openvidu-meet.md §1.7).
  {
    id: 'livekit',
    label: 'LiveKit / OpenVidu 3',
    tag: 'livekit',
    webhookPaths: ['/webhook/livekit', '/livekit/webhook'],
    actions: [
      { name: 'endRoom', target: 'room', label: 'End', whileLive: true, confirm: 'End this room for everyone in it? LiveKit disconnects every participant and stops its egresses.' },
      { name: 'stopEgress', target: 'recording', label: 'Stop', whileLive: true, confirm: 'Stop this recording? LiveKit finishes the file with what it has recorded so far.' },
    ],
    meetingEvents: {
      started: ['room_started'],
      ended: ['room_finished'],
      joined: ['participant_joined'],
      left: ['participant_left', 'participant_connection_aborted'],
    },
  },
  {
    id: 'liveswitch',
    label: 'LiveSwitch',
    tag: 'liveswitch',
    webhookPaths: ['/webhook/liveswitch'],
    actions: [],
    // Only the channel events are assumed (./liveswitch/project.ts); client events are not mapped.
    meetingEvents: { started: ['channel.activated'], ended: ['channel.deactivated'], joined: [], left: [] },
  },
  // EnableX says a session ended (roomdrop), after the fact: its start and people come from its call records.
  { id: 'enablex', label: 'EnableX', tag: 'enablex', webhookPaths: ['/webhook/enablex'], actions: [], meetingEvents: { started: [], ended: ['roomdrop'], joined: [], left: [] } },
] as const satisfies readonly CatalogEntry[];

/** Which platform a row or an event comes from. */
export type SourceId = (typeof PLATFORM_CATALOG)[number]['id'];

/** Every platform id, in the catalog's order. */
export const SOURCE_IDS: readonly SourceId[] = PLATFORM_CATALOG.map((entry) => entry.id);

/** A platform's own entry, typed with its literal id (for its descriptor). */
export function catalogOf<Id extends SourceId>(id: Id): Extract<(typeof PLATFORM_CATALOG)[number], { id: Id }> {
  return PLATFORM_CATALOG.find((entry) => entry.id === id) as Extract<(typeof PLATFORM_CATALOG)[number], { id: Id }>;
}

/** The catalog entry of a platform; a source this code does not know still gets a readable one. */
export function catalogEntry(source: string): CatalogEntry {
  return (
    PLATFORM_CATALOG.find((entry) => entry.id === source) ?? {
      id: source,
      label: source,
      tag: source,
      webhookPaths: [],
      actions: [],
      meetingEvents: { started: [], ended: [], joined: [], left: [] },
    }
  );
}

export function isSourceId(value: unknown): value is SourceId {
  return typeof value === 'string' && (SOURCE_IDS as readonly string[]).includes(value);
}

/** Whether the platform's REST API offers this action (its row gets the button). */
export function hasAction(source: string, name: string): boolean {
  return catalogEntry(source).actions.some((action) => action.name === name);
}
