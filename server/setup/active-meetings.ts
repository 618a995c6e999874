// The rooms showing a meeting now, by platform, for the setup screen: read from the rows once, the first
// time it is asked, then followed from the room changes of the store's feed, so that a reload of the screen
// costs nothing however many rooms there are (reading every row is what GET /api/state does, once per page).
// On a store shared by several instances the feed carries the others' changes too, so every instance counts
// the same meetings.
import type { StoredEvent } from '../domain/events.js';
import type { RoomRow, SourceId } from '../domain/rows.js';
import type { RowView } from '../store/store.js';

export interface MeetingNow {
  source: SourceId;
  /** When the meeting began, as the row has it. */
  activeSince: number | undefined;
}

export class ActiveMeetings {
  /** By row key; undefined until first asked (until then, commits cost nothing here). */
  private meetings: Map<string, MeetingNow> | undefined;
  /** The log position the meetings reflect. */
  private seq = 0;

  constructor(private readonly rows: Pick<RowView, 'allRooms' | 'seq'>) {}

  of(source: SourceId): MeetingNow[] {
    if (!this.meetings) {
      this.meetings = new Map();
      // The rows and their position are read in one synchronous step.
      this.seq = this.rows.seq;
      for (const row of this.rows.allRooms()) this.follow(row);
    }
    return [...this.meetings.values()].filter((meeting) => meeting.source === source);
  }

  /** Entries of the store's feed (Store.onCommitted): a room change is the row's whole new state. */
  committed(entries: readonly StoredEvent[]): void {
    if (!this.meetings) return;
    for (const entry of entries) {
      // The rows read may already include entries the feed brings later (a mirror applies its own commits
      // first): an older state of a row must not replace the newer one.
      if (entry.seq <= this.seq) continue;
      this.seq = entry.seq;
      if (entry.kind !== 'change' || entry.type !== 'room') continue;
      try {
        this.follow(JSON.parse(entry.body.toString('utf8')) as RoomRow);
      } catch {
        // A row change is written by roomwatch itself as JSON; nothing else can be in it.
      }
    }
  }

  private follow(row: RoomRow): void {
    const key = `${row.source}:${row.roomId}`;
    if (row.status === 'active_meeting' && !row.removed) this.meetings!.set(key, { source: row.source, activeSince: row.activeSince });
    else this.meetings!.delete(key);
  }
}
