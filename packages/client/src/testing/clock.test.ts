import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './index.js';

describe('createVirtualClock: one tab throttled or frozen, the others not', () => {
  it('throttles the timers of one tab alone; clock.throttle() throttles every tab', () => {
    const clock = createVirtualClock();
    const [background, foreground] = [clock.forTab(), clock.forTab()];
    const fired: string[] = [];
    background.throttle(60_000);
    background.timers.setTimeout(() => fired.push('background'), 1000);
    foreground.timers.setTimeout(() => fired.push('foreground'), 1000);
    clock.advance(1000);
    expect(fired).toEqual(['foreground']);
    clock.advance(59_000);
    expect(fired).toEqual(['foreground', 'background']);

    clock.throttle(10_000);
    foreground.timers.setTimeout(() => fired.push('every tab'), 1000);
    clock.advance(9999);
    expect(fired).toHaveLength(2);
    clock.advance(1);
    expect(fired.at(-1)).toBe('every tab');
  });

  it('throttles timers set before the tab was throttled, and frees overdue ones when it ends', () => {
    const clock = createVirtualClock();
    const tab = clock.forTab();
    const fired: string[] = [];
    tab.timers.setTimeout(() => fired.push('set before'), 1000);
    tab.throttle(60_000); // the tab goes to the background
    tab.timers.setTimeout(() => fired.push('set while throttled'), 1000);
    clock.advance(2000);
    expect(fired).toEqual([]);
    tab.throttle(0); // back in the foreground: both are overdue
    clock.advance(0);
    expect(fired).toEqual(['set before', 'set while throttled']);
  });

  it('holds a frozen tab’s timers past their time, and fires the overdue ones on resume, in order', () => {
    const clock = createVirtualClock();
    const [frozen, other] = [clock.forTab(), clock.forTab()];
    const fired: string[] = [];
    frozen.timers.setTimeout(() => fired.push('second'), 2000);
    frozen.timers.setTimeout(() => fired.push('first'), 1000);
    const cleared = frozen.timers.setTimeout(() => fired.push('cleared'), 1500);
    other.timers.setTimeout(() => fired.push('other tab'), 1000);
    frozen.freeze();
    clock.advance(5000);
    expect(fired).toEqual(['other tab']);
    expect(clock.pending()).toBe(3);
    frozen.timers.clearTimeout(cleared);
    frozen.resume();
    expect(fired).toEqual(['other tab', 'first', 'second']);
    expect(clock.pending()).toBe(0);
  });
});
