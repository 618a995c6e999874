// The simulator's own records of rooms, meetings and recordings. What goes on the wire is rendered from
// these by shapes.ts, per Meet version (../../../shared/protocols/openvidu-meet.md §2.4–§2.8).

export type MeetVersion = '3.4' | '3.8';

export type RoomStatus = 'open' | 'active_meeting' | 'closed';
export type MeetingEndAction = 'none' | 'close' | 'delete';
export type ParticipantRole = 'moderator' | 'speaker';

export type RecordingStatus = 'starting' | 'active' | 'ending' | 'complete' | 'failed' | 'aborted' | 'limit_reached';
export type RecordingOutcome = 'complete' | 'failed' | 'aborted' | 'limit_reached';
export const RECORDING_OUTCOMES: readonly RecordingOutcome[] = ['complete', 'failed', 'aborted', 'limit_reached'];

export type DeletionPolicyWithMeeting = 'force' | 'when_meeting_ends' | 'fail';
export type DeletionPolicyWithRecordings = 'force' | 'close' | 'fail';

export interface AutoDeletionPolicy {
  withMeeting: DeletionPolicyWithMeeting;
  withRecordings: DeletionPolicyWithRecordings;
}

/** JSON values kept verbatim in wire order (room config, roles). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Participant {
  identity: string;
  name: string;
  role: ParticipantRole;
  joinedAt: number;
}

/** The LiveKit room behind a meeting: it exists from the first join until `room_finished`. */
export interface Meeting {
  startedAt: number;
  participants: Map<string, Participant>;
}

export interface AccessSwitches {
  moderator: boolean;
  speaker: boolean;
  recording: boolean;
  user: boolean;
}

export interface RoomRecord {
  roomId: string;
  roomName: string;
  /** 3.8+: userId of the creator; `admin` for API-key creations. */
  owner: string;
  creationDate: number;
  autoDeletionDate?: number;
  autoDeletionPolicy?: AutoDeletionPolicy;
  /** Already in the version's wire shape and key order. */
  config: JsonObject;
  /** 3.8+ only. */
  roles?: JsonObject;
  access: AccessSwitches;
  secrets: { moderator: string; speaker: string; recording: string };
  status: RoomStatus;
  meetingEndAction: MeetingEndAction;
  rolesUpdatedAt: number;
  meeting?: Meeting;
}

export interface RecordingRecord {
  recordingId: string;
  roomId: string;
  egressId: string;
  uid: string;
  status: RecordingStatus;
  /** 3.6+ only. */
  layout?: string;
  encoding?: Json;
  startDate?: number;
  endDate?: number;
  /** Seconds. */
  duration?: number;
  /** Bytes. */
  size?: number;
  errorCode?: number;
  error?: string;
  details?: string;
  secrets: { public: string; private: string };
}

export function isTerminal(status: RecordingStatus): boolean {
  return (RECORDING_OUTCOMES as readonly string[]).includes(status);
}

/** What the simulated Meet announces; turned into webhooks by the caller (§2.2). */
export type MeetSignal =
  | { event: 'meetingStarted' | 'meetingEnded'; room: RoomRecord }
  | { event: 'recordingStarted' | 'recordingUpdated' | 'recordingEnded'; recording: RecordingRecord; room: RoomRecord };
