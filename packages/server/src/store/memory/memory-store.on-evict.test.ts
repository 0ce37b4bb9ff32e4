import { describe, expect, it } from 'vitest';
import { unhandledRejections } from '../../events/unhandled-rejections.fixture.js';
import { sessionRecord } from '../../testing/index.js';
import { memoryStore } from './index.js';

// `onEvict` is a logging hook typed `(evicted) => void` (an async function satisfies it).
// The store calls it bare in the middle of a create: a hook that throws fails the create
// (session() answers 503 store_unavailable: a sign-in fails once the store is full), and
// one that rejects is an unhandled rejection, which ends a Node process by default.
describe('memoryStore: an onEvict hook that fails', () => {
  const seen = unhandledRejections();

  it('does not fail the create that evicted', async () => {
    const store = memoryStore({
      maxSessions: 1,
      onEvict: () => {
        throw new Error('log sink down');
      },
    });
    const t = Date.now();
    await store.create('a', sessionRecord(), t + 60_000);
    await expect(store.create('b', sessionRecord(), t + 60_000)).resolves.toBe(true);
  });

  it('leaves no unhandled rejection for an async hook', async () => {
    const store = memoryStore({
      maxSessions: 1,
      onEvict: async () => {
        throw new Error('log sink down');
      },
    });
    const t = Date.now();
    await store.create('a', sessionRecord(), t + 60_000);
    await store.create('b', sessionRecord(), t + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });
});
