// The dashboard's rows: what the projection keeps, GET /api/* answers, /events streams as `room` and
// `recording` frames, and the browser shows. Declared once here; the browser imports these too.

import type { SourceId } from '../platforms/catalog.js';

/** Which platform a row or event comes from: one of the catalog's ids (platforms/catalog.ts). */
export type { SourceId };

/** Meet's room vocabulary, used for every platform so one set of badges serves all. */
export type RoomStatus = 'open' | 'active_meeting' | 'closed';

export type RecordingStatus =
  | 'starting'
  | 'active'
  | 'ending'
  /** Stopped; the file is being made or uploaded (OpenVidu 2 `stopped`, EnableX `transcoded` with no size yet). */
  | 'processing'
  | 'complete'
  | 'failed'
  | 'aborted'
  | 'limit_reached';

export interface RoomLinks {
  moderator?: string;
  speaker?: string;
  /** 3.8+: the room's recordings page. */
  recordings?: string;
}

export interface RoomRow {
  source: SourceId;
  roomId: string;
  roomName: string;
  status: RoomStatus;
  /** What Meet will do when the current meeting ends (`delete`/`close` after a scheduled deletion). */
  meetingEndAction?: 'none' | 'close' | 'delete';
  links: RoomLinks;
  /** When roomwatch last changed this row (ms, roomwatch's clock). */
  updatedAt: number;
  /** creationDate of the newest webhook applied (the platform's clock): older webhooks are stale. */
  eventAt: number;
  /** When that webhook was received (roomwatch's clock): a REST read started before it is older. */
  heardAt: number;
  /** Gone from the platform (deleted); kept as a tombstone so a late event cannot bring it back. */
  removed: boolean;
  /**
   * When the meeting now on began (ms): set when the room turns `active_meeting`, kept while it stays so,
   * absent otherwise. From the event that started it (the platform's clock, never later than roomwatch's),
   * or the time of the REST read that first found it active.
   */
  activeSince?: number;
  /** People in the meeting now; only on platforms that report joins and leaves (OpenVidu 2, LiveKit). */
  participants?: number;
  /**
   * Bookkeeping behind `participants`: the connection ids present now, and those that already left, so a
   * retried join counts once and a join that arrives after its own leave does not count at all.
   */
  presence?: Presence;
  /** What the room sends out that is not a recording (LiveKit: a stream or image egress), in order of first mention. */
  outputs?: RoomOutput[];
  /** Who took part in a session that is over, from the platform's call records (EnableX's CDR); webhooks never say it. */
  attendance?: Attendance;
}

/** The people of a past session, as the platform's call records list them. */
export interface Attendance {
  /** People who took part, each counted once (by the platform's user reference, else by name). */
  count: number;
  /** Their names, each once, in order of arrival; at most 50, each at most 100 characters. */
  names: string[];
}

/** A live stream or an image capture of a room: not a recording, shown on its room as what it is. */
export interface RoomOutput {
  /** The platform's id for it (LiveKit: the egress id). */
  id: string;
  kind: 'stream' | 'images';
  /** Its state in recording words: starting, active, ending, then complete, failed, aborted or limit_reached. */
  status: RecordingStatus;
}

/** Connection ids (OpenVidu `connectionId`, LiveKit participant `sid`): unique per connection, never reused. */
export interface Presence {
  present: string[];
  left: string[];
}

/** One file of a recording, as the platform announced it. */
export interface RecordingFile {
  /** Where the file is: an http(s) URL, or a storage path such as s3://… (shown as text). */
  url: string;
  /** Bytes. */
  size?: number;
  /** Seconds. */
  duration?: number;
  /** What the file is, in the platform's words: `file`, `hls`, `individual`, `transcoded`, `awss3`… */
  kind?: string;
}

export interface RecordingRow {
  source: SourceId;
  recordingId: string;
  roomId: string;
  roomName: string;
  status: RecordingStatus;
  filename?: string;
  /** ms since epoch. */
  startedAt?: number;
  endedAt?: number;
  /** Seconds. */
  duration?: number;
  /** Bytes. */
  size?: number;
  error?: string;
  /** The recording's files, when the platform's webhook names them (LiveKit, EnableX). */
  files?: RecordingFile[];
  updatedAt: number;
  eventAt: number;
  heardAt: number;
  removed: boolean;
}

/** What a projection or a reconciliation changed; each becomes one named frame on /events. */
export type RowChange = { kind: 'room'; row: RoomRow } | { kind: 'recording'; row: RecordingRow };

/** Whether the platform's REST API answers, as the dashboard shows it. */
export interface ApiStatus {
  state: 'unknown' | 'reachable' | 'unreachable';
  /** Where roomwatch looked, e.g. http://localhost:9080/meet/api/v1 */
  url: string;
  checkedAt: number | null;
  error?: string;
}

/** One platform as the dashboard sees it: whether its webhooks are enabled, and its REST API's status. */
export interface PlatformStatus {
  enabled: boolean;
  /** Null when roomwatch uses no REST API of this platform. */
  api: (ApiStatus & Record<string, unknown>) | null;
}

/** GET /api/state: everything the page needs to start, and the stream position it reflects. */
export interface DashboardSnapshot {
  seq: number;
  /** The store `seq` belongs to: the page streams with `/events?since=<seq>&epoch=<epoch>`. */
  epoch: string;
  rooms: RoomRow[];
  recordings: RecordingRow[];
  /** Meet's REST API, for the page's banner and its web component. */
  meet: ApiStatus & { webComponentUrl: string | null };
  /** Every platform of the catalog, by id. */
  platforms: Record<string, PlatformStatus>;
  auth: { required: boolean };
}

/** Order of recording statuses: a recording never moves back (§7.2 of the Meet protocol notes). */
export const RECORDING_STATUS_RANK: Record<RecordingStatus, number> = {
  starting: 0,
  active: 1,
  ending: 2,
  processing: 2,
  complete: 3,
  failed: 3,
  aborted: 3,
  limit_reached: 3,
};

export const isFinished = (status: RecordingStatus) => RECORDING_STATUS_RANK[status] === 3;
