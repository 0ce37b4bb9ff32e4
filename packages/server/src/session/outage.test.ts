import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

/**
 * A real memory store that can be switched to failing or hanging, like a Redis outage, or
 * (`late-end`) to ending a session and then failing, like a call that timed out but landed.
 */
function flakyStore(inner: SessionStore) {
  const control = { mode: 'up' as 'up' | 'down' | 'hang' | 'late-end' };
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (control.mode === 'down') return Promise.reject(new Error('ECONNREFUSED'));
        if (control.mode === 'hang') return new Promise(() => {});
        if (control.mode === 'late-end' && key === 'end') {
          return value.apply(target, args).then(() => Promise.reject(new Error('timed out')));
        }
        return value.apply(target, args);
      };
    },
  });
  return { store, control };
}

/** The test app on a real memory store that can fail (see flakyStore), on a hand-driven clock. */
function flakyApp() {
  const clock = manualClock();
  const { store, control } = flakyStore(memoryStore({ now: clock.now }));
  return { t: testApp({ store, now: clock.now }), clock, control };
}

describe('store outage', () => {
  it('answers 503 store_unavailable without touching the cookie, and recovers', async () => {
    const { t, control } = flakyApp();
    const { app } = t;
    const token = sessionCookie(await app.request('/login/ada', { method: 'POST' }))!;

    control.mode = 'down';
    for (const [path, method] of [
      ['/read', 'GET'],
      ['/write/a/1', 'POST'],
      ['/logout', 'POST'],
      ['/login/bob', 'POST'],
    ]) {
      const res = await app.request(path!, withCookie(token, { method: method! }));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'store_unavailable' });
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(res.headers.getSetCookie()).toEqual([]);
    }

    control.mode = 'up';
    expect(await (await app.request('/read', withCookie(token))).json()).toMatchObject({
      state: 'active',
      userId: 'ada',
    });
  });

  it('hands over the session a sign-in already made when a later store call fails, so the 503 signs nobody out', async () => {
    const { t, clock, control } = flakyApp();
    // The old session is ended by the time the store fails: in the handler (a remember-me
    // credential, say) or in the commit after it (the data this request wrote).
    t.app.post('/login-then-fail/:where', async (c) => {
      await c.var.session.regenerate({ userId: 'ada' });
      c.var.session.set('signedInAt', clock.now());
      control.mode = 'down';
      if (c.req.param('where') === 'handler') await t.manager.listForUser('ada');
      return c.text('ok');
    });
    for (const where of ['handler', 'commit']) {
      control.mode = 'up';
      const old = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
      const res = await t.app.request(
        `/login-then-fail/${where}`,
        withCookie(old, { method: 'POST' }),
      );
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'store_unavailable' });
      const issued = sessionCookie(res);
      expect(issued).toMatch(/^[\w-]{43}$/);
      expect(issued).not.toBe(old);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      control.mode = 'up';
      expect(await (await t.app.request('/read', withCookie(issued!))).json()).toMatchObject({
        state: 'active',
        userId: 'ada',
      });
    }
  });

  it('hands over a sign-in whose ending of the old session landed but answered with a failure', async () => {
    const { t, control } = flakyApp();
    const anonymous = sessionCookie(await t.app.request('/write/cart/book', { method: 'POST' }))!;
    control.mode = 'late-end';
    const res = await t.app.request('/login/ada', withCookie(anonymous, { method: 'POST' }));
    control.mode = 'up';
    expect(res.status).toBe(503);
    // The old cookie is dead: without the new one the visitor would lose the cart too.
    expect(await (await t.app.request('/read', withCookie(anonymous))).json()).toMatchObject({
      state: 'none',
    });
    const issued = sessionCookie(res);
    expect(issued).toMatch(/^[\w-]{43}$/);
    expect(await (await t.app.request('/read', withCookie(issued!))).json()).toMatchObject({
      state: 'active',
      userId: 'ada',
      cart: 'book',
    });
  });

  it('sends no successor with the 503 of a request that presented the predecessor', async () => {
    const { t, clock, control } = flakyApp();
    t.app.post('/grace-then-fail', (c) => {
      c.var.session.set('a', 1);
      control.mode = 'down';
      return c.text('ok');
    });
    const old = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    clock.advance(15 * 60_000 + 1);
    const successor = sessionCookie(await t.app.request('/read', withCookie(old)));
    expect(successor).toMatch(/^[\w-]{43}$/);
    // Inside the window the predecessor resolves (its successor handed over on success);
    // a 503 must not hand it over unchecked: it may no longer be the session's token.
    const res = await t.app.request('/grace-then-fail', withCookie(old, { method: 'POST' }));
    expect(res.status).toBe(503);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('treats a store that hangs as an outage after storeTimeout', async () => {
    const { store, control } = flakyStore(memoryStore());
    const { app } = testApp({ store, storeTimeout: 20 });
    const token = sessionCookie(await app.request('/login/ada', { method: 'POST' }))!;
    control.mode = 'hang';
    const res = await app.request('/read', withCookie(token));
    expect(res.status).toBe(503);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('turns a store failure after the handler into a 503, not a 500 or a lost write', async () => {
    const { t, control } = flakyApp();
    t.app.post('/write-then-fail', (c) => {
      c.var.session.set('a', 1);
      control.mode = 'down';
      return c.text('ok');
    });
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    const res = await t.app.request('/write-then-fail', withCookie(token, { method: 'POST' }));
    expect(res.status).toBe(503);
    control.mode = 'up';
    expect(await (await t.app.request('/read', withCookie(token))).json()).toMatchObject({
      state: 'active',
    });
  });
});

describe('arbitrary Cookie headers (property)', () => {
  it('never yield a 5xx, and reach the store only as a 43-character hashed key', async () => {
    const t = testApp();
    const seen: string[] = [];
    const original = t.counting.store.get.bind(t.counting.store);
    t.counting.store.get = (sid: string) => {
      seen.push(sid);
      return original(sid);
    };
    const unit = fc.constantFrom(...'lifeline=;, "\\%\u0001AZaz09-_+/'.split(''));
    const header = fc.oneof(
      fc.string({ unit, maxLength: 120 }),
      fc.string({ unit: 'binary-ascii', maxLength: 120 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{40,46}$/).map((v) => `lifeline=${v}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (cookie) => {
        let res: Response;
        try {
          res = await t.app.request('/read', { headers: { Cookie: cookie } });
        } catch {
          return; // the Headers constructor refused it: no browser can send it either
        }
        expect(res.status).toBeLessThan(500);
        expect(await res.json()).toMatchObject({ state: 'none' });
      }),
      { numRuns: 300 },
    );
    for (const sid of seen) expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
