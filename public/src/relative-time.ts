// Times relative to now, as a person says them: "just now", "3 min ago", "in a meeting for 12 min".
// Minutes are the finest step, so the shared ticker (ticker.ts) only changes text once a minute.
import { formatDateTime } from './format.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** ms since epoch → "just now", "3 min ago", "5 h ago", "2 days ago"; a month or more → the date. */
export function formatAgo(ms: number, now: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '—';
  // A time ahead of this browser's clock (roomwatch's clock runs a little ahead) is now.
  const elapsed = Math.max(0, now - ms);
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < 30 * DAY) {
    const days = Math.floor(elapsed / DAY);
    return days === 1 ? 'yesterday' : `${days} days ago`;
  }
  return formatDateTime(ms);
}

/** How long since `since`, for something still going on: "less than a minute", "12 min", "1 h 5 min", "2 days 3 h". */
export function formatLasting(since: number, now: number): string {
  const elapsed = Math.max(0, now - since);
  if (elapsed < MINUTE) return 'less than a minute';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min`;
  if (elapsed < DAY) {
    const minutes = Math.floor((elapsed % HOUR) / MINUTE);
    return `${Math.floor(elapsed / HOUR)} h${minutes === 0 ? '' : ` ${minutes} min`}`;
  }
  const days = Math.floor(elapsed / DAY);
  const hours = Math.floor((elapsed % DAY) / HOUR);
  return `${days} day${days === 1 ? '' : 's'}${hours === 0 ? '' : ` ${hours} h`}`;
}
