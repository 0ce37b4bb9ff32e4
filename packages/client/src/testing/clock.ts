import type { Timers } from '../types.js';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock and timers under the test's control. */
export interface VirtualClock {
  now(): number;
  timers: Timers;
  /**
   * Moves time forward, firing every timer that falls due, in order, back to back: promise
   * callbacks (fetch answers, channel deliveries) run only after it returns, so a request a
   * timer sends is answered as if it took the rest of the advance. Fine for short steps;
   * over a long stretch use {@link VirtualClock.advanceAsync}.
   */
  advance(ms: number): void;
  /**
   * Moves time forward like `advance`, letting queued promises run after each timer, as a
   * browser runs them between tasks: requests are answered at the time they are sent.
   */
  advanceAsync(ms: number): Promise<void>;
  /** Laptop sleep: time jumps and nothing runs; overdue timers fire on the next `advance`. */
  sleep(ms: number): void;
  /** Background-tab throttling: no timer fires sooner than `ms` after it was set (`0` turns it off). */
  throttle(ms: number): void;
  /** Timers still pending. */
  pending(): number;
}

/**
 * Makes a virtual clock starting at `start` (epoch ms). Pass `now` and `timers` to
 * `createSessionClient` to test sleep, throttling and long waits in milliseconds.
 */
export function createVirtualClock(start = Date.UTC(2030, 0, 1)): VirtualClock {
  let time = start;
  let nextId = 1;
  let minDelay = 0;
  let queue: Pending[] = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = nextId++;
      queue.push({ id, at: time + Math.max(minDelay, ms, 0), fn });
      return id;
    },
    clearTimeout(handle) {
      queue = queue.filter((t) => t.id !== handle);
    },
  };
  /** Fires the next timer due by `until`; false when there is none. */
  const fireNext = (until: number): boolean => {
    const due = queue.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (!due) return false;
    queue = queue.filter((t) => t !== due);
    time = Math.max(time, due.at);
    due.fn();
    return true;
  };
  return {
    now: () => time,
    timers,
    advance(ms) {
      const until = time + ms;
      while (fireNext(until));
      time = until;
    },
    async advanceAsync(ms) {
      const until = time + ms;
      do {
        // Rounds enough for a fetch answer read as JSON and a cross-tab delivery after it.
        for (let i = 0; i < 20; i++) await Promise.resolve();
      } while (fireNext(until));
      time = until;
    },
    sleep(ms) {
      time += ms;
    },
    throttle(ms) {
      minDelay = ms;
    },
    pending: () => queue.length,
  };
}
