import type { MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import { requireSession } from '../require/require-session.js';
import type { ReauthStrategy, SessionEnv } from '../session/types.js';
import { Browser, routesTestApp } from './test-app.fixture.js';

const MIN = 60_000;

/**
 * An app's strategy as types.ts describes it: a passkey proved in a popup (here a header
 * standing for the popup's result) is an interactive proof (`fresh: true`), possibly of
 * another account; otherwise the remember-me cookie, silently.
 */
function withPasskey(t: ReturnType<typeof routesTestApp>): ReauthStrategy {
  const { remember } = t;
  return {
    ...remember,
    async reauthenticate(c) {
      const passkey = c.req.header('X-Passkey');
      if (passkey === undefined) return remember.reauthenticate(c);
      if (passkey.startsWith('ok:')) return { userId: passkey.slice(3), fresh: true };
      return null; // a failed passkey proves nobody
    },
  };
}

function app() {
  let strategy: ReauthStrategy | undefined;
  const fresh = requireSession({ fresh: 5 * MIN });
  const sensitive: MiddlewareHandler<SessionEnv> = async (c, next) => {
    if (c.req.path !== '/sensitive') return next();
    return fresh(c, async () => {
      c.res = c.json({ ok: true, user: c.var.session.userId });
    });
  };
  const t = routesTestApp({
    appMiddleware: sensitive,
    session: {
      reauth: { canReauth: () => true, reauthenticate: (c) => strategy!.reauthenticate(c) },
    },
  });
  strategy = withPasskey(t);
  return t;
}

/** Signed in with remember-me, idle past the timeout, silently re-authenticated 20 s ago. */
async function reauthedSilently() {
  const t = app();
  const browser = new Browser(t.app);
  expect((await browser.post('/login?remember=1')).status).toBe(200);
  t.clock.advance(31 * MIN);
  expect((await browser.post('/session/reauth')).status).toBe(200); // remember-me: not fresh
  t.clock.advance(20_000);
  return { t, browser };
}

const withPasskeyHeader = (browser: Browser, passkey: string) =>
  browser.send('POST', '/session/reauth', { headers: { 'X-Passkey': passkey } });

describe('POST /reauth shortly after a silent re-auth', () => {
  it('an interactive (fresh) proof right after a silent re-auth makes the session fresh', async () => {
    const { browser } = await reauthedSilently();
    expect((await browser.post('/sensitive')).status).toBe(401); // a fresh sign-in is asked for
    expect((await withPasskeyHeader(browser, 'ok:u1')).status).toBe(200);
    // The strategy saw the passkey: the session kept before never became fresh.
    expect((await browser.post('/sensitive')).status).toBe(200);
  });

  it('a failed interactive proof right after a silent re-auth is refused', async () => {
    const { browser } = await reauthedSilently();
    // It was answered 200 with the session of the silent re-auth.
    expect((await withPasskeyHeader(browser, 'bad')).status).toBe(401);
  });

  it('a proof of another account right after a silent re-auth switches the session to it', async () => {
    const { browser } = await reauthedSilently();
    expect((await withPasskeyHeader(browser, 'ok:u2')).status).toBe(200);
    expect((await (await browser.post('/sensitive')).json()).user).toBe('u2');
  });
});

describe('POST /reauth with remember-me shortly after a re-auth', () => {
  it('a remember-me validator a thief has used meanwhile is still taken for theft (SECURITY 38: invalid credential, 401)', async () => {
    const seen: string[] = [];
    const t = routesTestApp({ remember: { onEvent: (e) => void seen.push(e.type) } });
    const victim = new Browser(t.app);
    expect((await victim.post('/login?remember=1')).status).toBe(200);
    t.clock.advance(31 * MIN);
    expect((await victim.post('/session/reauth')).status).toBe(200); // session S, cookie V1
    // A thief copies the remember-me cookie V1 and uses it at once (rotating it to V2).
    const thief = new Browser(t.app);
    thief.cookies.set('lifeline_remember', victim.cookies.get('lifeline_remember')!);
    for (const [k, v] of victim.cookies) if (k !== 'lifeline') thief.cookies.set(k, v);
    t.clock.advance(2_000);
    expect((await thief.post('/session/reauth')).status).toBe(200);
    // 30 s after its re-auth (past the 10 s grace), the victim's browser re-authenticates
    // with S and the replaced validator V1: the evidence of theft.
    t.clock.advance(28_000);
    const res = await victim.post('/session/reauth');
    // Expected: 401 reauth_failed, `theft-suspected`, the credential deleted (the thief
    // cannot re-authenticate again). Observed: 200 with S, no event, the thief's V2 works.
    expect(seen).toContain('theft-suspected');
    expect(res.status).toBe(401);
  });
});

describe('session.reauthenticate() over a sign-in that was not a fresh authentication', () => {
  it('answers false when no reauth strategy is configured, as its JSDoc says', async () => {
    const routes: MiddlewareHandler<SessionEnv> = async (c, next) => {
      if (c.req.path === '/signin-soft') {
        // e.g. a magic link the app does not count as a fresh authentication
        await c.var.session.regenerate({ userId: 'u1', authenticated: false });
        return c.json({ ok: true });
      }
      if (c.req.path === '/app-reauth') return c.json(await c.var.session.reauthenticate());
      return next();
    };
    const t = routesTestApp({ appMiddleware: routes, session: { reauth: undefined } });
    const browser = new Browser(t.app);
    await browser.post('/touch-nothing'); // no session yet
    expect((await browser.post('/signin-soft')).status).toBe(200);
    t.clock.advance(5_000);
    // Observed true: the session matches "a re-auth made it under a minute ago"
    // (userId set, authenticatedAt null !== createdAt, a fresh absolute limit).
    expect(await (await browser.post('/app-reauth')).json()).toBe(false);
  });
});
