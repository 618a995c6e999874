// EnableX "instant notification" webhook bodies (../shared/protocols/providers.md §4): `type`,
// `trans_date`, `app_id`, `room_id`, `conf_num`, then what the type adds. EnableX's sample JSON could
// not be read, so these follow the documented field list: `trans_date` in unix seconds (the doc's
// example value is seconds), `conf_num` a string of digits, `recording` an array of URLs for individual
// streams and one URL for the transcoded file, `stage` and `file_size` at the top level. The `stage`
// value is a guess (its values are not documented). Files sit under `<room_id>/<conf_num>/` as
// EnableX's Recording Delivery lays them out.
import { DIGITS, HEX, derived } from './ids.js';

export type EnableXPayload = Record<string, unknown>;
export type EnableXEventType = 'roomdrop' | 'recording' | 'transcoded' | 'file-transfer';
export const ENABLEX_EVENTS: readonly EnableXEventType[] = ['roomdrop', 'recording', 'transcoded', 'file-transfer'];

/** One session (conference) of an EnableX room. */
export interface EnableXSession {
  appId: string;
  /** EnableX room ids are 24 hex digits (MongoDB ObjectIds). */
  roomId: string;
  /** Which session of the room: files are delivered under `<room_id>/<conf_num>/`. */
  confNum: string;
}

/** Where the demo project "delivers" its recordings (an S3 bucket, as EnableX's Recording Delivery allows). */
const BUCKET = 'roomwatch-demo';
const BUCKET_URL = `https://${BUCKET}.s3.amazonaws.com`;

export function enablexAppId(seed = 'roomwatch-demo'): string {
  return derived(`app:${seed}`, HEX, 24);
}

/** The room of that name in the project; `instance` tells its sessions apart (conf_num). */
export function enablexSession(roomName: string, instance = '', appId = enablexAppId()): EnableXSession {
  const confNum = String(100_000 + (Number.parseInt(derived(`conf:${roomName}:${instance}`, DIGITS, 6), 10) % 900_000));
  return { appId, roomId: derived(`room:${appId}:${roomName}`, HEX, 24), confNum };
}

function common(type: EnableXEventType, session: EnableXSession, atMs: number): EnableXPayload {
  return { type, trans_date: Math.floor(atMs / 1000), app_id: session.appId, room_id: session.roomId, conf_num: session.confNum };
}

const folder = (session: EnableXSession) => `${session.roomId}/${session.confNum}`;

/** The session ended. */
export function roomdrop(session: EnableXSession, atMs: number): EnableXPayload {
  return common('roomdrop', session, atMs);
}

/** The individual recordings, one file per participant stream. */
export function recording(session: EnableXSession, atMs: number, streams = 2): EnableXPayload {
  const files = Array.from({ length: streams }, (_, i) => `${BUCKET_URL}/${folder(session)}/individual_recording_${i + 1}.mkv`);
  return { ...common('recording', session, atMs), recording: files };
}

/** The single merged, playable file. */
export function transcoded(session: EnableXSession, atMs: number, fileSize: number): EnableXPayload {
  return { ...common('transcoded', session, atMs), recording: `${BUCKET_URL}/${folder(session)}/transcoded.mp4`, stage: 'completed', file_size: fileSize };
}

/** The files were copied to the project's storage. */
export function fileTransfer(session: EnableXSession, atMs: number): EnableXPayload {
  return {
    ...common('file-transfer', session, atMs),
    destination: { name: 'awss3', host: BUCKET, account: 'recordings' },
    files: [{ url: `s3://${BUCKET}/${folder(session)}/transcoded.mp4` }],
  };
}

/** What a transcoded recording of `seconds` weighs, roughly. */
export function transcodedSize(seconds: number): number {
  return Math.round(seconds * 198_000 + 24_576);
}

export interface EnableXLifecycleOptions {
  session: EnableXSession;
  /** ms of the session's end (roomdrop); the rest follow `stepMs` apart. */
  endAt: number;
  stepMs: number;
  /** Length of the session, for the transcoded file's size. */
  seconds?: number;
}

/** What EnableX pushes about a recorded session: nothing while it runs, then roomdrop, the files, their delivery. */
export function enablexLifecycle({ session, endAt, stepMs, seconds = 300 }: EnableXLifecycleOptions): EnableXPayload[] {
  return [
    roomdrop(session, endAt),
    recording(session, endAt + stepMs),
    transcoded(session, endAt + 2 * stepMs, transcodedSize(seconds)),
    fileTransfer(session, endAt + 3 * stepMs),
  ];
}

export function enablexBody(payload: EnableXPayload): string {
  return JSON.stringify(payload);
}

// ── The Server API's answers (EnableX's Server API docs: "Get Room Information", "Requesting CDR for a
// Specific Period"). The docs give one sample of each, with placeholder values; these fill them in. ──

/** A room as `GET /video/v2/rooms/{room_id}` answers it (inside `{"result": 0, "room": …}`). */
export function roomInfo(session: Pick<EnableXSession, 'roomId'>, name: string, createdAtMs: number): Record<string, unknown> {
  return {
    name,
    owner_ref: 'roomwatch-demo',
    settings: {
      description: name,
      mode: 'group',
      scheduled: false,
      adhoc: false,
      duration: 60,
      moderators: '1',
      participants: '10',
      billing_code: '',
      auto_recording: false,
      quality: 'HD',
      canvas: false,
      screen_share: true,
      max_active_talkers: 6,
    },
    sip: { enabled: false },
    data: {},
    created: new Date(createdAtMs).toISOString(),
    room_id: session.roomId,
  };
}

/** One participant's call in a session. */
export interface EnableXCall {
  /** Which call of the session: 1, 2… */
  callNum: number;
  name: string;
  role: 'moderator' | 'participant';
  /** The application's user reference (the token's `user_ref`). */
  ref: string;
  connectedAt: number;
  disconnectedAt: number;
}

/** One call detail record, as the CDR routes list them (inside `{"result": "0", "cdr": […]}`). */
export function cdrRecord(session: EnableXSession, call: EnableXCall): Record<string, unknown> {
  const seconds = Math.round((call.disconnectedAt - call.connectedAt) / 10) / 100;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    trans_date: iso(call.disconnectedAt),
    conf_num: session.confNum,
    call_num: String(call.callNum),
    call_log_id: derived(`call:${session.roomId}:${session.confNum}:${call.callNum}`, HEX, 24),
    room: { room_id: session.roomId, connect_dt: iso(call.connectedAt), disconnect_dt: iso(call.disconnectedAt), duration: seconds },
    user: { ip: '203.0.113.10', name: call.name, role: call.role, ref: call.ref, agent: 'Mozilla/5.0', token: '', confName: '' },
    sigserver: { connect_dt: iso(call.connectedAt), ip: '198.51.100.20', disconnect_dt: iso(call.disconnectedAt), duration: seconds, hold_duration: 0 },
    published_track: { audio: 'true', data: 'true', video: 'true', screen: 'false', url: 'false' },
    usage: { subscribed_minutes: Math.round(seconds / 0.6) / 100, published_minutes: Math.round(seconds / 0.6) / 100 },
    app_id: session.appId,
    cdr_id: derived(`cdr:${session.roomId}:${session.confNum}:${call.callNum}`, HEX, 24),
  };
}

/** A user reference as an application would give its users. */
export function userRef(name: string): string {
  return `user-${derived(`user:${name}`, HEX, 8)}`;
}
