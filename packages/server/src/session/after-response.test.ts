import { type Context, Hono } from 'hono';
import { stream } from 'hono/streaming';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rememberMe } from '../remember/remember.js';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';
import { session } from './middleware.js';
import type { Session, SessionEnv } from './types.js';

afterEach(() => vi.restoreAllMocks());

/**
 * A change made after the handler returned (in a stream's callback, or a promise it did
 * not await) reaches neither the store nor the response: the middleware has committed.
 * It used to vanish without a word; now it is logged once per `session()`, and a
 * `regenerate()`, which would have ended the session while the browser kept its cookie,
 * is refused.
 */
describe('a session change after the response was sent', () => {
  async function streamingApp(late: (session: Session) => Promise<unknown>) {
    const t = testApp();
    const outcome: { error?: unknown } = {};
    t.app.post('/stream', (c) =>
      stream(c, async (s) => {
        await s.write('working… ');
        try {
          await late(c.var.session);
        } catch (error) {
          outcome.error = error;
        }
        await s.write('done');
      }),
    );
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    return { ...t, token, outcome };
  }

  it('set(): logged once, naming the way out, and nothing written', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app, token, outcome } = await streamingApp(async (session) => {
      session.set('step', 'done');
      session.set('again', 1);
    });
    const res = await app.request('/stream', withCookie(token, { method: 'POST' }));
    expect(await res.text()).toBe('working… done');
    expect(outcome.error).toBeUndefined();
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(
      /session\.set\(\) came after the response was sent .*before the handler returns/,
    );
    expect(await (await app.request('/get/step', withCookie(token))).json()).toBeNull();
  });

  it('regenerate(): refused, and the session the browser holds still works', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app, token, outcome } = await streamingApp((session) =>
      session.regenerate({ userId: 'mallory' }),
    );
    const res = await app.request('/stream', withCookie(token, { method: 'POST' }));
    expect(await res.text()).toBe('working… done');
    expect(String(outcome.error)).toMatch(/session\.regenerate\(\) came after the response/);
    const read = await (await app.request('/read', withCookie(token))).json();
    expect(read).toMatchObject({ state: 'active', userId: 'ada' });
  });

  it('a change made before the stream starts is kept as ever', async () => {
    const t = testApp();
    t.app.post('/stream', (c) => {
      c.var.session.set('step', 'started');
      return stream(c, async (s) => {
        await s.write('ok');
      });
    });
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    await (await t.app.request('/stream', withCookie(token, { method: 'POST' }))).text();
    expect(await (await t.app.request('/get/step', withCookie(token))).json()).toBe('started');
  });
});

describe('a session change the handler started and did not wait for', () => {
  function promotingApp(promote: (c: Context<SessionEnv>) => Response | Promise<Response>) {
    const app = new Hono<SessionEnv>();
    app.use(session());
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'ada', user: { role: 'user' } });
      return c.text('ok');
    });
    app.post('/promote', promote);
    app.get('/me', (c) => c.json({ state: c.var.session.state, user: c.var.session.user }));
    return new Browser(app);
  }

  it('at the start of a stream callback (before its first await): lands, and its cookie goes out', async () => {
    let outcome: unknown = 'resolved';
    const browser = promotingApp((c) =>
      stream(c, async (s) => {
        try {
          await c.var.session.regenerate({ userId: 'ada', user: { role: 'admin' } });
        } catch (error) {
          outcome = error;
        }
        await s.write('done');
      }),
    );
    await browser.post('/login');
    const before = browser.cookies.get('lifeline');
    const res = await browser.post('/promote');
    expect(await res.text()).toBe('done');
    expect(outcome).toBe('resolved');
    expect(browser.cookies.get('lifeline')).not.toBe(before);
    expect(await (await browser.get('/me')).json()).toEqual({
      state: 'active',
      user: { role: 'admin' },
    });
  });

  it('a promise the handler dropped: lands, and its cookie goes out', async () => {
    const browser = promotingApp((c) => {
      void c.var.session.regenerate({ userId: 'ada', user: { role: 'admin' } });
      return c.text('ok');
    });
    await browser.post('/login');
    await browser.post('/promote');
    expect(await (await browser.get('/me')).json()).toEqual({
      state: 'active',
      user: { role: 'admin' },
    });
  });
});

