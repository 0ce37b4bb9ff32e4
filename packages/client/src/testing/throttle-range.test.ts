// docs/client.md: "Time only moves forward: `advance`, `advanceAsync` and `sleep` throw a
// `RangeError` for a negative, `NaN` or infinite `ms`". `throttle(NaN)` (a computed delay
// gone wrong) is taken as is, and `dueAt` (clock.ts) becomes NaN: every timer of that view
// then never fires, and no advance, nor `throttle(0)`, gives a hint why.
import { expect, it } from 'vitest';
import { createVirtualClock } from './index.js';

it('throttle(NaN) is refused, or leaves timers firing', () => {
  const clock = createVirtualClock(0);
  let fired = false;
  clock.timers.setTimeout(() => {
    fired = true;
  }, 10);
  let refused = false;
  try {
    clock.throttle(Number.NaN);
  } catch (error) {
    refused = error instanceof RangeError;
  }
  clock.advance(3_600_000);
  expect(refused || fired).toBe(true);
});
