// The projection's tables: the current room and recording rows, kept with the log in one SQLite file.
import type { Db } from './database.js';
import type { NewChange } from '../../domain/events.js';
import type { RecordingRow, RoomRow, RowChange, SourceId } from '../../domain/rows.js';
import type { RowReader } from '../../domain/row-reader.js';

export class RowStore implements RowReader {
  private readonly selectRoom;
  private readonly selectRecording;
  private readonly selectRecordingsOfRoom;
  private readonly selectRooms;
  private readonly selectRecordings;
  private readonly upsertRoom;
  private readonly upsertRecording;
  private readonly selectExpiredRooms;
  private readonly selectExpiredRecordings;
  private readonly deleteRoomRow;
  private readonly deleteRecordingsOfRoom;
  private readonly deleteRecordingRow;

  constructor(db: Db) {
    this.selectRoom = db.prepare<[string, string], { row: string }>('SELECT row FROM rooms WHERE source = ? AND room_id = ?');
    this.selectRecording = db.prepare<[string, string], { row: string }>(
      'SELECT row FROM recordings WHERE source = ? AND recording_id = ?',
    );
    this.selectRecordingsOfRoom = db.prepare<[string, string], { row: string }>(
      'SELECT row FROM recordings WHERE source = ? AND room_id = ?',
    );
    this.selectRooms = db.prepare<[], { row: string }>('SELECT row FROM rooms');
    this.selectRecordings = db.prepare<[], { row: string }>('SELECT row FROM recordings');
    this.upsertRoom = db.prepare<[string, string, string]>(
      'INSERT INTO rooms (source, room_id, row) VALUES (?, ?, ?) ON CONFLICT (source, room_id) DO UPDATE SET row = excluded.row',
    );
    this.upsertRecording = db.prepare<[string, string, string, string]>(
      `INSERT INTO recordings (source, recording_id, room_id, row) VALUES (?, ?, ?, ?)
       ON CONFLICT (source, recording_id) DO UPDATE SET row = excluded.row, room_id = excluded.room_id`,
    );
    // A scan of the row tables, which this very pruning keeps small; it runs once per pruning pass.
    this.selectExpiredRooms = db.prepare<[number, number], { row: string }>(
      `SELECT row FROM rooms
       WHERE json_extract(row, '$.updatedAt') < ?
         AND (json_extract(row, '$.removed') OR (source != 'meet' AND json_extract(row, '$.status') = 'closed'))
       LIMIT ?`,
    );
    this.selectExpiredRecordings = db.prepare<[number, number], { row: string }>(
      `SELECT row FROM recordings WHERE json_extract(row, '$.removed') AND json_extract(row, '$.updatedAt') < ? LIMIT ?`,
    );
    this.deleteRoomRow = db.prepare<[string, string]>('DELETE FROM rooms WHERE source = ? AND room_id = ?');
    this.deleteRecordingsOfRoom = db.prepare<[string, string], { row: string }>(
      'DELETE FROM recordings WHERE source = ? AND room_id = ? RETURNING row',
    );
    this.deleteRecordingRow = db.prepare<[string, string]>('DELETE FROM recordings WHERE source = ? AND recording_id = ?');
  }

  room(source: SourceId, roomId: string): RoomRow | undefined {
    return parse(this.selectRoom.get(source, roomId));
  }

  recording(source: SourceId, recordingId: string): RecordingRow | undefined {
    return parse(this.selectRecording.get(source, recordingId));
  }

  recordingsOfRoom(source: SourceId, roomId: string): RecordingRow[] {
    return this.selectRecordingsOfRoom.all(source, roomId).map((r) => JSON.parse(r.row) as RecordingRow);
  }

  /** Every room row, tombstones included (callers filter `removed`). */
  allRooms(): RoomRow[] {
    return this.selectRooms.all().map((r) => JSON.parse(r.row) as RoomRow);
  }

  allRecordings(): RecordingRow[] {
    return this.selectRecordings.all().map((r) => JSON.parse(r.row) as RecordingRow);
  }

  /**
   * Rooms that have had their time, last changed before `before`: closed rooms of session platforms (every
   * platform but Meet keeps one row per session, and a closed session never opens again) and tombstones.
   * Meet rooms are lasting objects that close and reopen: only their tombstones expire.
   */
  expiredRooms(before: number, limit: number): RoomRow[] {
    return this.selectExpiredRooms.all(before, limit).map((r) => JSON.parse(r.row) as RoomRow);
  }

  /** Recording tombstones last changed before `before`. */
  expiredRecordings(before: number, limit: number): RecordingRow[] {
    return this.selectExpiredRecordings.all(before, limit).map((r) => JSON.parse(r.row) as RecordingRow);
  }

  /** Deletes a room row and the recordings of that room; returns those recordings. */
  deleteRoom(source: SourceId, roomId: string): RecordingRow[] {
    this.deleteRoomRow.run(source, roomId);
    return this.deleteRecordingsOfRoom.all(source, roomId).map((r) => JSON.parse(r.row) as RecordingRow);
  }

  deleteRecording(source: SourceId, recordingId: string): void {
    this.deleteRecordingRow.run(source, recordingId);
  }

  /** Writes changed rows; returns the log entries that announce them. */
  write(changes: RowChange[]): NewChange[] {
    return changes.map((change) => {
      const json = JSON.stringify(change.row);
      if (change.kind === 'room') this.upsertRoom.run(change.row.source, change.row.roomId, json);
      else this.upsertRecording.run(change.row.source, change.row.recordingId, change.row.roomId, json);
      return { source: change.row.source, type: change.kind, roomId: change.row.roomId, body: Buffer.from(json) };
    });
  }
}

function parse<T>(result: { row: string } | undefined): T | undefined {
  return result ? (JSON.parse(result.row) as T) : undefined;
}
