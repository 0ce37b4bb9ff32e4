import { describe, expect, it } from 'vitest';
import { statusSchema } from '../contract/schemas.js';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';

// `destroy(reason)` is typed 'logged-out' | 'revoked', but a JavaScript app (or a cast) can
// pass anything: `destroy('logout')` is an easy slip. It is not checked at run time.
describe('session.destroy() with a reason outside its contract', () => {
  function appWithBye() {
    let error: unknown = null;
    const t = routesTestApp({
      appMiddleware: async (c, next) => {
        if (c.req.path !== '/bye') return next();
        try {
          await c.var.session.destroy('logout' as never);
        } catch (e) {
          error = e;
        }
        return c.json({ ok: true });
      },
    });
    return { ...t, browser: new Browser(t.app), error: () => error };
  }

  it('refuses it with a TypeError naming the argument', async () => {
    const { browser, error } = appWithBye();
    await browser.post('/login?remember=1');
    await browser.post('/bye');
    expect(error()).toBeInstanceOf(TypeError);
  });

  // Refused before anything is written: the session is not half ended (a tombstone whose
  // sign-out skipped forgetting the remember-me credential), it is not ended at all.
  it('ends nothing when it refuses: the session stays signed in, with its cookie', async () => {
    const { browser } = appWithBye();
    await browser.post('/login?remember=1');
    const cookie = browser.cookies.get('lifeline');
    await browser.post('/bye');
    expect(browser.cookies.get('lifeline')).toBe(cookie);
    const status = await (await browser.get('/session/status')).json();
    expect(status).toMatchObject({ state: 'active' });
  });

  it('never stores a reason /status cannot answer within the protocol', async () => {
    const { app, browser } = appWithBye();
    await browser.post('/login');
    const old = browser.cookies.get('lifeline');
    await browser.post('/bye');
    const res = await app.request('http://localhost/session/status', {
      headers: { Cookie: `lifeline=${old}` },
    });
    expect(statusSchema.safeParse(await res.json()).success).toBe(true);
  });
});
