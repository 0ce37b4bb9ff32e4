import type { SessionStore } from '@lifeline/server';

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
      return (...args: unknown[]) => {
        counts[kind]++;
        return Reflect.apply(value, target, args);
      };
    },
  });
  return { store, counts };
}
