// OpenVidu 2.x REST answers as OpenVidu 2.32 writes them (openvidu-server SessionRestController,
// Session.toJson, Participant.toJson, Recording.toJson(false)); only the fields roomwatch reads are typed,
// and every one is checked before use, since an answer is outside input.

/** `GET /openvidu/api/sessions`: every session, no paging. */
export interface OpenViduSessionList {
  numberOfElements: number;
  content: OpenViduRestSession[];
}

export interface OpenViduRestSession {
  /** = sessionId (the `customSessionId` when one was given). */
  id: string;
  /** Deprecated twin of `id`. */
  sessionId?: string;
  /** ms: the session's start; the webhooks' `uniqueSessionId` is `sessionId + "_" + createdAt`. */
  createdAt: number;
  /** Whether a recording of it is in progress. */
  recording?: boolean;
  connections?: { numberOfElements: number; content: OpenViduRestConnection[] };
}

export interface OpenViduRestConnection {
  /** `con_…`; `connectionId` is its deprecated twin. */
  id: string;
  connectionId?: string;
  /** `active` once someone uses it; `pending` (only with ?pendingConnections=true) before. */
  status: 'active' | 'pending';
}

/** `GET /openvidu/api/recordings`: every recording OpenVidu keeps, no paging; 501 when recording is off. */
export interface OpenViduRecordingList {
  count: number;
  items: OpenViduRestRecording[];
}

export type OpenViduRestRecordingStatus = 'starting' | 'started' | 'stopped' | 'ready' | 'failed';

export interface OpenViduRestRecording {
  /** `sessionId`, then `sessionId~1`, `sessionId~2`… (free again once deleted). */
  id: string;
  name: string;
  outputMode: string;
  /** The plain sessionId: REST recordings carry no uniqueSessionId. */
  sessionId: string;
  /** ms. */
  createdAt: number;
  /** Bytes; 0 until ready. */
  size: number;
  /** Seconds (a double); 0 until ready. */
  duration: number;
  /**
   * Set once `ready` (or `failed`): `<public URL>/openvidu/recordings/<id>/<name>.<mp4|webm|zip>`, behind
   * Basic auth unless OPENVIDU_RECORDING_PUBLIC_ACCESS; with Pro's S3 upload, the object's URL.
   */
  url: string | null;
  hasAudio: boolean;
  hasVideo: boolean;
  status: OpenViduRestRecordingStatus;
}
