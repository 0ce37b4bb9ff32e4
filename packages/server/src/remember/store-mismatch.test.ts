import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { rememberMe } from './remember.js';

// rememberMe's `store` is required and must be "the same store as the sessions", but
// session()'s `store` is optional (default: a memoryStore of its own). Leaving it out of
// session() while giving rememberMe one (or giving the two different stores) is accepted,
// and then every re-authentication fails: the new session finds its credential missing
// from the session store, revokes itself, and deletes the credential and its cookie.
// Meanwhile /status keeps answering canReauth: true.
describe('rememberMe on another store than session()', () => {
  it('is refused at start-up naming the store, or re-authenticates', async () => {
    const remember = rememberMe({ store: memoryStore(), findUser: (id) => ({ name: id }) });
    let sessions: ReturnType<typeof session>;
    try {
      sessions = session({ reauth: remember }); // `store` left out: its own memory store
    } catch (error) {
      expect(String(error)).toMatch(/store/);
      return;
    }
    const app = new Hono<SessionEnv>();
    app.use(sessions);
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'u1' });
      await remember.issue(c, 'u1');
      return c.json({ ok: true });
    });
    app.route('/session', sessionRoutes());
    const device = new Browser(app);
    await device.post('/login');
    device.cookies.delete('lifeline'); // the session cookie is gone (browser restart)
    const status = await (await device.get('/session/status')).json();
    expect(status.canReauth).toBe(true);
    const reauth = await device.post('/session/reauth');
    expect(reauth.status).toBe(200);
  });
});
