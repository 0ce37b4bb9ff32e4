import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { session } from './middleware.js';
import { revokeDuringSlowRequest } from './race.fixture.js';
import type { SessionEnv } from './types.js';

const MIN = 60_000;

describe('lifecycle races and account switches', () => {
  it('revoke-all also ends a session past its idle deadline that a request in flight could revive', async () => {
    const clock = manualClock();
    const outcome = await revokeDuringSlowRequest(memoryStore({ now: clock.now }), clock);
    expect(outcome).toEqual({ revoked: 1, after: 'none' });
  });

  it('signing in as another user starts with that user’s claims and without the previous data', async () => {
    const app = new Hono<SessionEnv>();
    app.use(session({ now: manualClock().now }));
    app.post('/as/:user', async (c) => {
      const user = c.req.param('user');
      if (user === 'alice') {
        await c.var.session.regenerate({ userId: user, user: { name: 'Alice' } });
        c.var.session.set('role', 'admin');
      } else await c.var.session.regenerate({ userId: user });
      return c.text('ok');
    });
    app.post('/cart', (c) => {
      c.var.session.set('cart', ['book']);
      return c.text('ok');
    });
    app.get('/who', (c) =>
      c.json({
        id: c.var.session.userId,
        user: c.var.session.user,
        role: c.var.session.get('role') ?? null,
        cart: c.var.session.get('cart') ?? null,
      }),
    );
    const browser = new Browser(app);
    await browser.post('/cart'); // an anonymous visitor's cart survives the login
    await browser.post('/as/alice');
    expect(await (await browser.get('/who')).json()).toEqual({
      id: 'alice',
      user: { name: 'Alice' },
      role: 'admin',
      cart: ['book'],
    });
    await browser.post('/as/bob');
    expect(await (await browser.get('/who')).json()).toEqual({
      id: 'bob',
      user: null,
      role: null,
      cart: null,
    });
  });

  it('a re-auth refused by the session limit still delivers the rotated remember-me cookie', async () => {
    const t = routesTestApp({ session: { maxSessionsPerUser: 1, onSessionLimit: 'refuse' } });
    const deviceB = new Browser(t.app);
    expect((await deviceB.post('/login?user=u1&remember=1')).status).toBe(200);
    t.clock.advance(31 * MIN); // B's session idles out
    const deviceA = new Browser(t.app);
    expect((await deviceA.post('/login?user=u1')).status).toBe(200);
    const refused = await deviceB.post('/session/reauth');
    expect(refused.status).toBe(409);
    await deviceA.post('/session/logout');
    // B was never copied: its next re-auth works, it is not taken for a replayed credential.
    expect((await deviceB.post('/session/reauth')).status).toBe(200);
  });
});
