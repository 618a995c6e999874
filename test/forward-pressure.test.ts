// When deliveries give way to intake: only in a window where the event loop was nearly full *and* webhooks
// kept coming. A light steady load, or the forwarder catching up alone, never slows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBurst } from '../server/forward/intake-pressure.js';

const cases: [what: string, utilization: number, webhooksStored: number, burst: boolean][] = [
  ['a closed-loop burst: the loop full, hundreds stored', 0.99, 900, true],
  ['the loop three-quarters busy, 20 stored in the window (200/s)', 0.75, 20, true],
  ['a steady 20/s: 2 stored, the loop nearly idle', 0.03, 2, false],
  ['the forwarder catching up a backlog alone: the loop full, nothing stored', 1, 0, false],
  ['the loop full, a trickle of webhooks (100/s)', 0.95, 10, false],
  ['many webhooks, yet the loop has room', 0.5, 500, false],
];
for (const [what, utilization, webhooksStored, burst] of cases) {
  test(`${what}: ${burst ? 'deliveries give way' : 'deliveries go at once'}`, () => {
    assert.equal(isBurst(utilization, webhooksStored), burst);
  });
}
