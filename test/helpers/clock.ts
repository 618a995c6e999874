// Clocks a test controls, for roomwatch's injectable `now` (startTestServer(env, dataDir, { now })):
// ordering and expiry are then decided by the test, not by how fast the machine runs it.

export interface TestClock {
  /** The time in ms since the epoch; pass it as `now`. */
  readonly now: () => number;
  /** Moves the clock forward by `ms` (> 0). */
  advance(ms: number): void;
}

/** Stands still until advanced: every reading is exactly the time the test set. */
export function manualClock(start = Date.now()): TestClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      assertForward(ms);
      time += ms;
    },
  };
}

/**
 * Runs with real time, and `advance` adds to it: two readings with an advance between them are at least
 * that far apart. For a whole app whose other timers must keep running (the browser tests).
 */
export function runningClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      assertForward(ms);
      offset += ms;
    },
  };
}

function assertForward(ms: number): void {
  if (!(ms > 0)) throw new RangeError(`a test clock only moves forward; advance(${ms}) asks otherwise`);
}
