// The simulated Meet's storage: rooms and recordings by id, and nothing else. Lifecycles that change them
// live in meetings.ts and recorder.ts.
import { recordingNotFound, roomNotFound } from './errors.js';
import { uid } from './ids.js';
import type { RecordingRecord, RoomRecord } from './model.js';
import type { NewRoom } from './room-options.js';

export class MeetState {
  private readonly rooms = new Map<string, RoomRecord>();
  private readonly recordings = new Map<string, RecordingRecord>();

  constructor(private readonly now: () => number) {}

  addRoom(roomId: string, options: NewRoom): RoomRecord {
    const creationDate = this.now();
    const room: RoomRecord = {
      roomId,
      roomName: options.roomName,
      owner: 'admin',
      creationDate,
      autoDeletionDate: options.autoDeletionDate,
      autoDeletionPolicy: options.autoDeletionPolicy,
      config: options.config,
      roles: options.roles,
      access: options.access,
      secrets: { moderator: uid(10), speaker: uid(10), recording: uid(10) },
      status: 'open',
      meetingEndAction: 'none',
      rolesUpdatedAt: creationDate,
    };
    this.rooms.set(roomId, room);
    return room;
  }

  findRoom(roomId: string): RoomRecord | undefined {
    return this.rooms.get(roomId);
  }

  getRoom(roomId: string): RoomRecord {
    const room = this.rooms.get(roomId);
    if (!room) throw roomNotFound(roomId);
    return room;
  }

  allRooms(): RoomRecord[] {
    return [...this.rooms.values()];
  }

  /** Removes the room and every recording of it (recording webhooks are never sent for these, §7.1). */
  removeRoom(roomId: string): void {
    this.rooms.delete(roomId);
    for (const recording of this.recordingsOf(roomId)) this.recordings.delete(recording.recordingId);
  }

  addRecording(recording: RecordingRecord): void {
    this.recordings.set(recording.recordingId, recording);
  }

  findRecording(recordingId: string): RecordingRecord | undefined {
    return this.recordings.get(recordingId);
  }

  getRecording(recordingId: string): RecordingRecord {
    const recording = this.recordings.get(recordingId);
    if (!recording) throw recordingNotFound(recordingId);
    return recording;
  }

  allRecordings(): RecordingRecord[] {
    return [...this.recordings.values()];
  }

  recordingsOf(roomId: string): RecordingRecord[] {
    return this.allRecordings().filter((recording) => recording.roomId === roomId);
  }

  removeRecording(recordingId: string): void {
    this.recordings.delete(recordingId);
  }

  clear(): void {
    this.rooms.clear();
    this.recordings.clear();
  }
}
