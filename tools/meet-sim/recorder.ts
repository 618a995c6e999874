// The egress side of Meet: a recording goes starting → active → ending → one of four outcomes, one webhook
// per step (../../../shared/protocols/openvidu-meet.md §2.2, §2.3.3–§2.3.5, §7.2).
import {
  recordingAlreadyStopped,
  recordingDisabled,
  recordingStillStarting,
  roomAlreadyRecording,
  roomHasNoParticipants,
} from './errors.js';
import { egressId, formatRecordingId, uid } from './ids.js';
import type { MeetSignal, RecordingOutcome, RecordingRecord, RoomRecord } from './model.js';
import { isTerminal } from './model.js';
import type { MeetState } from './state.js';
import type { TimerSet } from '../delivery/timers.js';
import type { VersionProfile } from './versions.js';

export interface RecorderTiming {
  /** starting → active (Meet's start call returns once the egress is active). */
  startMs: number;
  /** ending → outcome (LiveKit finalising and uploading the file). */
  stopMs: number;
}

interface RecorderDeps {
  state: MeetState;
  announce: (signal: MeetSignal) => void;
  timers: TimerSet;
  now: () => number;
  profile: VersionProfile;
  timing: RecorderTiming;
}

/** Rough bytes per second of a 720p recording, for a plausible `size`. */
const BYTES_PER_SECOND = 136_000;
const SOURCE_CLOSED = 'End reason: Source closed';

export class Recorder {
  constructor(private readonly deps: RecorderDeps) {}

  /** Starts recording a room with a meeting; resolves once the recording is `active`. */
  async start(roomId: string): Promise<RecordingRecord> {
    const { state, timers, timing } = this.deps;
    const room = state.getRoom(roomId);
    if (!room.meeting) throw roomHasNoParticipants(roomId);
    if (!isRecordingEnabled(room)) throw recordingDisabled(roomId);
    // §7.2: one recording at a time per room.
    if (state.recordingsOf(roomId).some((recording) => !isTerminal(recording.status))) throw roomAlreadyRecording(roomId);

    const recording: RecordingRecord = {
      ...this.newRecordingIds(roomId),
      status: 'starting',
      // §2.6: while starting, startDate is the egress `updatedAt`; it moves to `startedAt` later.
      startDate: this.fractionalNow(),
      secrets: { public: uid(10), private: uid(10) },
    };
    state.addRecording(recording);
    this.announce('recordingStarted', recording);

    await timers.sleep(timing.startMs);
    if (state.findRecording(recording.recordingId) === recording && recording.status === 'starting') {
      recording.status = 'active';
      recording.startDate = this.fractionalNow();
      this.announce('recordingUpdated', recording);
    }
    return recording;
  }

  /** Stops an active recording; resolves once it reached `outcome` (or was deleted meanwhile). */
  async stop(recordingId: string, outcome: RecordingOutcome = 'complete', details?: string): Promise<RecordingRecord> {
    const { state, timers, timing } = this.deps;
    const recording = state.getRecording(recordingId);
    if (recording.status === 'starting') throw recordingStillStarting(recordingId);
    if (recording.status !== 'active') throw recordingAlreadyStopped(recordingId);

    recording.status = 'ending';
    this.announce('recordingUpdated', recording);

    await timers.sleep(timing.stopMs);
    if (state.findRecording(recordingId) === recording) {
      this.finish(recording, outcome, details);
      this.announce('recordingEnded', recording);
    }
    return recording;
  }

  /** LiveKit ends a room-composite egress together with its room (§7.1). */
  stopAllInRoom(roomId: string): void {
    for (const recording of this.deps.state.recordingsOf(roomId)) {
      if (recording.status === 'active') {
        this.stop(recording.recordingId, 'complete', SOURCE_CLOSED).catch(() => undefined);
      } else if (recording.status === 'starting') {
        this.finish(recording, 'aborted', SOURCE_CLOSED);
        this.announce('recordingEnded', recording);
      }
    }
  }

  /** A fresh recording's ids, as Meet builds them (§2.6), and its version's layout and encoding. */
  private newRecordingIds(roomId: string) {
    const egress = egressId();
    const recordingUid = uid(10);
    const { recordingFormat } = this.deps.profile;
    return {
      recordingId: formatRecordingId({ roomId, egressId: egress, uid: recordingUid }),
      roomId,
      egressId: egress,
      uid: recordingUid,
      layout: recordingFormat?.layout,
      encoding: recordingFormat?.encoding,
    };
  }

  /** A recording made before the simulator started (seed data): stored complete, announced to nobody. */
  addPastRecording(roomId: string, startDate: number, durationSeconds: number): RecordingRecord {
    const { state } = this.deps;
    state.getRoom(roomId);
    const recording: RecordingRecord = {
      ...this.newRecordingIds(roomId),
      status: 'complete',
      startDate: startDate + Math.random(),
      endDate: startDate + durationSeconds * 1000 + Math.random(),
      duration: durationSeconds,
      size: Math.round(durationSeconds * BYTES_PER_SECOND),
      details: 'Stopped using API',
      secrets: { public: uid(10), private: uid(10) },
    };
    state.addRecording(recording);
    return recording;
  }

  private finish(recording: RecordingRecord, outcome: RecordingOutcome, details?: string): void {
    recording.status = outcome;
    recording.endDate = this.fractionalNow();
    const seconds = Math.round(recording.endDate - (recording.startDate ?? recording.endDate)) / 1000;
    // §2.3.5: duration and size are omitted when LiveKit reports 0, as for failed or aborted egress.
    const producedFile = outcome === 'complete' || outcome === 'limit_reached';
    recording.duration = producedFile && seconds > 0 ? seconds : undefined;
    recording.size = producedFile && seconds > 0 ? Math.round(seconds * BYTES_PER_SECOND) : undefined;
    switch (outcome) {
      case 'complete':
        recording.details = details ?? 'Stopped using API';
        break;
      case 'limit_reached':
        recording.details = details ?? 'End reason: Limit reached';
        break;
      case 'failed':
        recording.errorCode = 500;
        recording.error = 'pipeline failed';
        break;
      case 'aborted':
        recording.details = details ?? 'End reason: Aborted';
        break;
    }
  }

  private announce(event: 'recordingStarted' | 'recordingUpdated' | 'recordingEnded', recording: RecordingRecord): void {
    // §7.1: a payload needs the room's name; once the room is gone the event is dropped.
    const room = this.deps.state.findRoom(recording.roomId);
    if (room) this.deps.announce({ event, recording, room });
  }

  /** LiveKit nanosecond times × 1e-6: fractional milliseconds (§2.6). */
  private fractionalNow(): number {
    return this.deps.now() - Math.random() * 5;
  }
}

function isRecordingEnabled(room: RoomRecord): boolean {
  const recording = room.config.recording;
  return typeof recording === 'object' && recording !== null && !Array.isArray(recording) && recording.enabled === true;
}
