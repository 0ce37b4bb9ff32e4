// @vitest-environment node
import { expect, it } from 'vitest';
import { createVirtualClock } from './index.js';

// clock.ts docs: sleep — "time jumps and nothing runs; overdue timers fire on the next
// `advance`"; throttle — "`0` turns it off; timers it held past their time then fire at once".
// Turning throttling ON after a sleep must not run anything.
it('turning throttling on (tab.throttle(ms > 0)) after a sleep runs no timer', () => {
  const clock = createVirtualClock(0);
  const tab = clock.forTab();
  let fired = 0;
  tab.timers.setTimeout(() => fired++, 100);
  clock.sleep(60_000); // laptop asleep for a minute
  tab.throttle(1_000); // the tab goes to the background on wake
  expect(fired).toBe(0);
});

it('show() of a tab never throttled, after a sleep, runs no timer before the next advance', () => {
  const clock = createVirtualClock(0);
  const tab = clock.forTab();
  let fired = 0;
  tab.timers.setTimeout(() => fired++, 100);
  clock.sleep(60_000);
  tab.throttle(0); // what SimulatedTab.show() now calls
  expect(fired).toBe(0);
});
