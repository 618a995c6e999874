// DELETE /rooms/{roomId}: which policy combination does what, with Meet's success and error codes
// (../../../shared/protocols/openvidu-meet.md §4.4; messages as in Meet's room.service).
// Pure: the room's situation and the policies in, a plan (or a 409 MeetError) out.
import { roomDeletionConflict } from './errors.js';
import type { DeletionPolicyWithMeeting, DeletionPolicyWithRecordings, MeetingEndAction } from './model.js';

export interface RoomSituation {
  roomId: string;
  hasActiveMeeting: boolean;
  hasRecordings: boolean;
}

export interface DeletionPolicies {
  withMeeting: DeletionPolicyWithMeeting;
  withRecordings: DeletionPolicyWithRecordings;
}

export type DeletionStep =
  /** Remove the room (and its recordings) now. */
  | { kind: 'delete' }
  /** Keep the room for its recordings: status `closed`, no webhook. */
  | { kind: 'close' }
  /** Set `meetingEndAction`; with `endMeetingNow` the meeting is ended (→ meetingEnded). */
  | { kind: 'schedule'; meetingEndAction: Exclude<MeetingEndAction, 'none'>; endMeetingNow: boolean };

export interface DeletionPlan {
  step: DeletionStep;
  httpStatus: 200 | 202;
  successCode: string;
  message: string;
  /** Whether the response carries the (updated, not deleted) room. */
  includesRoom: boolean;
}

export function planRoomDeletion(situation: RoomSituation, policies: DeletionPolicies): DeletionPlan {
  refuseConflicts(situation, policies);
  const { roomId, hasActiveMeeting, hasRecordings } = situation;
  const { withMeeting, withRecordings } = policies;
  const room = `Room '${roomId}'`;

  if (!hasActiveMeeting && !hasRecordings) {
    return plan({ kind: 'delete' }, 'room_deleted', `${room} deleted successfully`, false);
  }

  if (!hasActiveMeeting) {
    return withRecordings === 'force'
      ? plan({ kind: 'delete' }, 'room_and_recordings_deleted', `${room} and its recordings deleted successfully`, false)
      : plan(
          { kind: 'close' },
          'room_closed',
          `${room} has been closed instead of deleted because it has recordings`,
          true,
        );
  }

  const closeInstead = hasRecordings && withRecordings === 'close';
  const endMeetingNow = withMeeting === 'force';
  const step: DeletionStep = { kind: 'schedule', meetingEndAction: closeInstead ? 'close' : 'delete', endMeetingNow };

  if (!hasRecordings) {
    return endMeetingNow
      ? plan(step, 'room_with_active_meeting_deleted', `${room} with active meeting deleted successfully`, false)
      : plan(
          step,
          'room_with_active_meeting_scheduled_to_be_deleted',
          `${room} with active meeting scheduled to be deleted when the meeting ends`,
          true,
        );
  }

  if (endMeetingNow) {
    return closeInstead
      ? plan(
          step,
          'room_with_active_meeting_closed',
          `${room} with active meeting has been closed instead of deleted because it has recordings`,
          true,
        )
      : plan(
          step,
          'room_with_active_meeting_and_recordings_deleted',
          `${room} with active meeting and its recordings deleted successfully`,
          false,
        );
  }
  return closeInstead
    ? plan(
        step,
        'room_with_active_meeting_scheduled_to_be_closed',
        `${room} with active meeting scheduled to be closed when the meeting ends because it has recordings`,
        true,
      )
    : plan(
        step,
        'room_with_active_meeting_and_recordings_scheduled_to_be_deleted',
        `${room} with active meeting and its recordings scheduled to be deleted when the meeting ends`,
        true,
      );
}

const SCHEDULED_CODES = new Set([
  'room_with_active_meeting_scheduled_to_be_deleted',
  'room_with_active_meeting_scheduled_to_be_closed',
  'room_with_active_meeting_and_recordings_scheduled_to_be_deleted',
]);

function plan(step: DeletionStep, successCode: string, message: string, includesRoom: boolean): DeletionPlan {
  // §4.4: the scheduled outcomes answer 202, everything else 200.
  return { step, httpStatus: SCHEDULED_CODES.has(successCode) ? 202 : 200, successCode, message, includesRoom };
}

function refuseConflicts({ roomId, hasActiveMeeting, hasRecordings }: RoomSituation, policies: DeletionPolicies): void {
  const room = `Room '${roomId}'`;
  if (hasActiveMeeting && policies.withMeeting === 'fail') {
    throw hasRecordings
      ? roomDeletionConflict(
          'room_with_recordings_has_active_meeting',
          `${room} with recordings cannot be deleted because it has an active meeting.`,
        )
      : roomDeletionConflict('room_has_active_meeting', `${room} cannot be deleted because it has an active meeting.`);
  }
  if (hasRecordings && policies.withRecordings === 'fail') {
    if (!hasActiveMeeting) {
      throw roomDeletionConflict('room_has_recordings', `${room} cannot be deleted because it has recordings.`);
    }
    throw policies.withMeeting === 'when_meeting_ends'
      ? roomDeletionConflict(
          'room_with_active_meeting_has_recordings_cannot_schedule_deletion',
          `${room} with active meeting cannot be scheduled to be deleted because it has recordings.`,
        )
      : roomDeletionConflict(
          'room_with_active_meeting_has_recordings',
          `${room} with active meeting cannot be deleted because it has recordings.`,
        );
  }
}
