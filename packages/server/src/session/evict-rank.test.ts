import type { MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import type { SessionEnv } from './types.js';

const MIN = 60_000;

const elevate: MiddlewareHandler<SessionEnv> = async (c, next) => {
  if (c.req.path !== '/elevate') return next();
  await c.var.session.regenerate(); // a privilege change: it keeps the session's rank
  return c.json({ ok: true });
};

describe('evict-oldest after ecce83d (rank by authenticatedAt ?? createdAt)', () => {
  it('a privilege change does not move a re-authenticated session to the back of the queue', async () => {
    const t = routesTestApp({ session: { maxSessionsPerUser: 2 }, appMiddleware: elevate });
    const phone = new Browser(t.app);
    expect((await phone.post('/login?remember=1')).status).toBe(200);
    t.clock.advance(31 * MIN); // idle timeout: the phone's session ends
    expect((await phone.post('/session/reauth')).status).toBe(200); // t1: the phone's session
    t.clock.advance(MIN);
    const laptop = new Browser(t.app);
    expect((await laptop.post('/login')).status).toBe(200); // t2 > t1
    t.clock.advance(MIN);
    expect((await phone.post('/elevate')).status).toBe(200); // keeps the phone's rank (t1)
    t.clock.advance(MIN);
    expect((await new Browser(t.app).post('/login')).status).toBe(200); // a tablet: one too many
    // Expected: the phone's session (re-authenticated at t1) goes, as it would have without
    // the privilege change (and as it did when ranked by the absolute deadline).
    // Observed: the laptop (signed in at t2) is evicted; the phone's record has
    // authenticatedAt null, so it ranks by the privilege change's createdAt (t3).
    expect((await laptop.get('/touch')).status).toBe(200);
    expect(await (await laptop.get('/touch')).json()).toEqual({ state: 'active' });
  });
});
