// How numbers from rows read on screen: durations (seconds) as "1h 2m 3s", sizes (bytes) as "8.3 MB",
// times as the browser's local date and time (to the minute, or to the second), people as "1 participant".

/** Seconds → "1h 2m 3s" / "2m 5s" / "42s"; fractions are rounded to whole seconds. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Bytes → "0 B", "512 B", "8.3 MB", "1.2 TB" (powers of 1000, like file managers and Meet's tutorial). */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = unit === 0 ? String(Math.round(value)) : value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${shown} ${SIZE_UNITS[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Formatted minutes: a list of rows mostly shares a few, and Intl formatting is the costly part. */
const byMinute = new Map<number, string>();

/** ms since epoch → local date and time (to the minute), "—" when unknown. */
export function formatDateTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return '—';
  const minute = Math.floor(ms / 60_000);
  let text = byMinute.get(minute);
  if (text === undefined) {
    if (byMinute.size > 2000) byMinute.clear();
    text = dateTime.format(new Date(ms));
    byMinute.set(minute, text);
  }
  return text;
}

const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const bySecond = new Map<number, string>();

/** ms since epoch → local date and time to the second (a tooltip under a relative time), "—" when unknown. */
export function formatExactTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return '—';
  const second = Math.floor(ms / 1000);
  let text = bySecond.get(second);
  if (text === undefined) {
    if (bySecond.size > 2000) bySecond.clear();
    text = exact.format(new Date(ms));
    bySecond.set(second, text);
  }
  return text;
}

/** A participant count → "no participants" / "1 participant" / "12 participants". */
export function formatParticipants(count: number): string {
  if (count === 0) return 'no participants';
  return `${count} participant${count === 1 ? '' : 's'}`;
}

/** Who took part in a past session: "3 took part: Ana, Bruno, Chen", at most three names and how many more. */
export function formatAttendance({ count, names }: { count: number; names: string[] }): string {
  if (names.length === 0) return `${count} took part`;
  const shown = names.slice(0, 3).join(', ');
  const more = count - Math.min(names.length, 3);
  return `${count} took part: ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}
