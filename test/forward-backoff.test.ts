// When a failed delivery is tried again: from 1 s, doubling, never past 5 min, with jitter in the upper half.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BACKOFF, retryDelayMs } from '../server/forward/backoff.js';

const cases: [failures: number, low: number, high: number][] = [
  [1, 500, 1000],
  [2, 1000, 2000],
  [3, 2000, 4000],
  [9, 128_000, 256_000],
  [10, 150_000, 300_000],
  [50, 150_000, 300_000],
];
for (const [failures, low, high] of cases) {
  test(`after ${failures} failure(s) the next try is ${low / 1000}–${high / 1000} s later`, () => {
    assert.equal(retryDelayMs(failures, DEFAULT_BACKOFF, 0), low);
    assert.equal(retryDelayMs(failures, DEFAULT_BACKOFF, 0.999_999), high);
  });
}
