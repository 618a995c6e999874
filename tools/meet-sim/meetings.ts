// Room lifecycle (../../../shared/protocols/openvidu-meet.md §7.1): create, the meeting that the first
// participant starts and the last one (or a moderator, or a forced delete) ends, close/reopen, deletion.
import type { DeletionPolicies, DeletionPlan } from './deletion.js';
import { planRoomDeletion } from './deletion.js';
import { noActiveMeeting, roomClosed } from './errors.js';
import type { MeetSignal, Participant, ParticipantRole, RoomRecord } from './model.js';
import type { Recorder } from './recorder.js';
import type { NewRoom } from './room-options.js';
import type { MeetState } from './state.js';
import type { VersionProfile } from './versions.js';

interface MeetingsDeps {
  state: MeetState;
  recorder: Recorder;
  announce: (signal: MeetSignal) => void;
  now: () => number;
  profile: VersionProfile;
}

export interface StatusChange {
  room: RoomRecord;
  /** false when the close is only scheduled for the end of the running meeting (→ 202). */
  updated: boolean;
}

export interface DeletionOutcome {
  plan: DeletionPlan;
  /** The room as it stood when the request was answered (before a forced meeting end). */
  room?: RoomRecord;
}

export class Meetings {
  constructor(private readonly deps: MeetingsDeps) {}

  /** §7.1 "Create": `open`, `none`, no webhook. */
  createRoom(options: NewRoom): RoomRecord {
    const { state, profile } = this.deps;
    let roomId = profile.newRoomId(options.roomName);
    while (state.findRoom(roomId)) roomId = profile.newRoomId(options.roomName);
    return state.addRoom(roomId, options);
  }

  /** A participant passes the pre-join form; the first one starts the meeting (§2.2 meetingStarted). */
  join(roomId: string, name: string, role: ParticipantRole): Participant {
    const room = this.startMeeting(roomId);
    const meeting = room.meeting!;
    let identity = name;
    for (let n = 2; meeting.participants.has(identity); n++) identity = `${name}_${n}`;
    const participant: Participant = { identity, name, role, joinedAt: this.deps.now() };
    meeting.participants.set(identity, participant);
    return participant;
  }

  /**
   * A participant leaves (the most recent one when no identity is given); when the last one has gone the
   * meeting ends. Meet waits for LiveKit's departure timeout first; the simulator ends it at once.
   */
  leave(roomId: string, identity?: string): boolean {
    const meeting = this.deps.state.getRoom(roomId).meeting;
    if (!meeting) return false;
    const leaving = identity ?? [...meeting.participants.keys()].at(-1);
    if (leaving === undefined || !meeting.participants.delete(leaving)) return false;
    if (meeting.participants.size === 0) this.finishMeeting(this.deps.state.getRoom(roomId));
    return true;
  }

  /** The LiveKit room is created: `active_meeting` + meetingStarted. No-op if it already runs. */
  startMeeting(roomId: string): RoomRecord {
    const room = this.deps.state.getRoom(roomId);
    if (room.status === 'closed') throw roomClosed(roomId);
    if (!room.meeting) {
      room.meeting = { startedAt: this.deps.now(), participants: new Map() };
      room.status = 'active_meeting';
      this.deps.announce({ event: 'meetingStarted', room });
    }
    return room;
  }

  /** A moderator's "End meeting": the LiveKit room is deleted → meetingEnded. */
  endMeeting(roomId: string): void {
    const room = this.deps.state.getRoom(roomId);
    if (!room.meeting) throw noActiveMeeting(roomId);
    this.finishMeeting(room);
  }

  /** PUT /rooms/{roomId}/status (§4.5). Never sends a webhook itself. */
  setStatus(roomId: string, status: 'open' | 'closed'): StatusChange {
    const room = this.deps.state.getRoom(roomId);
    if (room.meeting) {
      // Closing during a meeting is deferred to its end; reopening only cancels that.
      room.meetingEndAction = status === 'closed' ? 'close' : 'none';
      return { room, updated: status === 'open' };
    }
    room.status = status;
    room.meetingEndAction = 'none';
    return { room, updated: true };
  }

  /** DELETE /rooms/{roomId} (§4.4). */
  deleteRoom(roomId: string, policies: DeletionPolicies): DeletionOutcome {
    const { state } = this.deps;
    const room = state.getRoom(roomId);
    const plan = planRoomDeletion(
      { roomId, hasActiveMeeting: room.status === 'active_meeting', hasRecordings: state.recordingsOf(roomId).length > 0 },
      policies,
    );
    const step = plan.step;
    switch (step.kind) {
      case 'delete':
        state.removeRoom(roomId);
        return { plan };
      case 'close':
        room.status = 'closed';
        return { plan, room: { ...room } };
      case 'schedule': {
        room.meetingEndAction = step.meetingEndAction;
        const answered = { ...room };
        if (step.endMeetingNow) this.finishMeeting(room);
        return { plan, room: answered };
      }
    }
  }

  /** LiveKit `room_finished` → `handleRoomFinished`: the three meetingEnded variants (§2.3.2, §7.1). */
  private finishMeeting(room: RoomRecord): void {
    const { state, announce, recorder } = this.deps;
    room.meeting = undefined;
    if (room.meetingEndAction === 'delete') {
      // The payload is the room as loaded before deletion: still `active_meeting`, action `delete`.
      const asLoaded = { ...room };
      state.removeRoom(room.roomId);
      announce({ event: 'meetingEnded', room: asLoaded });
      return;
    }
    room.status = room.meetingEndAction === 'close' ? 'closed' : 'open';
    room.meetingEndAction = 'none';
    announce({ event: 'meetingEnded', room });
    recorder.stopAllInRoom(room.roomId);
  }
}
