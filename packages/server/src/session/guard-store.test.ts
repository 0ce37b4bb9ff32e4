import { describe, expect, it } from 'vitest';
import { declareOwnTimeLimits, ownTimeLimit } from '../store/deadlines.js';
import { memoryStore } from '../store/memory/memory-store.js';
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

  it('adds no second limit to a call the store bounds within the timeout, and still maps its failures', async () => {
    const stalled = new Promise(() => {});
    const bounded = guardStore(
      declareOwnTimeLimits(
        storeWith(() => stalled),
        { get: 10 },
      ),
      20,
    );
    const outcome = await Promise.race([
      bounded.get('a').then(
        () => 'settled',
        () => 'settled',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still pending'), 60)),
    ]);
    expect(outcome).toBe('still pending');

    const cause = new Error('connection reset');
    const failing = guardStore(
      declareOwnTimeLimits(
        storeWith(() => Promise.reject(cause)),
        { get: 10 },
      ),
      20,
    );
    await expect(failing.get('a')).rejects.toMatchObject({ message: 'store.get failed', cause });
    const throwing = guardStore(
      declareOwnTimeLimits(
        storeWith(() => {
          throw cause;
        }),
        { get: 10 },
      ),
      20,
    );
    await expect(throwing.get('a')).rejects.toMatchObject({ message: 'store.get failed', cause });
  });

  it('keeps its own limit where a method declares a longer one, or none, or is wrapped', async () => {
    const hang = () => new Promise(() => {});
    const longer = declareOwnTimeLimits(
      storeWith(() => new Promise(() => {})),
      { get: 5_000 },
    );
    await expect(guardStore(longer, 20).get('a')).rejects.toThrow(StoreUnavailableError);
    // A Proxy that forwards everything but hands out its own (here: hanging) methods.
    const inner = declareOwnTimeLimits(
      storeWith(async () => null),
      { get: 0 },
    );
    const proxied = new Proxy(inner, {
      get: (target, key, receiver) => (key === 'get' ? hang : Reflect.get(target, key, receiver)),
    });
    expect(ownTimeLimit(proxied.get)).toBeUndefined();
    await expect(guardStore(proxied, 20).get('a')).rejects.toThrow(StoreUnavailableError);
    // A spread copy with the method replaced; an untouched method keeps its declaration.
    const copied = { ...inner, get: hang } as unknown as SessionStore;
    await expect(guardStore(copied, 20).get('a')).rejects.toThrow(StoreUnavailableError);
    expect(ownTimeLimit({ ...inner }.get)).toBe(0);
    expect(ownTimeLimit(inner.get.bind(inner))).toBeUndefined();
  });

  it('knows every memory store call settles at once', () => {
    const store = memoryStore() as unknown as Record<string, unknown>;
    for (const method of ['get', 'getAndTouch', 'create', 'update', 'end', 'getCredential']) {
      expect(ownTimeLimit(store[method]), method).toBe(0);
    }
  });
});
