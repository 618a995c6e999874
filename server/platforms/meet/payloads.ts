// OpenVidu Meet webhook payloads, typed leniently: 3.4 through 3.9 add and remove fields
// (../shared/protocols/openvidu-meet.md §2.8), so everything past the envelope is optional.

export const MEET_EVENT_TYPES = [
  'meetingStarted',
  'meetingEnded',
  'recordingStarted',
  'recordingUpdated',
  'recordingEnded',
  'testEvent',
] as const;

export type MeetEventType = (typeof MEET_EVENT_TYPES)[number];

export type MeetRoomStatus = 'open' | 'active_meeting' | 'closed';
export type MeetingEndAction = 'none' | 'close' | 'delete';
export type MeetRecordingStatus =
  | 'starting'
  | 'active'
  | 'ending'
  | 'complete'
  | 'failed'
  | 'aborted'
  | 'limit_reached';

export interface MeetAccessLink {
  enabled?: boolean;
  url?: string;
}

export interface MeetRoom {
  roomId: string;
  roomName?: string;
  creationDate?: number;
  status?: MeetRoomStatus;
  meetingEndAction?: MeetingEndAction;
  /** Up to 3.7. */
  moderatorUrl?: string;
  speakerUrl?: string;
  /** From 3.8. */
  access?: {
    anonymous?: { moderator?: MeetAccessLink; speaker?: MeetAccessLink; recording?: MeetAccessLink };
    user?: MeetAccessLink;
  };
  [extra: string]: unknown;
}

export interface MeetRecording {
  recordingId: string;
  roomId: string;
  roomName?: string;
  status?: MeetRecordingStatus;
  filename?: string;
  startDate?: number;
  endDate?: number;
  /** Seconds. */
  duration?: number;
  /** Bytes. */
  size?: number;
  error?: string;
  errorCode?: number;
  details?: string;
  [extra: string]: unknown;
}

export interface MeetWebhook {
  event: MeetEventType | (string & {});
  creationDate: number;
  data: MeetRoom | MeetRecording | { message?: string } | Record<string, unknown>;
}
