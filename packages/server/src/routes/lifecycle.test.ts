import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from './test-app.js';

const MIN = 60_000;

async function signedIn(options?: Parameters<typeof routesTestApp>[0], query = '') {
  const t = routesTestApp(options);
  const browser = new Browser(t.app);
  expect((await browser.post(`/login${query}`)).status).toBe(200);
  return { ...t, browser };
}

describe('GET /session/status', () => {
  it('answers state none, reason missing, uncached and without a cookie when signed out', async () => {
    const browser = new Browser(routesTestApp().app);
    const res = await browser.get('/session/status');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.json()).toMatchObject({ state: 'none', reason: 'missing', canReauth: false });
  });

  it('reports the deadlines and public user, and never the token', async () => {
    const { browser, clock } = await signedIn();
    const res = await browser.get('/session/status');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      state: 'active',
      now: clock.now(),
      idleExpiresAt: clock.now() + 30 * MIN,
      absoluteExpiresAt: clock.now() + 8 * 60 * MIN,
      idleTimeoutMs: 30 * MIN,
      canReauth: false,
      user: { name: 'User u1' },
    });
    expect(text).not.toContain(browser.cookies.get('lifeline'));
  });

  it('is passive: polling never moves the idle deadline, so the session still times out', async () => {
    const { browser, clock } = await signedIn();
    const first = await (await browser.get('/session/status')).json();
    for (let i = 0; i < 5; i++) {
      clock.advance(5 * MIN);
      const body = await (await browser.get('/session/status')).json();
      expect(body.idleExpiresAt).toBe(first.idleExpiresAt);
    }
    clock.advance(5 * MIN + 1);
    const after = await (await browser.get('/session/status')).json();
    expect(after).toMatchObject({ state: 'none', reason: 'idle-timeout' });
  });

  it('says canReauth when the browser holds a remember-me credential', async () => {
    const { browser } = await signedIn(undefined, '?remember=1');
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ canReauth: true });
  });
});

describe('POST /session/extend', () => {
  it('slides the idle deadline to now + idle timeout', async () => {
    const { browser, clock } = await signedIn();
    clock.advance(10 * MIN);
    const res = await browser.post('/session/extend');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toMatchObject({
      state: 'active',
      idleExpiresAt: clock.now() + 30 * MIN,
    });
  });

  it('never moves the idle deadline past the absolute one', async () => {
    const options = { session: { idleTimeout: 30 * MIN, absoluteTimeout: 40 * MIN } };
    const { browser, clock } = await signedIn(options);
    const { absoluteExpiresAt } = await (await browser.get('/session/status')).json();
    clock.advance(25 * MIN);
    const body = await (await browser.post('/session/extend')).json();
    expect(body.idleExpiresAt).toBe(absoluteExpiresAt);
  });

  it('answers 401 session_required without a session', async () => {
    const res = await new Browser(routesTestApp().app).post('/session/extend');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_required', reason: 'missing' });
  });

  it('answers 401 session_expired once the idle time has passed', async () => {
    const { browser, clock } = await signedIn();
    clock.advance(30 * MIN + 1);
    const res = await browser.post('/session/extend');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_expired', reason: 'idle-timeout' });
  });

  it('does nothing on GET: 405 with Allow, and the idle deadline stays', async () => {
    const { browser, clock } = await signedIn();
    const before = (await (await browser.get('/session/status')).json()).idleExpiresAt;
    clock.advance(10 * MIN);
    const res = await browser.get('/session/extend');
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ code: 'invalid_request', status: 405 });
    expect((await (await browser.get('/session/status')).json()).idleExpiresAt).toBe(before);
  });
});

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
    expect(await (await replay.get('/session/status')).json()).toMatchObject({ state: 'none' });
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
