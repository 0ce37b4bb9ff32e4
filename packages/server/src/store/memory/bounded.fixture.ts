import { manualClock } from '../../testing/index.js';
import { type MemoryEviction, type MemoryStoreOptions, memoryStore } from './index.js';

/**
 * A bounded memory store on a manual clock, with what it reported to `onEvict`:
 * `evictions` in full, `evicted()` as store keys.
 */
export function boundedStore(options: MemoryStoreOptions) {
  const clock = manualClock();
  const evictions: MemoryEviction[] = [];
  const store = memoryStore({ now: clock.now, onEvict: (e) => evictions.push(e), ...options });
  return { clock, store, evictions, evicted: () => evictions.map((e) => e.id), t: clock.now() };
}
