/** What a `now` option must be, for the start-up error that names it. */
export const EPOCH_CLOCK =
  'must be a function returning whole epoch milliseconds (before the year 10000), like Date.now';

/**
 * The last millisecond of 9999: far past any real clock, and a deadline 400 days later is
 * still a `Date`. A microsecond clock (`Date.now() * 1000`, about 1.8e15) reads past it.
 */
const LAST_EPOCH_MS = 253_402_300_799_999;

/**
 * Whether `now` is a clock the package can use: a function whose reading is a whole,
 * non-negative number of epoch milliseconds before the year 10000. Read once, where the
 * option is given: a clock answering fractions (`performance.timeOrigin +
 * performance.now()`), `NaN` or a string would otherwise fail store writes later as an
 * outage (Redis refuses a fractional `PEXPIREAT`), far from the option that caused it,
 * and one counting microseconds would read every timeout a thousand times too short.
 */
export function isEpochClock(now: unknown): now is () => number {
  if (typeof now !== 'function') return false;
  let reading: unknown;
  try {
    reading = now();
  } catch {
    return false;
  }
  return (
    Number.isSafeInteger(reading) &&
    (reading as number) >= 0 &&
    (reading as number) <= LAST_EPOCH_MS
  );
}
