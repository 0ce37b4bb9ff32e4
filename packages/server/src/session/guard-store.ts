import { ownTimeLimit, sharedDeadline } from '../store/deadlines.js';
import type { SessionStore } from '../store/types.js';
import { storeUnavailable } from './respond.js';

/** A store call failed or took too long; the middleware answers 503 `store_unavailable`. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  /**
   * Thrown in a handler (a cookie-less `/reauth` asking for a remember-me credential), the
   * error reaches Hono's error handler before `session()` answers it: with this, that handler
   * logs no stack trace, one per request all through an outage.
   */
  getResponse(): Response {
    return storeUnavailable();
  }
}

/**
 * Wraps a store so that every call either settles within `timeoutMs` or rejects with
 * {@link StoreUnavailableError}, and any failure (thrown synchronously or rejected) is
 * that error too. An outage must become a 503, never a hang, a crash or a logout.
 *
 * A call the store itself bounds within `timeoutMs` (see `OWN_TIME_LIMIT`) gets no
 * second limit here, only the error mapping: the memory store's calls settle at once, the
 * Redis store's reads within `commandTimeoutMs`.
 *
 * @example
 * const store = guardStore(redisStore(redis), 2_000);
 */
export function guardStore(store: SessionStore, timeoutMs: number): SessionStore {
  const guarded: Record<string, unknown> = {};
  const timedOut = () => new StoreUnavailableError(`store call timed out after ${timeoutMs} ms`);
  for (const key of Object.keys(storeMethods(store))) {
    const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
      key
    ];
    if (typeof method !== 'function') continue;
    const unavailable = (error: unknown) =>
      error instanceof StoreUnavailableError
        ? error
        : new StoreUnavailableError(`store.${key} failed`, { cause: error });
    const own = ownTimeLimit(method);
    const fail = (error: unknown) => Promise.reject(unavailable(error));
    // One shared timer per method; the limit itself maps a rejection, so the wrapper
    // needs no async frame of its own around every store call.
    const limit =
      own !== undefined && own <= timeoutMs
        ? (pending: Promise<unknown>) => pending.then(undefined, fail)
        : sharedDeadline(timeoutMs, timedOut, unavailable);
    guarded[key] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = method.apply(store, args);
      } catch (error) {
        return fail(error);
      }
      return limit(Promise.resolve(result));
    };
  }
  return guarded as unknown as SessionStore;
}

// Own and prototype methods alike: stores may be classes or plain objects.
function storeMethods(store: SessionStore): Record<string, true> {
  const names: Record<string, true> = {};
  for (let o: object | null = store; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o))
      if (name !== 'constructor') names[name] = true;
  }
  return names;
}
