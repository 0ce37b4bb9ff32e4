import { describe } from 'vitest';
import { confirmCases } from './conformance/confirm.js';
import { credentialCases } from './conformance/credentials.js';
import { dataLimitCases } from './conformance/data-limits.js';
import { endingCases } from './conformance/ending.js';
import { expireCases } from './conformance/expire.js';
import { expiryCases } from './conformance/expiry.js';
import { recordCases } from './conformance/records.js';
import { rotationCases } from './conformance/rotation.js';
import { touchCases } from './conformance/touch.js';
import { updateCases } from './conformance/updates.js';
import { userIndexCases } from './conformance/user-index.js';
import { type StoreFactory, storeContext } from './context.js';

/** Options of {@link describeStoreConformance}. */
export interface ConformanceOptions {
  /**
   * How far ahead the expiry tests set a deadline, ms. Default `400`: the record must still
   * be there when read back right after the write, also on a loaded machine.
   */
  expiryTtlMs?: number;
  /**
   * How long past that deadline they look again, ms. Default `250`. Raise it for a
   * backend whose expiry lags (a remote server, a clock that ticks coarsely).
   */
  expirySettleMs?: number;
  /**
   * Whether the store implements the optional `getAndTouch` (a read with its touch in one
   * round trip). Default `true`: its cases run and fail if it is missing.
   */
  getAndTouch?: boolean;
  /**
   * Whether the store implements the optional `confirmRotation` (and keeps `previous`
   * with its `confirmed` flag as given). Default `true`: its cases run and fail if it is
   * missing.
   */
  confirmRotation?: boolean;
  /**
   * Whether the store implements the optional `endIfExpired` (an ending only while a
   * deadline has passed). Default `true`: its cases run and fail if it is missing.
   */
  endIfExpired?: boolean;
}

/**
 * Registers the storage contract every Lifeline store must meet, as Vitest tests against
 * a real backend: round trips, the read with its touch, per-key updates that never clash or resurrect, refusal of data no store can keep
 * (nested too deep, keys that are not well-formed Unicode) and of wrongly typed meta, rotation as
 * an exact compare-and-set under 20 parallel callers, its confirmation, tombstones, the ending
 * of an expired session only while it still is, the user index,
 * remember-me credentials and real-time expiry.
 *
 * Each test gets a fresh store from `factory` and uses random keys, so a shared backend
 * (one Redis database) works without flushing between tests. The store must use the
 * real clock (`Date.now`), since the expiry tests wait in real time.
 *
 * @example
 * // my-store.test.ts
 * import { describeStoreConformance } from '@lifeline/server/testing';
 * describeStoreConformance('my-store', async () => {
 *   const store = await myStore({ url: process.env.DATABASE_URL });
 *   return { store, cleanup: () => store.close() };
 * });
 */
export function describeStoreConformance(
  name: string,
  factory: StoreFactory,
  options: ConformanceOptions = {},
): void {
  const {
    expiryTtlMs = 400,
    expirySettleMs = 250,
    getAndTouch = true,
    confirmRotation = true,
    endIfExpired = true,
  } = options;
  describe(`${name}: SessionStore conformance`, () => {
    const ctx = storeContext(factory);
    recordCases(ctx);
    updateCases(ctx);
    dataLimitCases(ctx);
    rotationCases(ctx);
    if (confirmRotation) confirmCases(ctx);
    if (getAndTouch) touchCases(ctx);
    endingCases(ctx);
    if (endIfExpired) expireCases(ctx);
    userIndexCases(ctx);
    credentialCases(ctx);
    expiryCases(ctx, { ttlMs: expiryTtlMs, settleMs: expirySettleMs, confirmRotation });
  });
}