describe('reauthenticate() after the response was sent', () => {
  it('is refused, so the credential does not turn and the browser stays signed in', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let t = Date.now();
    const now = () => t;
    const store = memoryStore({ now });
    const events: string[] = [];
    const remember = rememberMe({
      store,
      now,
      findUser: () => ({ name: 'Ada' }),
      onEvent: (e) => {
        events.push(e.type);
      },
    });
    const app = new Hono<SessionEnv>();
    app.use(session({ store, now, reauth: remember }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'ada' });
      await remember.issue(c, 'ada');
      return c.text('ok');
    });
    let outcome: unknown = 'not run';
    app.post('/stream', (c) =>
      stream(c, async (s) => {
        await s.write('working… ');
        outcome = await c.var.session.reauthenticate().catch((error: unknown) => error);
      }),
    );
    app.route('/session', sessionRoutes());
    app.get('/me', (c) => c.json({ state: c.var.session.state }));
    const browser = new Browser(app);
    await browser.post('/login');
    await (await browser.post('/stream')).text();
    expect(String(outcome)).toMatch(/session\.reauthenticate\(\) came after the response/);
    expect(await (await browser.get('/me')).json()).toEqual({ state: 'active' });
    t += 60_000; // past the credential's grace window
    expect((await browser.post('/session/reauth')).status).toBe(200);
    expect(events).toEqual(['issued', 'used']);
  });
});

describe('a change the handler did not wait for, during a store outage', () => {
  /** A memory store whose writes fail while `down` (reads still answer). */
  function failingWrites() {
    const ctl = { down: false };
    const store = new Proxy(memoryStore(), {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          ctl.down && key !== 'get' && key !== 'getAndTouch'
            ? Promise.reject(new Error('ECONNREFUSED'))
            : value.apply(target, args);
      },
    });
    return { store, ctl };
  }

  it('answers 503 store_unavailable, as when it is awaited, and the session is kept', async () => {
    const { store, ctl } = failingWrites();
    const app = new Hono<SessionEnv>();
    app.use(session({ store }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'ada' });
      return c.text('ok');
    });
    app.post('/logout', (c) => {
      void c.var.session.destroy();
      return c.text('signed out');
    });
    let finished = 0;
    app.post('/logout-stream', (c) =>
      stream(c, async (s) => {
        await c.var.session.destroy().catch(() => {});
        // The answer is the 503: these writes must not wait for a reader for ever.
        await s.write('signed out');
        await s.write('and more');
        finished++;
      }),
    );
    app.get('/me', (c) => c.json({ state: c.var.session.state }));
    const browser = new Browser(app);
    await browser.post('/login');
    for (const path of ['/logout', '/logout-stream']) {
      ctl.down = true;
      const res = await browser.post(path);
      ctl.down = false;
      expect(res.status, path).toBe(503);
      expect((await res.json()) as unknown, path).toMatchObject({ code: 'store_unavailable' });
      expect(await (await browser.get('/me')).json(), path).toEqual({ state: 'active' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished).toBe(1);
  });

  it('a late regenerate() or reauthenticate() nobody awaits leaves no unhandled rejection', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const app = new Hono<SessionEnv>();
      app.use(session({ reauth: { canReauth: () => true, reauthenticate: async () => null } }));
      app.post('/login', async (c) => {
        await c.var.session.regenerate({ userId: 'ada' });
        return c.text('ok');
      });
      app.post('/stream', (c) =>
        stream(c, async (s) => {
          await s.write('x');
          void c.var.session.reauthenticate();
          void c.var.session.regenerate({ userId: 'ada' });
        }),
      );
      const browser = new Browser(app);
      await browser.post('/login');
      await (await browser.post('/stream')).text();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
