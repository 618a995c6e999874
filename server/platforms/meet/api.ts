// What roomwatch does through Meet's REST API (../shared/protocols/openvidu-meet.md §4): read every room
// and recording to heal missed webhooks, delete rooms and recordings (the dashboard's actions), and the
// routes of its own that the page uses (create a room, a recording's URL).
import type { RowChange } from '../../domain/rows.js';
import type { ActionOutcome, ApiDeps, PlatformAction, PlatformApi } from '../types.js';
import { PlatformApiError } from '../shared/api-errors.js';
import { ApiError } from '../../api-error.js';
import { MeetClient } from './client.js';
import type { MeetRoom } from './payloads.js';
import { reconcileMeetRecordings, reconcileMeetRooms, restRoomChange } from './reconcile.js';
import { meetRoutes } from './routes.js';
import type { MeetSettings } from './settings.js';

/** Meet ids are `[A-Za-z0-9_-]`, recording ids join three of them with `--` (§2.4, §2.6). */
export const MEET_ID = /^[A-Za-z0-9_-]{1,300}$/;
const WITH_MEETING = ['force', 'when_meeting_ends', 'fail'];
const WITH_RECORDINGS = ['force', 'close', 'fail'];

export function meetApi(settings: MeetSettings, deps: ApiDeps): PlatformApi {
  const client = new MeetClient({ serverUrl: settings.serverUrl, apiKey: settings.apiKeys[0]!, apiPath: settings.apiPath });
  const { store } = deps;

  const deleteRoom: PlatformAction = {
    target: 'room',
    label: 'Delete',
    async run(roomId, options): Promise<ActionOutcome> {
      const withMeeting = optionalChoice(options.withMeeting, 'withMeeting', WITH_MEETING);
      const withRecordings = optionalChoice(options.withRecordings, 'withRecordings', WITH_RECORDINGS);
      let answer;
      try {
        answer = await client.deleteRoom(roomId, { withMeeting, withRecordings });
      } catch (error) {
        if (error instanceof PlatformApiError && error.status === 409) {
          throw new ApiError(409, error.code, error.message, { options: deletionOptions(error.code) });
        }
        throw error;
      }
      const outcome = typeof answer.body.successCode === 'string' ? answer.body.successCode : 'room_deleted';
      const room = isRoom(answer.body.room) ? answer.body.room : undefined;
      await store.writeRows((rows): RowChange[] => {
        const current = rows.room('meet', roomId);
        if (current && /_deleted$/.test(outcome) && !/scheduled/.test(outcome)) return [{ kind: 'room', row: { ...current, updatedAt: Date.now(), removed: true } }];
        const change = room && restRoomChange(room, current, Date.now(), Date.now());
        return change ? [change] : [];
      });
      // Recordings deleted or a room closed with it: Meet sends no webhook for those (§4.4).
      deps.refreshSoon(300);
      return { status: answer.status, body: { outcome, message: answer.body.message ?? outcome } };
    },
  };

  const deleteRecording: PlatformAction = {
    target: 'recording',
    label: 'Delete',
    async run(recordingId): Promise<ActionOutcome> {
      const body = await client.deleteRecording(recordingId).catch(async (error: unknown) => {
        // Already gone from Meet: so is its row, and the 404 is still the answer.
        if (error instanceof PlatformApiError && error.status === 404) await markRecordingRemoved(recordingId);
        throw error;
      });
      await markRecordingRemoved(recordingId);
      return { status: 200, body: { message: body.message ?? 'Recording deleted' } };
    },
  };

  async function markRecordingRemoved(recordingId: string): Promise<void> {
    await store.writeRows((rows) => {
      const row = rows.recording('meet', recordingId);
      return row && !row.removed ? [{ kind: 'recording', row: { ...row, updatedAt: Date.now(), removed: true } }] : [];
    });
  }

  const actions = { deleteRoom, deleteRecording };
  return {
    get url() {
      return client.apiUrl;
    },
    async reconcile(readStartedAt) {
      const [rooms, recordings] = await Promise.all([client.listRooms(), client.listRecordings()]);
      return (current, now) => [
        ...reconcileMeetRooms(rooms, current.allRooms().filter((row) => row.source === 'meet'), readStartedAt, now),
        ...reconcileMeetRecordings(recordings, current.allRecordings().filter((row) => row.source === 'meet'), readStartedAt, now),
      ];
    },
    actions,
    idPattern: MEET_ID,
    details: () => ({ webComponentUrl: client.webComponentUrl }),
    routes: meetRoutes({ client, store, actions, idPattern: MEET_ID }),
  };
}

/** What the user can choose instead when Meet refuses a plain delete (409, §4.4). */
function deletionOptions(code: string): { withMeeting?: string; withRecordings?: string; label: string }[] {
  const meeting = [
    { withMeeting: 'when_meeting_ends', label: 'Delete it when the meeting ends' },
    { withMeeting: 'force', label: 'End the meeting and delete it now' },
  ];
  const recordings = [
    { withRecordings: 'close', label: 'Close the room and keep its recordings' },
    { withRecordings: 'force', label: 'Delete the room and its recordings' },
  ];
  if (code === 'room_has_active_meeting') return meeting;
  if (code === 'room_has_recordings') return recordings;
  return [
    { withMeeting: 'when_meeting_ends', withRecordings: 'close', label: 'Close it when the meeting ends, keep the recordings' },
    { withMeeting: 'force', withRecordings: 'close', label: 'End the meeting now, close the room, keep the recordings' },
    { withMeeting: 'force', withRecordings: 'force', label: 'End the meeting now, delete the room and its recordings' },
  ];
}

function optionalChoice(value: unknown, name: string, allowed: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new ApiError(400, 'invalid_option', `${name} must be one of ${allowed.join(', ')}`);
  }
  return value;
}

function isRoom(value: unknown): value is MeetRoom {
  return typeof value === 'object' && value !== null && typeof (value as MeetRoom).roomId === 'string';
}
