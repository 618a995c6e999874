// How the rooms list says times relative to now (public/src/relative-time.ts): by the minute, so that the
// shared ticker changes a text at most once a minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAgo, formatLasting } from '../public/src/relative-time.js';

const NOW = Date.parse('2030-01-15T12:00:00Z');
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const DAY = 24 * H;

test('"… ago": just now, minutes, hours, days, then the date', () => {
  const cases: [number, string][] = [
    [0, 'just now'],
    [59 * S, 'just now'],
    [60 * S, '1 min ago'],
    [3 * MIN + 59 * S, '3 min ago'],
    [59 * MIN, '59 min ago'],
    [H, '1 h ago'],
    [23 * H + 59 * MIN, '23 h ago'],
    [DAY, 'yesterday'],
    [2 * DAY, '2 days ago'],
    [29 * DAY, '29 days ago'],
  ];
  for (const [elapsed, text] of cases) assert.equal(formatAgo(NOW - elapsed, NOW), text, `${elapsed} ms`);
  assert.match(formatAgo(NOW - 40 * DAY, NOW), /2029|Dec/, 'a month or more: the date');
  // A time a little ahead of this browser's clock (roomwatch's clock ahead) is now, not "in 2 min".
  assert.equal(formatAgo(NOW + 2 * MIN, NOW), 'just now');
  assert.equal(formatAgo(0, NOW), '—');
});

test('"in a meeting for …": under a minute, minutes, hours and minutes, days and hours', () => {
  const cases: [number, string][] = [
    [0, 'less than a minute'],
    [59 * S, 'less than a minute'],
    [12 * MIN + 30 * S, '12 min'],
    [H, '1 h'],
    [H + 5 * MIN, '1 h 5 min'],
    [DAY, '1 day'],
    [2 * DAY + 3 * H + 10 * MIN, '2 days 3 h'],
  ];
  for (const [elapsed, text] of cases) assert.equal(formatLasting(NOW - elapsed, NOW), text, `${elapsed} ms`);
  assert.equal(formatLasting(NOW + MIN, NOW), 'less than a minute');
});
