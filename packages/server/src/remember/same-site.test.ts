import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Browser, type RoutesTestOptions, routesTestApp } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { rememberMe } from './remember.js';

const REMEMBER = 'lifeline_remember';

/** The SameSite value of every Set-Cookie line for `name` (set, rotated or cleared). */
function sameSites(res: Response, name: string): string[] {
  return res.headers
    .getSetCookie()
    .filter((line) => line.startsWith(`${name}=`))
    .map((line) => /;\s*SameSite=(\w+)/.exec(line)?.[1] ?? 'absent');
}

/** Issues, rotates (re-auth) and clears (logout) the remember cookie; its SameSite each time. */
async function lifecycle(options: RoutesTestOptions, https = false) {
  const t = routesTestApp(options);
  const browser = new Browser(t.app);
  const origin = https ? 'https://localhost' : null;
  const send = (path: string) =>
    browser.send('POST', path, {
      headers: origin ? { Origin: origin, 'X-Forwarded-Proto': 'https' } : {},
    });
  const name = https ? `__Host-${REMEMBER}` : REMEMBER;
  const login = await send('/login?remember=1');
  t.clock.advance(31 * 60_000); // the session has expired: a re-auth is due
  const reauth = await send('/session/reauth');
  const logout = await send('/session/logout');
  return {
    issued: sameSites(login, name),
    rotated: sameSites(reauth, name),
    cleared: sameSites(logout, name),
    sessionCookie: sameSites(login, https ? '__Host-lifeline' : 'lifeline'),
    lines: [login, reauth, logout].flatMap((r) =>
      r.headers.getSetCookie().filter((l) => l.startsWith(`${name}=`)),
    ),
  };
}

describe('the remember-me cookie SameSite', () => {
  it('is Strict beside the default Lax session cookie: only the SDK same-origin fetch to /reauth needs it', async () => {
    const seen = await lifecycle({});
    expect(seen.sessionCookie).toEqual(['Lax']);
    expect(seen).toMatchObject({ issued: ['Strict'], rotated: ['Strict'], cleared: ['Strict'] });
  });

  it('is Strict beside a Strict session cookie', async () => {
    const seen = await lifecycle({ session: { cookie: { sameSite: 'Strict' } } });
    expect(seen).toMatchObject({ issued: ['Strict'], rotated: ['Strict'], cleared: ['Strict'] });
  });

  it('is None, Secure and __Host- beside a SameSite=None session cookie (an app embedded cross-site)', async () => {
    const seen = await lifecycle(
      { session: { cookie: { sameSite: 'None', secure: true }, trustProxy: true } },
      true,
    );
    expect(seen.sessionCookie).toEqual(['None']);
    expect(seen).toMatchObject({ issued: ['None'], rotated: ['None'], cleared: ['None'] });
    for (const line of seen.lines) expect(line).toMatch(/; Secure(;|$)/);
  });

  it('stays Strict when rememberMe({ secure: false }) would make None unusable (browsers drop None without Secure)', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser: () => ({ name: 'Ada' }), secure: false });
    const app = new Hono<SessionEnv>();
    app.use(session({ store, reauth: remember, cookie: { sameSite: 'None', secure: true } }));
    app.post('/issue', async (c) => {
      await remember.issue(c, 'u1');
      return c.text('ok');
    });
    const res = await app.request('https://localhost/issue', { method: 'POST' });
    expect(sameSites(res, REMEMBER)).toEqual(['Strict']);
  });
});

describe('requests that cannot carry a Strict remember cookie (cross-site)', () => {
  /** A signed-in browser with a remember cookie, and app routes reached by cross-site links. */
  async function remembered() {
    const t = routesTestApp();
    // An identity provider's redirect back to the app, and a sign-out link in an e-mail.
    t.app.get('/callback', async (c) => {
      const userId = c.req.query('user') ?? 'u1';
      await c.var.session.regenerate({ userId, user: { name: userId } });
      return c.text('ok');
    });
    t.app.get('/sign-out', async (c) => {
      await c.var.session.destroy();
      return c.text('ok');
    });
    const browser = new Browser(t.app);
    await browser.post('/login?user=u1&remember=1');
    expect(browser.cookies.has(REMEMBER)).toBe(true);
    /** A top-level cross-site navigation: the Lax session cookie goes, the Strict one stays home. */
    const crossSite = async (path: string) => {
      const credential = browser.cookies.get(REMEMBER)!;
      browser.cookies.delete(REMEMBER);
      const res = await browser.send('GET', path, {
        headers: { Origin: null, 'Session-Request': null, 'Sec-Fetch-Site': 'cross-site' },
      });
      const lines = res.headers.getSetCookie().filter((l) => l.startsWith(`${REMEMBER}=`));
      if (lines.length === 0) browser.cookies.set(REMEMBER, credential);
      return lines;
    };
    return { ...t, browser, crossSite };
  }

  it("a sign-in as another user clears the first user's cookie it could not see", async () => {
    const { crossSite, browser } = await remembered();
    expect(await crossSite('/callback?user=u2')).toEqual([
      `${REMEMBER}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`,
    ]);
    expect(browser.cookies.has(REMEMBER)).toBe(false);
  });

  it('a sign-out clears the cookie it could not see, so the SDK cannot sign the person back in', async () => {
    const { crossSite, browser, clock } = await remembered();
    expect(await crossSite('/sign-out')).toHaveLength(1);
    clock.advance(31 * 60_000);
    expect((await browser.post('/session/reauth')).status).toBe(401);
  });

  it('a sign-out deletes the credential on the server too: a copy of the cookie no longer signs in', async () => {
    const t = await remembered();
    const copy = t.browser.cookies.get(REMEMBER)!;
    const [signedIn] = await t.manager.listForUser('u1');
    const linked = (await t.manager.get(signedIn!.id))!.credentialId!;
    expect(await t.crossSite('/sign-out')).toHaveLength(1);
    expect(await t.store.getCredential(linked)).toBeNull();
    // Another profile, a backup or a thief holding the cookie from before the sign-out.
    const other = new Browser(t.app);
    other.cookies.set(REMEMBER, copy);
    expect((await other.post('/session/reauth')).status).toBe(401);
  });

  it("a sign-in as another user deletes the first user's credential on the server too", async () => {
    const t = await remembered();
    const copy = t.browser.cookies.get(REMEMBER)!;
    await t.crossSite('/callback?user=u2');
    expect(await (await t.browser.get('/session/status')).json()).toMatchObject({
      state: 'active',
      user: { name: 'u2' },
    });
    const other = new Browser(t.app);
    other.cookies.set(REMEMBER, copy);
    expect((await other.post('/session/reauth')).status).toBe(401);
  });

  it('a same-site request without the cookie sends no clearing line (nothing is withheld there)', async () => {
    const { browser } = await remembered();
    browser.cookies.delete(REMEMBER);
    const res = await browser.post('/session/logout');
    expect(sameSites(res, REMEMBER)).toEqual([]);
  });
});
