// One timer for every text that follows the clock ("3 min ago", "in a meeting for 12 min"), however many
// rows show one: each listener gets the same `now` and rewrites only the texts that changed.

/** Relative times change by the minute; a tick every 15 s shows each change at most 15 s late. */
const TICK_MS = 15_000;

type TickListener = (now: number) => void;

const listeners = new Set<TickListener>();
let timer: number | undefined;

export function onTick(listener: TickListener): () => void {
  listeners.add(listener);
  timer ??= window.setInterval(() => {
    const now = Date.now();
    for (const each of listeners) each(now);
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}
