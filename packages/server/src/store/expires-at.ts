/**
 * Refuses an `expiresAt` that is not whole epoch milliseconds, before a store writes
 * anything. The middleware's clock gives whole milliseconds (its `now` option is checked at
 * start-up); a direct caller's fraction would otherwise fail Redis's `PEXPIREAT` halfway
 * through a script, after the fields were written, and `NaN` would break the memory
 * store's expiry order.
 */
export function checkExpiresAt(store: string, expiresAt: unknown): void {
  if (Number.isSafeInteger(expiresAt)) return;
  const shown = typeof expiresAt === 'number' ? expiresAt : typeof expiresAt;
  throw new TypeError(`${store}: expiresAt must be whole epoch milliseconds, got ${shown}`);
}

/**
 * The latest instant a JavaScript `Date` can hold (year 275760). No real deadline is later,
 * and one that is not, plus any duration the options allow (at most 400 days), is still a
 * safe integer: a stored deadline past it could be read but never written back.
 */
export const MAX_EPOCH_MS = 8.64e15;

/** Whole epoch milliseconds a store may hold: from 0 to `MAX_EPOCH_MS`. */
export function isEpochMs(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_EPOCH_MS;
}
