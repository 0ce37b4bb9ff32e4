/** A clock that only moves when told: pass `now` to a store or the middleware. */
export interface ManualClock {
  now(): number;
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/**
 * A hand-driven clock, so deadlines pass in tests without waiting.
 *
 * @example
 * const clock = manualClock();
 * const store = memoryStore({ now: clock.now });
 * clock.advance(31 * 60_000); // past the idle timeout
 */
export function manualClock(start = 1_700_000_000_000): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance(ms: number): void {
      time += ms;
    },
  };
}
