import type { Timers } from '../types.js';

// Browsers run a longer delay at once (32-bit overflow); re-arming on wake covers the rest.
const MAX_DELAY = 2 ** 31 - 1;

/** One timer for the next deadline: arming replaces whatever was armed before. */
export function createDeadlineTimer(timers: Timers, now: () => number, fire: () => void) {
  let handle: unknown = null;
  const disarm = () => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
  };
  return {
    arm(at: number | null): void {
      disarm();
      if (at === null) return;
      const delay = Math.min(MAX_DELAY, Math.max(0, at - now()));
      handle = timers.setTimeout(() => {
        handle = null;
        fire();
      }, delay);
    },
    disarm,
  };
}
