import type { MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import type { SessionEnv } from '../session/types.js';
import { Browser, routesTestApp, signedIn } from './test-app.fixture.js';

const MIN = 60_000;

describe('POST /session/logout', () => {
  it('ends the session, clears the cookie with identical attributes and Clear-Site-Data', async () => {
    const { app, browser } = await signedIn();
    const token = browser.cookies.get('lifeline')!;
    const login = await new Browser(app).post('/login');
    const res = await browser.post('/session/logout');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'none',
      reason: 'logged-out',
      canReauth: false,
    });
    expect(res.headers.get('Clear-Site-Data')).toBe('"cookies"');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const cleared = res.headers.getSetCookie().filter((l) => l.startsWith('lifeline='));
    expect(cleared).toHaveLength(1);
    const attrs = (line: string) =>
      line
        .split('; ')
        .slice(1)
        .filter((a) => !a.startsWith('Max-Age'));
    const set = login.headers.getSetCookie().find((l) => l.startsWith('lifeline='))!;
    expect(attrs(cleared[0]!)).toEqual(attrs(set));
    expect(cleared[0]).toContain('Max-Age=0');

    // Replaying the pre-logout cookie finds a dead session.
    const replay = new Browser(app);
    replay.cookies.set('lifeline', token);
    const extend = await replay.post('/session/extend');
    expect(await extend.json()).toMatchObject({ code: 'session_revoked', reason: 'logged-out' });
  });

  it('sends "storage" too when configured, and never "cache" by default', async () => {
    const { browser } = await signedIn({ session: { clearSiteData: ['cookies', 'storage'] } });
    const res = await browser.post('/session/logout');
    expect(res.headers.get('Clear-Site-Data')).toBe('"cookies", "storage"');
  });

  it('forgets the remember-me credential, so it cannot sign the user back in', async () => {
    const { browser, app } = await signedIn(undefined, '?remember=1');
    const credential = browser.cookies.get('lifeline_remember')!;
    await browser.post('/session/logout');
    expect(browser.cookies.has('lifeline_remember')).toBe(false);
    const replay = new Browser(app);
    replay.cookies.set('lifeline_remember', credential);
    const res = await replay.post('/session/reauth');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'reauth_failed' });
  });

  it('is idempotent without a session', async () => {
    const browser = new Browser(routesTestApp().app);
    for (let i = 0; i < 2; i++) {
      const res = await browser.post('/session/logout');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ state: 'none', reason: 'logged-out' });
    }
  });

  it('ends only the session it names: a logout meant for an earlier one leaves the live one', async () => {
    const { browser } = await signedIn();
    const { absoluteExpiresAt } = await (await browser.get('/session/status')).json();
    const stale = await browser.post('/session/logout', {
      absoluteExpiresAt: absoluteExpiresAt - 1,
    });
    expect(stale.status).toBe(200);
    expect(await stale.json()).toMatchObject({ state: 'active', absoluteExpiresAt });
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'active' });
    const meant = await browser.post('/session/logout', { absoluteExpiresAt });
    expect(await meant.json()).toMatchObject({ state: 'none', reason: 'logged-out' });
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'none' });
  });

  it('a logout meant for an earlier session is no activity: the live one keeps its idle deadline', async () => {
    const { browser, clock } = await signedIn();
    const before = await (await browser.get('/session/status')).json();
    clock.advance(10 * MIN); // a touch would be due (a tenth of the idle timeout)
    const stale = await browser.post('/session/logout', { absoluteExpiresAt: 1 });
    // A late logout from a closed tab must not keep an idle person signed in.
    expect(await stale.json()).toMatchObject({
      state: 'active',
      idleExpiresAt: before.idleExpiresAt,
    });
    expect(stale.headers.get('Session-Deadline')).toContain(`idle=${before.idleExpiresAt}`);
    const after = await (await browser.get('/session/status')).json();
    expect(after.idleExpiresAt).toBe(before.idleExpiresAt);
  });

  it('a named logout sent with the cookie a re-auth just renewed ends what it was renewed into', async () => {
    const { app, browser, clock } = await signedIn(undefined, '?remember=1');
    const { absoluteExpiresAt: first } = await (await browser.get('/session/status')).json();
    clock.advance(MIN);
    // The person signs out (the logout leaves with the first cookie, and is slow)...
    const signingOut = new Browser(app);
    signingOut.cookies.set('lifeline', browser.cookies.get('lifeline')!);
    // ...while a re-auth sent before it renews the session into one with a new deadline.
    const { absoluteExpiresAt: second } = await (await browser.post('/session/reauth')).json();
    expect(second).not.toBe(first);
    clock.advance(1000);
    const res = await signingOut.post('/session/logout', { absoluteExpiresAt: first });
    expect(await res.json()).toMatchObject({ state: 'none', reason: 'logged-out' });
    // The sign-out is not undone by the race.
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'none' });
  });

  it('a named logout sent with the cookie a privilege change just replaced ends the session', async () => {
    const { app, browser, clock } = await signedIn({
      appMiddleware: async (c, next) => {
        if (c.req.path !== '/elevate') return next();
        await c.var.session.regenerate({});
        return c.json({ ok: true });
      },
    });
    const { absoluteExpiresAt } = await (await browser.get('/session/status')).json();
    const closingTab = new Browser(app);
    closingTab.cookies.set('lifeline', browser.cookies.get('lifeline')!);
    expect((await browser.post('/elevate')).status).toBe(200);
    clock.advance(100);
    const res = await closingTab.post('/session/logout', { absoluteExpiresAt });
    expect(res.status).toBe(200);
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'none' });
  });

  it('refuses a logout body with anything else in it, keeping the session', async () => {
    const { browser } = await signedIn();
    for (const body of [{ absoluteExpiresAt: 'soon' }, { absoluteExpiresAt: 1.5 }, { all: true }]) {
      const res = await browser.post('/session/logout', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_request' });
    }
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'active' });
  });

  it('does nothing on GET: 405, and the session stays alive', async () => {
    const { browser } = await signedIn();
    expect((await browser.get('/session/logout')).status).toBe(405);
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'active' });
  });
});

