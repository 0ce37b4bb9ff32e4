import { expect, it } from 'vitest';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

/** A store whose every call fails once an `end` has landed: an outage starting right then. */
function failingAfterEnd(inner: SessionStore) {
  let failing = false;
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (failing) throw new Error('ECONNREFUSED');
        const result = await value.apply(target, args);
        if (key === 'end') failing = true;
        return result;
      };
    },
  });
  return { store, recover: () => (failing = false) };
}

it('reports an ending destroy() landed once, as destroyed, also when the store fails right after it', async () => {
  const clock = manualClock();
  const memory = memoryStore({ now: clock.now });
  const { store, recover } = failingAfterEnd(memory);
  const t = testApp({ store, now: clock.now });
  t.app.post('/revoke-me', async (c) => {
    await c.var.session.destroy('revoked');
    return c.json({ ok: true });
  });
  const res = await t.app.request('/login/ada', { method: 'POST' });
  const { id } = (await res.json()) as { id: string };
  t.events.length = 0;
  const revoked = await t.app.request(
    '/revoke-me',
    withCookie(sessionCookie(res)!, { method: 'POST' }),
  );
  recover();
  expect(revoked.status).toBe(503);
  expect((await memory.get(id))?.ended).toMatchObject({ reason: 'revoked' });
  // The event went out after the whole ending had gone through, so the 503 swallowed it.
  expect(t.events).toEqual([
    expect.objectContaining({ type: 'destroyed', reason: 'revoked', userId: 'ada' }),
  ]);
});
