// The rooms showing a meeting now, by platform, for the setup screen: read from the rows once, the first
// time it is asked, then followed from the room changes the log commits, so that a reload of the screen
// costs nothing however many rooms there are (reading every row is what GET /api/state does, once per page).
import type { StoredEvent } from '../domain/events.js';
import type { RoomRow, SourceId } from '../domain/rows.js';

export interface MeetingNow {
  source: SourceId;
  /** When the meeting began, as the row has it. */
  activeSince: number | undefined;
}

export class ActiveMeetings {
  /** By row key; undefined until first asked (until then, commits cost nothing here). */
  private meetings: Map<string, MeetingNow> | undefined;

  constructor(private readonly allRooms: () => readonly RoomRow[]) {}

  of(source: SourceId): MeetingNow[] {
    if (!this.meetings) {
      this.meetings = new Map();
      for (const row of this.allRooms()) this.follow(row);
    }
    return [...this.meetings.values()].filter((meeting) => meeting.source === source);
  }

  /** Entries just committed to the log (EventLog.onCommitted): a room change is the row's whole new state. */
  committed(entries: readonly StoredEvent[]): void {
    if (!this.meetings) return;
    for (const entry of entries) {
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
