import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { rememberMe } from './remember.js';

// rememberMe's `store` is required and must be "the same store as the sessions", but
// session()'s `store` is optional (default: a memoryStore of its own). Left out, every
// re-authentication failed: the new session found its credential missing from the session
// store, revoked itself, and deleted the credential and its cookie, while /status kept
// answering canReauth: true.
describe('rememberMe() with session() given no store', () => {
  it('is refused at start-up, naming the store', () => {
    const remember = rememberMe({ store: memoryStore(), findUser: (id) => ({ name: id }) });
    expect(() => session({ reauth: remember })).toThrow(
      /option "store" must be given: the store passed to rememberMe\(\)/,
    );
  });

  it('re-authenticates when given the same store', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser: (id) => ({ name: id }) });
    const app = new Hono<SessionEnv>();
    app.use(session({ store, reauth: remember }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'u1' });
      await remember.issue(c, 'u1');
      return c.json({ ok: true });
    });
    app.route('/session', sessionRoutes());
    const device = new Browser(app);
    await device.post('/login');
    device.cookies.delete('lifeline'); // the session cookie is gone (browser restart)
    expect((await device.get('/session/status').then((r) => r.json())).canReauth).toBe(true);
    expect((await device.post('/session/reauth')).status).toBe(200);
  });
});
