/**
 * How many commands a whole-index operation (a listing, a revoke-all) keeps in flight at
 * once. Sent all together, the commands for a user with 100k entries queue behind each
 * other in Redis and on the connection, and the later ones exceed their own time limit
 * (counted from when each was sent): the operation failed for good, and stalled every
 * other request on that connection meanwhile. In batches, each waits only for its batch.
 */
export const BATCH = 256;

/** `fn` over `items`, `BATCH` at a time, results in order. */
export async function mapInBatches<T, R>(
  items: readonly T[],
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += BATCH) {
    out.push(...(await Promise.all(items.slice(start, start + BATCH).map(fn))));
  }
  return out;
}
