import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionRoutes } from '../routes/routes.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { requireSession } from './require-session.js';

const MIN = 60_000;

function app() {
  const clock = manualClock();
  const sessions = session({
    now: clock.now,
    store: memoryStore({ now: clock.now }),
    rotationInterval: 8 * 60 * MIN,
  });
  const a = new Hono<SessionEnv>();
  a.use(sessions);
  a.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'ada' });
    return c.text('ok');
  });
  a.post('/anon', (c) => {
    c.var.session.set('x', 1);
    return c.text('ok');
  });
  a.post('/logout', async (c) => {
    await c.var.session.destroy();
    return c.text('ok');
  });
  a.get('/me', requireSession(), (c) => c.json({ userId: c.var.session.userId }));
  a.post('/password', requireSession({ fresh: 5 * MIN }), (c) => c.text('changed'));
  const cookieOf = (res: Response) => res.headers.getSetCookie()[0]!.split(';')[0]!;
  return { a, clock, cookieOf, manager: sessions.manager };
}

const problem = async (res: Response) => ({
  status: res.status,
  ...((await res.json()) as object),
});

describe('requireSession', () => {
  it('answers 401 session_required without a cookie', async () => {
    const { a } = app();
    expect(await problem(await a.request('/me'))).toMatchObject({
      status: 401,
      code: 'session_required',
    });
  });

  it('lets a live session through', async () => {
    const { a, cookieOf } = app();
    const cookie = cookieOf(await a.request('/login', { method: 'POST' }));
    expect(await (await a.request('/me', { headers: { Cookie: cookie } })).json()).toEqual({
      userId: 'ada',
    });
  });

  it('answers session_expired with the reason after an idle timeout', async () => {
    const { a, clock, cookieOf } = app();
    const cookie = cookieOf(await a.request('/login', { method: 'POST' }));
    clock.advance(31 * MIN);
    expect(await problem(await a.request('/me', { headers: { Cookie: cookie } }))).toMatchObject({
      status: 401,
      code: 'session_expired',
      reason: 'idle-timeout',
    });
  });

  it('answers session_revoked after logout', async () => {
    const { a, cookieOf } = app();
    const cookie = cookieOf(await a.request('/login', { method: 'POST' }));
    await a.request('/logout', { method: 'POST', headers: { Cookie: cookie } });
    expect(await problem(await a.request('/me', { headers: { Cookie: cookie } }))).toMatchObject({
      code: 'session_revoked',
      reason: 'logged-out',
    });
  });

  it('answers reauth_required when the last sign-in is older than fresh, or never happened', async () => {
    const { a, clock, cookieOf } = app();
    const cookie = cookieOf(await a.request('/login', { method: 'POST' }));
    expect(
      (await a.request('/password', { method: 'POST', headers: { Cookie: cookie } })).status,
    ).toBe(200);
    clock.advance(5 * MIN + 1);
    expect(
      await problem(await a.request('/password', { method: 'POST', headers: { Cookie: cookie } })),
    ).toMatchObject({
      status: 401,
      code: 'reauth_required',
    });
    const anon = cookieOf(await a.request('/anon', { method: 'POST' }));
    expect(
      await problem(await a.request('/password', { method: 'POST', headers: { Cookie: anon } })),
    ).toMatchObject({
      code: 'reauth_required',
    });
  });

  it('answers 401 session_required on a route outside the session (GET /session/client.js), signed in or not', async () => {
    const { a, cookieOf } = app();
    const members = new Hono<SessionEnv>();
    members.use('/session/*', requireSession());
    members.route('/session', sessionRoutes({ clientScript: '(()=>{})();' }));
    a.route('/', members);
    const cookie = cookieOf(await a.request('/login', { method: 'POST' }));
    for (const headers of [{}, { Cookie: cookie }] as Record<string, string>[]) {
      // The script is the same for everyone: a session is never read for it, so none passes.
      expect(await problem(await a.request('/session/client.js', { headers }))).toMatchObject({
        status: 401,
        code: 'session_required',
        reason: 'missing',
      });
    }
  });

  it('refuses a bad fresh option at start-up, as sessionRoutes refuses freshFor', () => {
    for (const fresh of [-1, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => requireSession({ fresh })).toThrow(/"fresh" must be a positive whole number/);
      expect(() => sessionRoutes({ freshFor: fresh })).toThrow(/`freshFor`/);
    }
  });

  it('refuses an unknown option or non-object options at start-up, naming them', () => {
    // `freshFor` is sessionRoutes' name for it: ignored, the route had no freshness check.
    expect(() => requireSession({ freshFor: 5 * MIN } as never)).toThrow(
      'lifeline requireSession(): `freshFor` is not an option',
    );
    for (const options of [null, 5 * MIN, 'fresh', []]) {
      expect(() => requireSession(options as never)).toThrow(
        'lifeline requireSession(): the options must be an object',
      );
    }
  });
});

describe('freshness after silent re-authentication', () => {
  function reauthApp(fresh: boolean | undefined) {
    const clock = manualClock();
    const sessions = session({
      now: clock.now,
      store: memoryStore({ now: clock.now }),
      reauth: {
        canReauth: () => true,
        reauthenticate: async () => ({ userId: 'ada', ...(fresh !== undefined && { fresh }) }),
      },
    });
    const a = new Hono<SessionEnv>();
    a.use(sessions);
    a.post('/reauth', async (c) => c.text(String(await c.var.session.reauthenticate())));
    a.post('/password', requireSession({ fresh: 5 * MIN }), (c) => c.text('changed'));
    return a;
  }
  const cookieOf = (res: Response) => res.headers.getSetCookie()[0]!.split(';')[0]!;

  it('a stored credential (remember-me) signs in but does not count as a fresh authentication', async () => {
    const a = reauthApp(undefined);
    const signedIn = await a.request('/reauth', { method: 'POST' });
    expect(await signedIn.text()).toBe('true');
    const res = await a.request('/password', {
      method: 'POST',
      headers: { Cookie: cookieOf(signedIn) },
    });
    expect(await problem(res)).toMatchObject({ status: 401, code: 'reauth_required' });
  });

  it('an interactive re-authentication that reports fresh: true satisfies fresh routes', async () => {
    const a = reauthApp(true);
    const signedIn = await a.request('/reauth', { method: 'POST' });
    const res = await a.request('/password', {
      method: 'POST',
      headers: { Cookie: cookieOf(signedIn) },
    });
    expect(res.status).toBe(200);
  });
});
