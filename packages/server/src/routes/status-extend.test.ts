import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp, signedIn } from './test-app.fixture.js';

const MIN = 60_000;

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

  it('agrees with the Session-Deadline header of the same response', async () => {
    const { browser } = await signedIn();
    const res = await browser.get('/session/status');
    const body = await res.json();
    expect(res.headers.get('Session-Deadline')).toBe(
      `idle=${body.idleExpiresAt}, absolute=${body.absoluteExpiresAt}, now=${body.now}`,
    );
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
