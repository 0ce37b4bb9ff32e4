import type { LockManagerLike } from '../types.js';

/** Fake Web Locks shared by simulated tabs: exclusive, first come first served. */
export interface FakeLocks extends LockManagerLike {
  /** Locks held or waited for right now. */
  active(): number;
}

/** Makes fake Web Locks (exclusive mode only, as the client uses). */
export function createFakeLocks(): FakeLocks {
  const tails = new Map<string, Promise<unknown>>();
  let active = 0;
  return {
    request(name, _options, callback) {
      active++;
      const prev = tails.get(name) ?? Promise.resolve();
      const run = prev.then(callback, callback);
      const tail = run
        .catch(() => undefined)
        .finally(() => {
          active--;
          if (tails.get(name) === tail) tails.delete(name);
        });
      tails.set(name, tail);
      return run;
    },
    active: () => active,
  };
}
