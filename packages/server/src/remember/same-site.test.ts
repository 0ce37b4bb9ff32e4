import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Browser, type RoutesTestOptions, routesTestApp } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { rememberMe } from './remember.js';

const REMEMBER = 'lifeline_remember';
const MIN = 60_000;

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

describe('the remember-me cookie SameSite follows the session cookie', () => {
  it('is Lax beside the default Lax session cookie', async () => {
    const seen = await lifecycle({});
    expect(seen.sessionCookie).toEqual(['Lax']);
    expect(seen).toMatchObject({ issued: ['Lax'], rotated: ['Lax'], cleared: ['Lax'] });
  });

  it('is Strict beside a Strict session cookie', async () => {
    const seen = await lifecycle({ session: { cookie: { sameSite: 'Strict' } } });
    expect(seen.sessionCookie).toEqual(['Strict']);
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

  it('stays Lax when rememberMe({ secure: false }) would make None unusable (browsers drop None without Secure)', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser: () => ({ name: 'Ada' }), secure: false });
    const app = new Hono<SessionEnv>();
    app.use(session({ store, reauth: remember, cookie: { sameSite: 'None', secure: true } }));
    app.post('/issue', async (c) => {
      await remember.issue(c, 'u1');
      return c.text('ok');
    });
    const res = await app.request('https://localhost/issue', { method: 'POST' });
    expect(sameSites(res, REMEMBER)).toEqual(['Lax']);
  });
});

describe('cross-site navigations carry the Lax remember cookie', () => {
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
    /** A top-level cross-site GET: both Lax cookies go along, and nothing of the SDK's. */
    const crossSite = async (path: string) => {
      const res = await browser.send('GET', path, {
        headers: { Origin: null, 'Session-Request': null, 'Sec-Fetch-Site': 'cross-site' },
      });
      return res.headers.getSetCookie().filter((l) => l.startsWith(`${REMEMBER}=`));
    };
    return { ...t, browser, crossSite };
  }

  it("a sign-in as another user clears the first user's cookie and deletes its credential", async () => {
    const t = await remembered();
    const copy = t.browser.cookies.get(REMEMBER)!;
    expect(await t.crossSite('/callback?user=u2')).toEqual([
      `${REMEMBER}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
    ]);
    expect(t.browser.cookies.has(REMEMBER)).toBe(false);
    expect(await (await t.browser.get('/session/status')).json()).toMatchObject({
      state: 'active',
      user: { name: 'u2' },
    });
    const other = new Browser(t.app);
    other.cookies.set(REMEMBER, copy);
    expect((await other.post('/session/reauth')).status).toBe(401);
  });

  it('a sign-out clears the cookie and deletes its credential: a copy of the cookie no longer signs in', async () => {
    const t = await remembered();
    const copy = t.browser.cookies.get(REMEMBER)!;
    const [signedIn] = await t.manager.listForUser('u1');
    const linked = (await t.manager.get(signedIn!.id))!.credentialId!;
    expect(await t.crossSite('/sign-out')).toHaveLength(1);
    expect(await t.store.getCredential(linked)).toBeNull();
    t.clock.advance(31 * MIN);
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
    // Another profile, a backup or a thief holding the cookie from before the sign-out.
    const other = new Browser(t.app);
    other.cookies.set(REMEMBER, copy);
    expect((await other.post('/session/reauth')).status).toBe(401);
  });

  it('a sign-out after the session timed out still deletes the credential: the cookie came along', async () => {
    const t = await remembered();
    const copy = t.browser.cookies.get(REMEMBER)!;
    t.clock.advance(31 * MIN); // idle: the remember cookie is what would bring the device back
    expect(await t.crossSite('/sign-out')).toHaveLength(1);
    const other = new Browser(t.app);
    other.cookies.set(REMEMBER, copy);
    expect((await other.post('/session/reauth')).status).toBe(401);
  });

  it('a request without the cookie sends no clearing line, cross-site or not', async () => {
    const { browser, crossSite } = await remembered();
    browser.cookies.delete(REMEMBER);
    expect(sameSites(await browser.post('/session/logout'), REMEMBER)).toEqual([]);
    expect(await crossSite('/sign-out')).toEqual([]);
  });
});
