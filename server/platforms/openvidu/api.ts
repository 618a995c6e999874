// What roomwatch does through OpenVidu 2's REST API (../shared/protocols/providers.md §1): read every
// session and recording to heal lost webhooks (OpenVidu 2 never re-sends one), close a session, stop a
// recording, and fetch a recording's file for the page's player (behind OpenVidu's Basic auth).
import type { RowChange } from '../../domain/rows.js';
import { RECORDING_STATUS_RANK } from '../../domain/rows.js';
import { ApiError } from '../../api-error.js';
import { PlatformApiError } from '../shared/api-errors.js';
import type { ActionOutcome, ApiDeps, PlatformAction, PlatformApi } from '../types.js';
import { OpenViduClient, RECORDINGS_PATH } from './client.js';
import { closedRoom, reconcileOpenViduRecordings, reconcileOpenViduSessions, uniqueSessionId } from './reconcile.js';
import type { OpenViduApiSettings } from './settings.js';

/**
 * Session ids are `[a-zA-Z0-9_-]` (customSessionId) or `ses_…`; rooms add `_<createdAt>`, recordings
 * `~<n>` (RecordingManagerUtils.getNextAvailableRecordingId).
 */
export const OPENVIDU_ID = /^[A-Za-z0-9_~-]{1,200}$/;

export function openviduApi(settings: OpenViduApiSettings, deps: ApiDeps): PlatformApi {
  const client = new OpenViduClient(settings);
  const { store } = deps;
  const { rows } = store;

  /** The room's row, now closed, unless it already is. */
  const markClosed = (roomId: string) =>
    store.writeRows((current, at) => {
      const row = current.room('openvidu', roomId);
      return row && !row.removed && row.status !== 'closed' ? [closedRoom(row, at)] : [];
    });

  const closeSession: PlatformAction = {
    target: 'room',
    label: 'Close session',
    async run(roomId): Promise<ActionOutcome> {
      const row = rows.room('openvidu', roomId);
      if (!row || row.removed) throw new ApiError(404, 'unknown_room', `roomwatch knows no OpenVidu 2 session ${roomId}`);
      const sessionId = row.roomName;
      // Custom session ids come back for new sessions: close this instance only, never a newer one.
      const live = await client.getSession(sessionId);
      if (!live || (roomId !== sessionId && uniqueSessionId(live) !== roomId)) {
        await markClosed(roomId);
        const newer = live ? `; a newer session with the same id, started ${new Date(live.createdAt).toISOString()}, is left alone` : '';
        throw new ApiError(404, 'session_ended', `OpenVidu 2 session ${sessionId} has already ended${newer}`);
      }
      try {
        await client.closeSession(sessionId);
      } catch (error) {
        if (error instanceof PlatformApiError && error.status === 404) await markClosed(roomId);
        throw error;
      }
      // OpenVidu announces it (sessionDestroyed, sessionClosedByServer); the row does not wait for that.
      await markClosed(roomId);
      return { status: 200, body: { message: `Session ${sessionId} closed: everyone in it was disconnected` } };
    },
  };

  const stopRecording: PlatformAction = {
    target: 'recording',
    label: 'Stop recording',
    async run(recordingId): Promise<ActionOutcome> {
      const row = rows.recording('openvidu', recordingId);
      if (!row || row.removed) throw new ApiError(404, 'unknown_recording', `roomwatch knows no OpenVidu 2 recording ${recordingId}`);
      const stopped = await client.stopRecording(recordingId).catch((error: unknown) => {
        // Already stopped (its webhooks lost?): the next read says how it ended.
        if (error instanceof PlatformApiError && error.status === 404) deps.refreshSoon(0);
        throw error;
      });
      await store.writeRows((rowsNow, at): RowChange[] => {
        const current = rowsNow.recording('openvidu', recordingId);
        if (!current || current.removed || RECORDING_STATUS_RANK[current.status] >= RECORDING_STATUS_RANK.processing) return [];
        return [{ kind: 'recording', row: { ...current, status: 'processing', endedAt: current.endedAt ?? at, updatedAt: at } }];
      });
      return { status: 200, body: { message: `Recording ${stopped.id} stopped; OpenVidu is finishing its file` } };
    },
  };

  return {
    get url() {
      return client.apiUrl;
    },
    async reconcile(readStartedAt) {
      const [sessions, { recordings, recordingEnabled }] = await Promise.all([client.listSessions(), client.listRecordings()]);
      return (current, at) => {
        const rooms = current.allRooms().filter((row) => row.source === 'openvidu');
        return [
          ...reconcileOpenViduSessions(sessions, rooms, readStartedAt, at),
          ...reconcileOpenViduRecordings(
            recordings,
            current.allRecordings().filter((row) => row.source === 'openvidu'),
            { sessions, rooms, recordingEnabled },
            readStartedAt,
            at,
          ),
        ];
      };
    },
    actions: { closeSession, stopRecording },
    idPattern: OPENVIDU_ID,
    async recordingMedia(recordingId, range, signal) {
      const row = rows.recording('openvidu', recordingId);
      if (!row || row.removed) throw new ApiError(404, 'unknown_recording', `roomwatch knows no OpenVidu 2 recording ${recordingId}`);
      // The URL a read brought, else OpenVidu's answer now (a `ready` webhook carries none, §1.4).
      let url = row.files?.find((file) => isOpenViduFile(file.url))?.url;
      if (url === undefined) {
        const recording = await client.getRecording(recordingId);
        if (recording.status !== 'ready' || typeof recording.url !== 'string') {
          throw new ApiError(409, 'not_ready', `OpenVidu 2 recording ${recordingId} is ${recording.status}: it can be played once it is ready`);
        }
        url = recording.url;
      }
      if (!isOpenViduFile(url)) {
        throw new ApiError(409, 'stored_elsewhere', `recording ${recordingId} is stored at ${url}; roomwatch plays the files OpenVidu serves itself`);
      }
      // The public URL may name a host roomwatch does not reach it by: the file is asked of OPENVIDU_URL.
      const { pathname, search } = new URL(url);
      return client.recordingFile(`${pathname}${search}`, range, signal);
    },
  };
}

function isOpenViduFile(url: string): boolean {
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol) && new URL(url).pathname.startsWith(RECORDINGS_PATH);
}
