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
