// This instance's rooms and recordings, in memory, following the log (store.ts, rules 3 and 4). The
// mirror changes only by applying log entries in sequence order (or by loading the tables at a known log
// position), never by its own guesses, so every instance that has applied the same prefix of the log has
// the same rows. An overlay gives a commit under way the rows as of the log's head plus its own changes,
// and is thrown away when that commit fails.
import type { RecordingRow, RoomRow, RowChange, SourceId } from '../../domain/rows.js';
import type { RowView } from '../store.js';

/** What the mirror needs of a log entry. */
export type MirroredEntry = { seq: number; kind: 'webhook' | 'change'; type: string; body: Buffer };

const key = (source: SourceId, id: string) => `${source}\u0000${id}`;

export class RowMirror implements RowView {
  private readonly rooms = new Map<string, RoomRow>();
  private readonly recordings = new Map<string, RecordingRow>();
  /** Room key → the keys of its recordings. */
  private readonly recordingsByRoom = new Map<string, Set<string>>();
  private position = 0;

  get seq(): number {
    return this.position;
  }

  /** Replaces everything with the rows stored at log position `seq` (read in one snapshot with it). */
  load(rooms: RoomRow[], recordings: RecordingRow[], seq: number): void {
    this.rooms.clear();
    this.recordings.clear();
    this.recordingsByRoom.clear();
    for (const row of rooms) this.put({ kind: 'room', row });
    for (const row of recordings) this.put({ kind: 'recording', row });
    this.position = seq;
  }

  /** Applies the entries after this mirror's position, in order; earlier ones it has already applied. */
  apply(entries: readonly MirroredEntry[]): void {
    for (const entry of entries) {
      if (entry.seq <= this.position) continue;
      this.position = entry.seq;
      if (entry.kind !== 'change' || (entry.type !== 'room' && entry.type !== 'recording')) continue;
      const row = JSON.parse(entry.body.toString('utf8')) as RoomRow & RecordingRow;
      this.put(entry.type === 'room' ? { kind: 'room', row } : { kind: 'recording', row });
    }
  }

  /**
   * Moves the position to `seq` once every change entry up to it has been applied (read under the append
   * lock: the entries between are webhooks and notes, which change no row).
   */
  advanceTo(seq: number): void {
    if (seq > this.position) this.position = seq;
  }

  /** Forgets rows deleted from the tables (pruning); what the log announced about them is unchanged. */
  forget(rooms: { source: SourceId; roomId: string }[], recordings: { source: SourceId; recordingId: string }[]): void {
    for (const { source, recordingId } of recordings) this.dropRecording(key(source, recordingId));
    for (const { source, roomId } of rooms) {
      const roomKey = key(source, roomId);
      this.rooms.delete(roomKey);
      for (const recordingKey of this.recordingsByRoom.get(roomKey) ?? []) this.dropRecording(recordingKey);
    }
  }

  private dropRecording(recordingKey: string): void {
    const row = this.recordings.get(recordingKey);
    if (!row) return;
    this.recordings.delete(recordingKey);
    this.recordingsByRoom.get(key(row.source, row.roomId))?.delete(recordingKey);
  }

  private put(change: RowChange): void {
    if (change.kind === 'room') {
      this.rooms.set(key(change.row.source, change.row.roomId), change.row);
      return;
    }
    const row = change.row;
    const recordingKey = key(row.source, row.recordingId);
    const before = this.recordings.get(recordingKey);
    // A recording may move to another room (its row says which): it leaves the old room's list.
    if (before && before.roomId !== row.roomId) this.recordingsByRoom.get(key(before.source, before.roomId))?.delete(recordingKey);
    this.recordings.set(recordingKey, row);
    const roomKey = key(row.source, row.roomId);
    let set = this.recordingsByRoom.get(roomKey);
    if (!set) this.recordingsByRoom.set(roomKey, (set = new Set()));
    set.add(recordingKey);
  }

  room(source: SourceId, roomId: string): RoomRow | undefined {
    return this.rooms.get(key(source, roomId));
  }

  recording(source: SourceId, recordingId: string): RecordingRow | undefined {
    return this.recordings.get(key(source, recordingId));
  }

  recordingsOfRoom(source: SourceId, roomId: string): RecordingRow[] {
    return [...(this.recordingsByRoom.get(key(source, roomId)) ?? [])].map((recordingKey) => this.recordings.get(recordingKey)!);
  }

  allRooms(): RoomRow[] {
    return [...this.rooms.values()];
  }

  allRecordings(): RecordingRow[] {
    return [...this.recordings.values()];
  }
}

/** The mirror as a commit under way sees it: its own changes on top, nothing written to the mirror. */
export class RowOverlay {
  private readonly rooms = new Map<string, RoomRow>();
  private readonly recordings = new Map<string, RecordingRow>();

  constructor(private readonly base: RowMirror) {}

  write(changes: readonly RowChange[]): void {
    for (const change of changes) {
      if (change.kind === 'room') this.rooms.set(key(change.row.source, change.row.roomId), change.row);
      else this.recordings.set(key(change.row.source, change.row.recordingId), change.row);
    }
  }

  room(source: SourceId, roomId: string): RoomRow | undefined {
    return this.rooms.get(key(source, roomId)) ?? this.base.room(source, roomId);
  }

  recording(source: SourceId, recordingId: string): RecordingRow | undefined {
    return this.recordings.get(key(source, recordingId)) ?? this.base.recording(source, recordingId);
  }

  recordingsOfRoom(source: SourceId, roomId: string): RecordingRow[] {
    const result = new Map<string, RecordingRow>();
    for (const row of this.base.recordingsOfRoom(source, roomId)) result.set(key(row.source, row.recordingId), row);
    for (const [recordingKey, row] of this.recordings) {
      if (row.source === source && row.roomId === roomId) result.set(recordingKey, row);
      // Moved to another room in this commit.
      else result.delete(recordingKey);
    }
    return [...result.values()];
  }

  allRooms(): RoomRow[] {
    const result = new Map(this.base.allRooms().map((row) => [key(row.source, row.roomId), row]));
    for (const [roomKey, row] of this.rooms) result.set(roomKey, row);
    return [...result.values()];
  }

  allRecordings(): RecordingRow[] {
    const result = new Map(this.base.allRecordings().map((row) => [key(row.source, row.recordingId), row]));
    for (const [recordingKey, row] of this.recordings) result.set(recordingKey, row);
    return [...result.values()];
  }
}
