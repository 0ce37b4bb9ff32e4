/**
 * The longest a store call may take before it counts as an outage (`storeTimeout`,
 * `commandTimeoutMs`): a stalled store must not hold requests open longer, and a timer past
 * 2^31-1 ms would fire at once.
 */
export const MAX_STORE_TIMEOUT_MS = 60_000;
