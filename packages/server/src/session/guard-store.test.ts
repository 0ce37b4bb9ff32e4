import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../store/types.js';
import { guardStore, StoreUnavailableError } from './guard-store.js';

/** A store whose `get` does what each case needs; nothing else is called. */
function storeWith(get: (sid: string) => unknown): SessionStore {
  return { get } as unknown as SessionStore;
}

describe('guardStore', () => {
  it('passes answers through', async () => {
    const store = guardStore(
      storeWith(async (sid) => ({ sid })),
      1_000,
    );
    await expect(store.get('a')).resolves.toEqual({ sid: 'a' });
  });

  it('turns a rejection, a synchronous throw and a timeout into StoreUnavailableError', async () => {
    const cause = new Error('connection reset');
    const rejecting = guardStore(
      storeWith(() => Promise.reject(cause)),
      1_000,
    );
    await expect(rejecting.get('a')).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      message: 'store.get failed',
      cause,
    });
    const throwing = guardStore(
      storeWith(() => {
        throw cause;
      }),
      1_000,
    );
    await expect(throwing.get('a')).rejects.toMatchObject({ message: 'store.get failed', cause });
    const stalled = guardStore(
      storeWith(() => new Promise(() => {})),
      20,
    );
    await expect(stalled.get('a')).rejects.toThrow(StoreUnavailableError);
  });

  it('passes a StoreUnavailableError on as it is, and wraps a class store’s methods', async () => {
    const own = new StoreUnavailableError('inner');
    const store = guardStore(
      storeWith(() => Promise.reject(own)),
      1_000,
    );
    await expect(store.get('a')).rejects.toBe(own);
    class Store {
      async get(sid: string) {
        return sid;
      }
    }
    await expect(guardStore(new Store() as unknown as SessionStore, 1_000).get('b')).resolves.toBe(
      'b',
    );
  });
});
