// docs/server.md (`reauth`): "with a `rememberMe()`, `store` must be given (the same store),
// else it is refused, naming `store`". An app adapting the strategy by spreading it
// (`{ ...remember, canReauth }`) still has a rememberMe() behind its re-auth, and left out,
// `store` is a memory store of its own where every re-auth fails. Before 7b9a47e the public
// `store` field came along with the spread and session() refused it; the WeakMap keyed by the
// strategy object misses the copy, so it starts and then every re-auth fails.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { rememberMe } from './remember.js';

describe('a spread rememberMe() with session() given no store', () => {
  it('is refused at start-up, naming the store', () => {
    const remember = rememberMe({ store: memoryStore(), findUser: (id) => ({ name: id }) });
    const adapted = { ...remember, canReauth: remember.canReauth };
    expect(() => session({ reauth: adapted })).toThrow(/option "store" must be given/);
  });

  it('re-authenticates when given the same store (a spread strategy still works)', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser: (id) => ({ name: id }) });
    const app = new Hono<SessionEnv>();
    app.use(session({ store, reauth: { ...remember } }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'u1' });
      await remember.issue(c, 'u1');
      return c.json({ ok: true });
    });
    app.route('/session', sessionRoutes());
    const device = new Browser(app);
    await device.post('/login');
    device.cookies.delete('lifeline');
    expect((await device.post('/session/reauth')).status).toBe(200);
  });
});
