// What a projection may read of the rows as they are now: the store implements it over SQLite, tests
// over plain maps.
import type { RecordingRow, RoomRow, SourceId } from './rows.js';

export interface RowReader {
  room(source: SourceId, roomId: string): RoomRow | undefined;
  recording(source: SourceId, recordingId: string): RecordingRow | undefined;
  recordingsOfRoom(source: SourceId, roomId: string): RecordingRow[];
}
