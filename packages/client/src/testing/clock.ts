import type { Timers } from '../types.js';

/** One tab's timers, as far as the browser treats them apart. */
interface View {
  minDelay: number;
  frozen: boolean;
}

interface Pending {
  id: number;
  /** When it was set, and the delay asked for: throttling applies when it would fire. */
  setAt: number;
  ms: number;
  fn: () => void;
  view: View;
}

/** One tab's timers over the shared clock, with what a browser does to a background tab. */
export interface TabTimers {
  timers: Timers;
  /**
   * This tab's timers fire no sooner than `ms` after they were set (`0` turns it off, and
   * timers it held past their time fire at once), those already set included, as a browser
   * throttles a tab that goes to the background.
   */
  throttle(ms: number): void;
  /** This tab's timers stop firing: those falling due meanwhile wait for `resume()`. */
  freeze(): void;
  /** Fires this tab's overdue timers now, in order; the others fire as they fall due. */
  resume(): void;
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
  /**
   * Throttling in every tab at once: no timer fires sooner than `ms` after it was set (`0`
   * turns it off; timers it held past their time then fire at once). A browser throttles
   * only background tabs: see {@link VirtualClock.forTab}.
   */
  throttle(ms: number): void;
  /** Timers still pending, a frozen tab's included. */
  pending(): number;
  /** Timers of their own for one tab, on this clock, to throttle or freeze that tab alone. */
  forTab(): TabTimers;
}

/**
 * Makes a virtual clock starting at `start` (epoch ms). Pass `now` and `timers` to
 * `createSessionClient` to test sleep, throttling and long waits in milliseconds.
 */
export function createVirtualClock(start = Date.UTC(2030, 0, 1)): VirtualClock {
  let time = start;
  let nextId = 1;
  let queue: Pending[] = [];
  const everyTab: View = { minDelay: 0, frozen: false };
  const makeTimers = (view: View): Timers => ({
    setTimeout(fn, ms) {
      const id = nextId++;
      // As browsers do: a delay that is no positive number (`NaN` included), or past what
      // their 32-bit timers hold (`Infinity` included), is 0.
      queue.push({ id, setAt: time, ms: ms > 0 && ms <= 2_147_483_647 ? ms : 0, fn, view });
      return id;
    },
    clearTimeout(handle) {
      queue = queue.filter((t) => t.id !== handle);
    },
  });
  /**
   * When a timer fires under the throttling in force now, as a browser applies it: a timer
   * set before its tab was throttled waits too, and one set while throttled fires once the
   * throttling ends, if overdue.
   */
  const dueAt = (t: Pending) => t.setAt + Math.max(everyTab.minDelay, t.view.minDelay, t.ms, 0);
  /** Fires the next timer due by `until` (of `only` that view); false when there is none. */
  const fireNext = (until: number, only?: (t: Pending) => boolean): boolean => {
    const due = queue
      .filter((t) => dueAt(t) <= until && !t.view.frozen && (!only || only(t)))
      .sort((a, b) => dueAt(a) - dueAt(b) || a.id - b.id)[0];
    if (!due) return false;
    queue = queue.filter((t) => t !== due);
    time = Math.max(time, dueAt(due));
    due.fn();
    return true;
  };
  /** `ms` as a step of time: time never runs back, nor becomes `NaN`. */
  const step = (what: string, ms: number) => {
    if (!(ms >= 0 && ms < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`Lifeline testing: ${what}(ms) takes a finite ms >= 0, got ${ms}`);
    }
    return time + ms;
  };
  /**
   * Sets a throttling delay, then fires at once the timers (of `view`, else every tab's)
   * that it held past their time and no longer holds. Timers overdue for another reason
   * (a `sleep`) wait for the next advance, as before.
   */
  const rethrottle = (target: View, ms: number, view?: View) => {
    step('throttle', ms); // a NaN delay would hold every timer for good, silently
    const mine = (t: Pending) => !view || t.view === view;
    const held = new Set(queue.filter((t) => mine(t) && dueAt(t) > time));
    target.minDelay = ms;
    while (fireNext(time, (t) => held.has(t)));
  };
  return {
    now: () => time,
    timers: makeTimers(everyTab),
    advance(ms) {
      const until = step('advance', ms);
      while (fireNext(until));
      // A timer may have slept the clock past `until`.
      time = Math.max(time, until);
    },
    async advanceAsync(ms) {
      const until = step('advanceAsync', ms);
      do {
        // Rounds enough for a fetch answer read as JSON and a cross-tab delivery after it,
        // also under Node's own `Response` (see `flush`).
        for (let i = 0; i < 50; i++) await Promise.resolve();
      } while (fireNext(until));
      time = Math.max(time, until);
    },
    sleep(ms) {
      time = step('sleep', ms);
    },
    throttle(ms) {
      rethrottle(everyTab, ms);
    },
    pending: () => queue.length,
    forTab() {
      const view: View = { minDelay: 0, frozen: false };
      return {
        timers: makeTimers(view),
        throttle(ms) {
          rethrottle(view, ms, view);
        },
        freeze() {
          view.frozen = true;
        },
        resume() {
          view.frozen = false;
          while (fireNext(time, (t) => t.view === view));
        },
      };
    },
  };
}
