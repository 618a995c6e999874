// The page's copy of the dashboard state: rooms and recordings keyed by `source:id`, Meet's status, and
// the stream position. Every frame is applied here whatever screen is showing; views subscribe to the
// changes they draw.
import type { ApiStatus, DashboardSnapshot, RecordingRow, RoomRow, SourceId } from '../../server/domain/rows.js';

export type MeetStatus = DashboardSnapshot['meet'];

/** Where a change came from: the initial or a reloaded snapshot, the live stream, or this page's own request. */
export type Origin = 'snapshot' | 'live' | 'local';

export interface RowChange<T> {
  key: string;
  /** The row as it now is; undefined when it is gone. */
  row: T | undefined;
  previous: T | undefined;
  origin: Origin;
}

export const roomKey = (row: { source: SourceId; roomId: string }) => `${row.source}:${row.roomId}`;
export const recordingKey = (row: { source: SourceId; recordingId: string }) => `${row.source}:${row.recordingId}`;

type Listener<T> = (change: T) => void;

class Topic<T> {
  private readonly listeners = new Set<Listener<T>>();
  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

export class DashboardState {
  readonly rooms = new Map<string, RoomRow>();
  readonly recordings = new Map<string, RecordingRow>();
  meet: MeetStatus = { state: 'unknown', url: '', checkedAt: null, webComponentUrl: null };
  /** The status of each platform API roomwatch uses, by platform. */
  readonly apis = new Map<SourceId, ApiStatus>();
  authRequired = false;
  /** The stream position the snapshot reflects. */
  seq = 0;

  readonly roomChanges = new Topic<RowChange<RoomRow>>();
  readonly recordingChanges = new Topic<RowChange<RecordingRow>>();
  readonly apiChanges = new Topic<ReadonlyMap<SourceId, ApiStatus>>();
  /** Everything was replaced (first load, or a resync): redraw from the maps. */
  readonly resets = new Topic<void>();

  load(snapshot: DashboardSnapshot): void {
    this.rooms.clear();
    this.recordings.clear();
    for (const row of snapshot.rooms) if (!row.removed) this.rooms.set(roomKey(row), row);
    for (const row of snapshot.recordings) if (!row.removed) this.recordings.set(recordingKey(row), row);
    this.seq = snapshot.seq;
    this.authRequired = snapshot.auth.required;
    this.meet = snapshot.meet;
    this.apis.clear();
    for (const [id, status] of Object.entries(snapshot.platforms)) if (status.api) this.apis.set(id as SourceId, status.api);
    this.resets.emit();
    this.apiChanges.emit(this.apis);
  }

  /** A frame is the row's whole new state: replace it (or drop it when `removed`). */
  applyRoom(row: RoomRow, origin: Origin): void {
    const key = roomKey(row);
    const previous = this.rooms.get(key);
    // This page's own answer may arrive after the frame that already carried a newer state.
    if (origin === 'local' && previous && previous.updatedAt > row.updatedAt) return;
    if (row.removed) {
      if (!previous) return;
      this.rooms.delete(key);
      this.roomChanges.emit({ key, row: undefined, previous, origin });
      return;
    }
    this.rooms.set(key, row);
    this.roomChanges.emit({ key, row, previous, origin });
  }

  applyRecording(row: RecordingRow, origin: Origin): void {
    const key = recordingKey(row);
    const previous = this.recordings.get(key);
    if (origin === 'local' && previous && previous.updatedAt > row.updatedAt) return;
    if (row.removed) {
      if (!previous) return;
      this.recordings.delete(key);
      this.recordingChanges.emit({ key, row: undefined, previous, origin });
      return;
    }
    this.recordings.set(key, row);
    this.recordingChanges.emit({ key, row, previous, origin });
  }

  applyMeet(status: Partial<MeetStatus> & ApiStatus): void {
    // A `meet` frame may omit webComponentUrl; keep the one we know.
    this.meet = { ...this.meet, ...status, webComponentUrl: status.webComponentUrl ?? this.meet.webComponentUrl };
  }

  applyPlatformApi(source: SourceId, status: ApiStatus): void {
    this.apis.set(source, status);
    this.apiChanges.emit(this.apis);
  }

  /** The rooms a recording filter can offer: known rooms, plus rooms only known from their recordings. */
  roomNames(): Map<string, string> {
    const names = new Map<string, string>();
    for (const recording of this.recordings.values()) names.set(recording.roomId, recording.roomName);
    for (const room of this.rooms.values()) names.set(room.roomId, room.roomName);
    return names;
  }
}
