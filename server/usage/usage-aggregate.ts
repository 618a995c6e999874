// The usage charts' figures, kept in memory and moved one log entry at a time, so that GET /api/usage costs
// the same at 10 000 and at 100 000 stored webhooks: a request reads a bounded number of small records,
// never the log.
//
// Figures are kept per UTC minute, and summed per hour and per day, so that a bucket reads the records of
// the largest of those that tiles it (15 minutes: 15 minute records; an hour: one hour record; a day: one).
// A meeting is a room's stretch in `active_meeting`, read from the rows the log carries (`change` entries
// of type `room`): it starts at the row's `activeSince` and ends when a change shows the room no longer on
// (that entry's receive time). "Meetings on during a bucket" is then (meetings started before its end) −
// (meetings over before its start): two running counts, with no list of meetings to walk.
import type { StoredEvent } from '../domain/events.js';
import type { RoomRow, SourceId } from '../domain/rows.js';
import { BUCKETS, MINUTE_HISTORY_MS, USAGE_HISTORY_MS, type BucketName, type UsageSeries } from './usage-series.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** What one minute holds, or one hour or day (summed). */
interface Figures {
  /** Meetings that began in it. */
  starts: number;
  /** Meetings whose last minute it is. */
  lasts: number;
  stored: number;
  repeated: number;
  refused: number;
}

interface DayFigures extends Figures {
  /** Meeting time within the day, ms, by platform: meetings that are over. */
  meetingMs: Map<SourceId, number>;
}

interface OpenMeeting {
  source: SourceId;
  start: number;
}

/** A range already checked (./usage-query.ts): `from` on a bucket edge, at most MAX_BUCKETS buckets. */
export interface UsageRange {
  from: number;
  to: number;
  bucket: BucketName;
}

const noFigures = (): Figures => ({ starts: 0, lasts: 0, stored: 0, repeated: 0, refused: 0 });
const minuteOf = (time: number) => Math.floor(time / MINUTE);
const hourOf = (time: number) => Math.floor(time / HOUR);
const dayOf = (time: number) => Math.floor(time / DAY);

export class UsageAggregate {
  private readonly minutes = new Map<number, Figures>();
  private readonly hours = new Map<number, Figures>();
  private readonly days = new Map<number, DayFigures>();
  /** Meetings on now, by room (`source` NUL `roomId`). */
  private readonly open = new Map<string, OpenMeeting>();
  /** When each room's last meeting ended: a room seen on again never starts before it (no minute counted twice). */
  private readonly lastEnd = new Map<string, number>();
  private newestDay = -Infinity;

  /** @param since when this instance started counting repeats and refusals (they are not in the log). */
  constructor(readonly since: number) {}

  /** Log entries in sequence order: webhooks count as stored, room changes start and end meetings. */
  applyEntries(entries: readonly StoredEvent[]): void {
    for (const entry of entries) {
      if (entry.kind === 'webhook') this.add(entry.receivedAt, 'stored', 1);
      else if (entry.type === 'room') {
        const row = roomOf(entry);
        if (row) this.applyRoom(row, entry.receivedAt);
      }
    }
  }

  /** A room as a change made it, `at` the time roomwatch logged that change. */
  applyRoom(row: RoomRow, at: number): void {
    const key = `${row.source}\u0000${row.roomId}`;
    const current = this.open.get(key);
    if (!row.removed && row.status === 'active_meeting') {
      // The platform's start (never later than roomwatch's clock), but never inside a meeting already counted.
      const start = Math.min(Math.max(row.activeSince ?? at, this.lastEnd.get(key) ?? -Infinity), at);
      if (current?.start === start) return;
      if (current) this.addStart(current.start, -1); // the platform corrected when this meeting began
      this.open.set(key, { source: row.source, start });
      this.addStart(start, 1);
      return;
    }
    if (current) {
      const end = Math.max(at, current.start);
      this.open.delete(key);
      this.lastEnd.set(key, end);
      // Its last minute: the one holding its final instant (a meeting of no length still has one).
      const last = Math.max(minuteOf(current.start), Math.ceil(end / MINUTE) - 1);
      this.add(last * MINUTE, 'lasts', 1);
      this.addMeetingTime(current.source, current.start, end);
    }
    if (row.removed) this.lastEnd.delete(key);
  }

  /**
   * Rooms the rows say are on but the log did not start (their start was pruned from the log, or came
   * before it): counted from their `activeSince`.
   */
  adoptOngoing(rooms: readonly RoomRow[], now: number): void {
    for (const row of rooms) {
      if (row.removed || row.status !== 'active_meeting' || this.open.has(`${row.source}\u0000${row.roomId}`)) continue;
      this.applyRoom(row, now);
    }
  }

  countRepeats(count: number, at: number): void {
    this.add(at, 'repeated', count);
  }

  countRefusal(at: number): void {
    this.add(at, 'refused', 1);
  }

