import { afterEach, beforeEach } from 'vitest';
import type { SessionStore } from '../store/types.js';

/** What a factory may return: the store alone, or the store with its own cleanup. */
export type StoreUnderTest = SessionStore | { store: SessionStore; cleanup?: () => unknown };

/** Builds a fresh store for one test; may be async (connect, flush a test database). */
export type StoreFactory = () => StoreUnderTest | Promise<StoreUnderTest>;

/** The store of the test that is running. */
export interface StoreContext {
  readonly store: SessionStore;
}

function isStore(value: StoreUnderTest): value is SessionStore {
  return typeof (value as SessionStore).get === 'function';
}

/**
 * Registers hooks giving every test a fresh store and releasing it afterwards (the
 * factory's cleanup, else the store's own `close()`).
 */
export function storeContext(factory: StoreFactory): StoreContext {
  let current: SessionStore | undefined;
  let cleanup: (() => unknown) | undefined;
  beforeEach(async () => {
    const made = await factory();
    const store = isStore(made) ? made : made.store;
    current = store;
    cleanup = (!isStore(made) && made.cleanup) || (() => store.close?.());
  });
  afterEach(async () => {
    await cleanup?.();
    current = undefined;
  });
  return {
    get store(): SessionStore {
      if (current === undefined) throw new Error('the store is only available inside a test');
      return current;
    },
  };
}
