import type { SessionStore } from '@lifeline/server';
import { OWN_TIME_LIMIT } from '../../packages/server/src/store/deadlines.js';

/** Store calls seen since the last reset. */
export interface StoreCounts {
  reads: number;
  writes: number;
}

// A getAndTouch is one store call whatever it does: counted as the read it always is.
const READS = new Set<keyof SessionStore>(['get', 'getAndTouch', 'listByUser', 'getCredential']);

/**
 * Wraps a store so every call is counted as a read or a write: the benchmark reports
 * store traffic per request next to throughput, since a remote store pays a round trip
 * for each.
 */
export function countingStore(inner: SessionStore): { store: SessionStore; counts: StoreCounts } {
  const counts: StoreCounts = { reads: 0, writes: 0 };
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      const kind = READS.has(property as keyof SessionStore) ? 'reads' : 'writes';
      const counted = (...args: unknown[]) => {
        counts[kind]++;
        return Reflect.apply(value, target, args);
      };
      // Counting adds no waiting: a method that settles on its own still does, so the
      // middleware's guard treats it as it treats the store's own (one time limit, not two).
      const own: unknown = (value as { [OWN_TIME_LIMIT]?: unknown })[OWN_TIME_LIMIT];
      if (own !== undefined) Object.defineProperty(counted, OWN_TIME_LIMIT, { value: own });
      return counted;
    },
  });
  return { store, counts };
}