describe('POST /session/reauth', () => {
  it('turns a remember-me credential into a brand-new session after expiry', async () => {
    const { browser, clock, events, app } = await signedIn(undefined, '?remember=1');
    const oldToken = browser.cookies.get('lifeline')!;
    clock.advance(31 * MIN);
    expect(await (await browser.get('/session/status')).json()).toMatchObject({
      state: 'none',
      reason: 'idle-timeout',
      canReauth: true,
    });
    const res = await browser.post('/session/reauth');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: 'active', user: { name: 'User u1' } });
    expect(browser.cookies.get('lifeline')).not.toBe(oldToken);
    expect(events.map((e) => e.type)).toContain('reauthenticated');

    const replay = new Browser(app);
    replay.cookies.set('lifeline', oldToken);
    expect(await (await replay.get('/session/status')).json()).toMatchObject({ state: 'none' });
  });

  it('kills the live session ID it replaces at once', async () => {
    const { browser, app } = await signedIn(undefined, '?remember=1');
    const oldToken = browser.cookies.get('lifeline')!;
    expect((await browser.post('/session/reauth')).status).toBe(200);
    const replay = new Browser(app);
    replay.cookies.set('lifeline', oldToken);
    // Dead, but told apart from an ended session: the browser's new cookie is on its way,
    // so a request still carrying the old one is asked to repeat itself, not signed out.
    const status = await replay.get('/session/status');
    expect(status.status).toBe(409);
    const problem = await status.json();
    expect(problem).toMatchObject({ code: 'session_renewed' });
    expect(problem).not.toHaveProperty('handled'); // refused before any handler ran
    expect(status.headers.get('Session-Deadline')).toBeNull();
    expect(status.headers.getSetCookie()).toEqual([]);
    expect((await replay.get('/session/status')).status).toBe(409);
  });

  it('answers a re-auth sent with the session another tab re-authenticated into just before with that session', async () => {
    const { browser, clock, events, manager } = await signedIn(undefined, '?remember=1');
    clock.advance(31 * MIN);
    const first = await browser.post('/session/reauth');
    expect(first.status).toBe(200);
    const made = browser.cookies.get('lifeline');
    const { absoluteExpiresAt } = await first.json();
    events.length = 0;
    // Another tab, handed the tabs' re-auth lock before the first tab's news, asks again
    // with the cookie the first answer left in the jar.
    clock.advance(50);
    const second = await browser.post('/session/reauth');
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ state: 'active', absoluteExpiresAt });
    // No second session: one would end the first under the first tab's requests in flight.
    expect(browser.cookies.get('lifeline')).toBe(made);
    // Reported as a re-auth that kept its session: `previousSid` is the session's own.
    expect(events.filter((e) => e.type === 'reauthenticated')).toEqual([
      expect.objectContaining({ previousSid: expect.any(String) }),
    ]);
    const [kept] = events.filter((e) => e.type === 'reauthenticated');
    expect(kept && 'previousSid' in kept && kept.previousSid).toBe(kept?.sid);
    expect(await manager.listForUser('u1')).toHaveLength(1);
    expect(await (await browser.get('/touch')).json()).toEqual({ state: 'active' });
    // A minute on, a re-auth makes a new session again.
    clock.advance(MIN);
    expect((await browser.post('/session/reauth')).status).toBe(200);
    expect(browser.cookies.get('lifeline')).not.toBe(made);
  });

  it('still re-authenticates over a session a privilege change just made: its absolute limit is the old one', async () => {
    const elevate: MiddlewareHandler<SessionEnv> = async (c, next) => {
      if (c.req.path !== '/elevate') return next();
      await c.var.session.regenerate(); // a privilege change: the absolute limit stays
      return c.json({ ok: true });
    };
    const { browser, clock } = await signedIn({ appMiddleware: elevate }, '?remember=1');
    clock.advance(8 * 60 * MIN - 2 * MIN); // inside the absolute warning
    expect((await browser.post('/elevate')).status).toBe(200);
    const { absoluteExpiresAt: before } = await (await browser.get('/session/status')).json();
    clock.advance(1000);
    const res = await browser.post('/session/reauth');
    expect(res.status).toBe(200);
    expect((await res.json()).absoluteExpiresAt).toBeGreaterThan(before);
  });

  it('answers the cookie a sign-in replaced as plainly ended, not as renewed', async () => {
    const { browser, app } = await signedIn();
    const oldToken = browser.cookies.get('lifeline')!;
    expect((await browser.post('/login')).status).toBe(200);
    const replay = new Browser(app);
    replay.cookies.set('lifeline', oldToken);
    expect(await (await replay.get('/session/status')).json()).toMatchObject({
      state: 'none',
      reason: 'revoked',
    });
  });

  it('answers 401 reauth_failed and creates no session without a credential', async () => {
    const browser = new Browser(routesTestApp().app);
    const res = await browser.post('/session/reauth');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'reauth_failed' });
    expect(browser.cookies.has('lifeline')).toBe(false);
  });

  it('fails for a disabled account', async () => {
    const { browser, disabled, clock } = await signedIn(undefined, '?remember=1');
    clock.advance(31 * MIN);
    disabled.add('u1');
    expect((await browser.post('/session/reauth')).status).toBe(401);
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'none' });
  });
});
