// The numbers of the rooms overview, kept up to date one change at a time (never recounted per frame):
// meetings on now, open and closed rooms, and recordings in progress, in all and by platform; and which
// rooms have a recording in progress, for the list's "recording now" filter.
import { isFinished, type RecordingRow, type RoomRow, type RoomStatus, type SourceId } from '../../server/domain/rows.js';

export type CountKind = RoomStatus | 'recording';
export const COUNT_KINDS: readonly CountKind[] = ['active_meeting', 'open', 'closed', 'recording'];

type Counts = Record<CountKind, number>;
const zero = (): Counts => ({ active_meeting: 0, open: 0, closed: 0, recording: 0 });

const inProgress = (row: RecordingRow | undefined): row is RecordingRow => row !== undefined && !isFinished(row.status);
const roomKeyOf = (row: RecordingRow) => `${row.source}:${row.roomId}`;

export class RoomCounts {
  private readonly all = zero();
  private readonly bySource = new Map<SourceId, Counts>();
  /** Room key → recordings in progress in that room. */
  private readonly recordingRooms = new Map<string, number>();

  count(kind: CountKind, source?: SourceId): number {
    return (source === undefined ? this.all : this.bySource.get(source))?.[kind] ?? 0;
  }

  /** The platforms that have at least one room or recording in progress, in first-seen order. */
  sources(): SourceId[] {
    return [...this.bySource].filter(([, counts]) => COUNT_KINDS.some((kind) => counts[kind] > 0)).map(([source]) => source);
  }

  isRecording(roomKey: string): boolean {
    return this.recordingRooms.has(roomKey);
  }

  resetRooms(rows: Iterable<RoomRow>): void {
    for (const counts of [this.all, ...this.bySource.values()]) counts.active_meeting = counts.open = counts.closed = 0;
    for (const row of rows) this.add(row.source, row.status, 1);
  }

  resetRecordings(rows: Iterable<RecordingRow>): void {
    for (const counts of [this.all, ...this.bySource.values()]) counts.recording = 0;
    this.recordingRooms.clear();
    for (const row of rows) this.recording(undefined, row);
  }

  room(previous: RoomRow | undefined, row: RoomRow | undefined): void {
    if (previous) this.add(previous.source, previous.status, -1);
    if (row) this.add(row.source, row.status, 1);
  }

  /** Applies a recording's change; returns the keys of the rooms that started or stopped having one in progress. */
  recording(previous: RecordingRow | undefined, row: RecordingRow | undefined): string[] {
    const rooms = [previous, row].filter(inProgress).map(roomKeyOf);
    const before = rooms.map((key) => this.isRecording(key));
    if (inProgress(previous)) this.recordingIn(previous, -1);
    if (inProgress(row)) this.recordingIn(row, 1);
    return rooms.filter((key, index) => this.isRecording(key) !== before[index] && rooms.indexOf(key) === index);
  }

  private add(source: SourceId, kind: CountKind, delta: number): void {
    let counts = this.bySource.get(source);
    if (!counts) this.bySource.set(source, (counts = zero()));
    counts[kind] += delta;
    this.all[kind] += delta;
  }

  private recordingIn(row: RecordingRow, delta: number): void {
    this.add(row.source, 'recording', delta);
    const key = roomKeyOf(row);
    const count = (this.recordingRooms.get(key) ?? 0) + delta;
    if (count <= 0) this.recordingRooms.delete(key);
    else this.recordingRooms.set(key, count);
  }
}
