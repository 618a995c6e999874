// How numbers are written in progress lines, notes and the table.

/** "10 000" rather than "10000": counts are easier to read grouped. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
}

/** Three significant digits at most, grouped when large: 7 412, 13.1, 0.872. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return formatCount(value);
  return String(Number(value.toPrecision(3)));
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