  /** The series of one checked range; meetings still on count up to `now`. */
  series({ from, to, bucket }: UsageRange, now: number): UsageSeries {
    const bucketMs = BUCKETS[bucket];
    const buckets: number[] = [];
    for (let start = from; start < to; start += bucketMs) buckets.push(start);
    const meetings: number[] = [];
    const webhooks = { stored: [] as number[], repeated: [] as number[], refused: [] as number[] };

    // Buckets start on their own edges, so the records of the largest level that divides them tile them.
    const [level, levelMs] = bucketMs % DAY === 0 ? [this.days, DAY] : bucketMs % HOUR === 0 ? [this.hours, HOUR] : [this.minutes, MINUTE];
    let started = this.countBefore('starts', from);
    let over = this.countBefore('lasts', from);
    for (const start of buckets) {
      const overBefore = over;
      const sum = noFigures();
      for (let key = start / levelMs; key < (start + bucketMs) / levelMs; key += 1) {
        const part = level.get(key);
        if (part) addFigures(sum, part);
      }
      started += sum.starts;
      over += sum.lasts;
      meetings.push(started - overBefore);
      webhooks.stored.push(sum.stored);
      webhooks.repeated.push(sum.repeated);
      webhooks.refused.push(sum.refused);
    }
    return {
      from,
      to,
      bucket,
      bucketMs,
      buckets,
      meetings,
      webhooks,
      minutesPerDay: this.minutesPerDay(from, to, now),
      repeatsAndRefusalsSince: this.since,
    };
  }

  private minutesPerDay(from: number, to: number, now: number): UsageSeries['minutesPerDay'] {
    const days: number[] = [];
    for (let day = dayOf(from); day <= dayOf(to - 1); day += 1) days.push(day);
    const bySource: UsageSeries['minutesPerDay']['bySource'] = {};
    const add = (source: SourceId, index: number, ms: number) => {
      const values = (bySource[source] ??= days.map(() => 0));
      values[index]! += ms;
    };
    days.forEach((day, index) => {
      for (const [source, ms] of this.days.get(day)?.meetingMs ?? []) add(source, index, ms);
    });
    // Meetings still on: their time so far (there are at most as many as rooms).
    for (const { source, start } of this.open.values()) {
      eachDayPart(start, Math.max(start, now), (day, ms) => {
        const index = day - days[0]!;
        if (index >= 0 && index < days.length) add(source, index, ms);
      });
    }
    for (const values of Object.values(bySource)) values.forEach((ms, i) => (values[i] = Math.round(ms / 6000) / 10));
    return { days: days.map((day) => day * DAY), bySource };
  }

  /** How many meetings started (or had their last minute) before this time (a minute edge), since the beginning. */
  private countBefore(kind: 'starts' | 'lasts', time: number): number {
    let count = 0;
    for (const [day, figures] of this.days) if (day < dayOf(time)) count += figures[kind];
    for (let hour = dayOf(time) * 24; hour < hourOf(time); hour += 1) count += this.hours.get(hour)?.[kind] ?? 0;
    for (let minute = hourOf(time) * 60; minute < minuteOf(time); minute += 1) count += this.minutes.get(minute)?.[kind] ?? 0;
    return count;
  }

  private addStart(start: number, delta: 1 | -1): void {
    this.add(start, 'starts', delta);
  }

  private addMeetingTime(source: SourceId, start: number, end: number): void {
    eachDayPart(start, end, (day, ms) => {
      const figures = this.dayFigures(day);
      figures.meetingMs.set(source, (figures.meetingMs.get(source) ?? 0) + ms);
    });
  }

  /** Counts into the minute, the hour and the day of `time`. */
  private add(time: number, key: keyof Figures, delta: number): void {
    recordOf(this.minutes, minuteOf(time))[key] += delta;
    recordOf(this.hours, hourOf(time))[key] += delta;
    this.dayFigures(dayOf(time))[key] += delta;
  }

  private dayFigures(day: number): DayFigures {
    let figures = this.days.get(day);
    if (!figures) {
      this.days.set(day, (figures = { ...noFigures(), meetingMs: new Map() }));
      if (day > this.newestDay) {
        this.newestDay = day;
        this.forgetBefore((day - 1) * DAY);
      }
    }
    return figures;
  }

  /**
   * Minute and hour records older than any range a request may ask for of them (./usage-query.ts), counted
   * back from `now`; their hours and days keep the sums.
   */
  private forgetBefore(now: number): void {
    for (const minute of this.minutes.keys()) if (minute < minuteOf(now - MINUTE_HISTORY_MS)) this.minutes.delete(minute);
    for (const hour of this.hours.keys()) if (hour < hourOf(now - USAGE_HISTORY_MS)) this.hours.delete(hour);
  }
}

function roomOf(entry: StoredEvent): RoomRow | undefined {
  try {
    const row = (entry.parsed ?? JSON.parse(entry.body.toString('utf8'))) as RoomRow;
    return typeof row === 'object' && row !== null && typeof row.roomId === 'string' ? row : undefined;
  } catch {
    return undefined;
  }
}

function recordOf(records: Map<number, Figures>, key: number): Figures {
  let figures = records.get(key);
  if (!figures) records.set(key, (figures = noFigures()));
  return figures;
}

function addFigures(sum: Figures, part: Figures): void {
  sum.starts += part.starts;
  sum.lasts += part.lasts;
  sum.stored += part.stored;
  sum.repeated += part.repeated;
  sum.refused += part.refused;
}

/** Splits [start, end) at each midnight UTC: calls back with each day and the ms of it inside. */
function eachDayPart(start: number, end: number, each: (day: number, ms: number) => void): void {
  for (let day = dayOf(start); day * DAY < end; day += 1) {
    const ms = Math.min(end, (day + 1) * DAY) - Math.max(start, day * DAY);
    if (ms > 0) each(day, ms);
  }
}
