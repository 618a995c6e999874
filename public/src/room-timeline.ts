// A room's meetings, read from its stored webhooks: each start opens one, each end closes it, and the
// joins and leaves between count its people (on platforms that report them). Pure: the webhooks, oldest
// first, and what the room's row says now go in; the meetings, oldest first, come out.
import type { MeetingEvents } from '../../server/platforms/catalog.js';

export interface TimelineWebhook {
  /** Receive time, ms (roomwatch's clock). */
  at: number;
  type: string;
}

export interface Meeting {
  /** Undefined when no start webhook of it was seen (lost, pruned, or before the loaded ones). */
  start: number | undefined;
  /** Undefined while it is on, or when its end was never received. */
  end: number | undefined;
  /** It is the meeting on now (the room's row says so). */
  onNow: boolean;
  /** Joins seen, and the most people present at once; undefined on platforms that report no joins. */
  joined: number | undefined;
  peak: number | undefined;
  /** Known from the room's row only (its platform's API found it on), not from a webhook. */
  fromRow: boolean;
}

export interface RoomNow {
  /** The room shows a meeting now. */
  active: boolean;
  /** When that meeting began, as the row has it. */
  activeSince: number | undefined;
}

export function meetingsFrom(webhooks: readonly TimelineWebhook[], events: MeetingEvents, now: RoomNow): Meeting[] {
  const countsPeople = events.joined.length > 0;
  const meetings: Meeting[] = [];
  let open: Meeting | undefined;
  let present = 0;
  const begin = (start: number | undefined): Meeting => {
    const meeting: Meeting = { start, end: undefined, onNow: false, joined: countsPeople ? 0 : undefined, peak: countsPeople ? 0 : undefined, fromRow: false };
    meetings.push(meeting);
    present = 0;
    return meeting;
  };

  for (const { at, type } of webhooks) {
    if (events.started.includes(type)) {
      // A second start with no end between: the first one's end was lost; it stays without one.
      open = begin(at);
    } else if (events.ended.includes(type)) {
      (open ?? begin(undefined)).end = at;
      open = undefined;
    } else if (events.joined.includes(type)) {
      open ??= begin(undefined);
      present += 1;
      open.joined = (open.joined ?? 0) + 1;
      open.peak = Math.max(open.peak ?? 0, present);
    } else if (events.left.includes(type)) {
      present = Math.max(0, present - 1);
    }
  }

  if (now.active) {
    if (open) open.onNow = true;
    else meetings.push({ start: now.activeSince, end: undefined, onNow: true, joined: undefined, peak: undefined, fromRow: true });
  }
  return meetings;
}
