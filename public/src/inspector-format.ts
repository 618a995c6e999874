// Times in the event inspector: to the millisecond in the list (webhooks come in bursts), and the
// browser's datetime-local inputs ("YYYY-MM-DDTHH:MM", local time) to and from ms since epoch.

const precise = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
});

/** ms since epoch → local date and time to the millisecond; "—" when unknown. */
export function formatEventTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '—';
  return precise.format(new Date(ms));
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** ms → the value of a datetime-local input (local time, to the minute). */
export function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const date = new Date(ms);
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * A datetime-local value → ms; `end` gives the last millisecond of that minute, so "to 10:05"
 * includes what arrived during 10:05. Undefined when empty or not a date.
 */
export function fromLocalInput(value: string, end = false): number | undefined {
  if (value === '') return undefined;
  // Without an offset, a date-time string is read as local time.
  const ms = new Date(value).getTime();
  if (!Number.isFinite(ms)) return undefined;
  if (!end) return ms;
  return ms + (/T\d\d:\d\d:\d\d/.test(value) ? 999 : 59_999);
}
