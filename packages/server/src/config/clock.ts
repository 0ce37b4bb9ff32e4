/** What a `now` option must be, for the start-up error that names it. */
export const EPOCH_CLOCK = 'must be a function returning whole epoch milliseconds, like Date.now';

/**
 * Whether `now` is a clock the package can use: a function whose reading is a whole,
 * non-negative number of epoch milliseconds. Read once, where the option is given: a
 * clock answering fractions (`performance.timeOrigin + performance.now()`), `NaN` or a
 * string would otherwise fail store writes later as an outage (Redis refuses a
 * fractional `PEXPIREAT`), far from the option that caused it.
 */
export function isEpochClock(now: unknown): now is () => number {
  if (typeof now !== 'function') return false;
  let reading: unknown;
  try {
    reading = now();
  } catch {
    return false;
  }
  return Number.isSafeInteger(reading) && (reading as number) >= 0;
}
