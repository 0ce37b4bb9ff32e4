// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './index.js';

/**
 * The virtual clock, as an app's suite drives it. Its docs: `advance(ms)` "moves time
 * forward", `sleep(ms)` is "time jumps"; `tab.throttle(0)` "turns it off ... when it ends,
 * the overdue ones fire at once".
 */
describe('the virtual clock never runs back and refuses nonsense', () => {
  it('advance() and advanceAsync() with a negative or NaN ms throw instead of moving time back', async () => {
    const clock = createVirtualClock(1_000_000);
    // It used to be: advance(-500) sets the clock 500 ms back, advance(NaN) makes now() NaN.
    expect(() => clock.advance(-500)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000_000);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000_000);
    await expect(clock.advanceAsync(-1)).rejects.toThrow(RangeError);
    expect(clock.now()).toBe(1_000_000);
  });

  it('sleep() with a negative ms throws instead of moving time back', () => {
    const clock = createVirtualClock(1_000_000);
    expect(() => clock.sleep(-60_000)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000_000);
  });

  it('a sleep inside a timer is not undone by the advance that fired it', () => {
    // e.g. a test helper that puts the laptop to sleep when some timer fires
    const clock = createVirtualClock(0);
    clock.timers.setTimeout(() => clock.sleep(3_600_000), 100);
    clock.advance(1000);
    // It used to be: 1000, the hour of sleep is silently taken back.
    expect(clock.now()).toBeGreaterThanOrEqual(3_600_100);
  });

  it('a timer set with a NaN delay fires at once, as in browsers (HTML: NaN converts to 0)', () => {
    const clock = createVirtualClock(0);
    let fired = false;
    clock.timers.setTimeout(() => {
      fired = true;
    }, Number.NaN);
    clock.advance(10);
    // It used to be: its due time is NaN, it never fires and pending() never drops to 0.
    expect(fired).toBe(true);
    expect(clock.pending()).toBe(0);
  });
});

describe('ending a tab’s throttling', () => {
  it('tab.throttle(0) fires the overdue timers at once, as documented', () => {
    const clock = createVirtualClock(0);
    const tab = clock.forTab();
    let fired = false;
    tab.timers.setTimeout(() => {
      fired = true;
    }, 500);
    tab.throttle(60_000);
    clock.advance(1000);
    expect(fired).toBe(false); // throttled: fine
    tab.throttle(0);
    // docs/client.md: "(`0` turns it off) ... when it ends, the overdue ones fire at once".
    // Today they wait for the next advance().
    expect(fired).toBe(true);
  });
});
