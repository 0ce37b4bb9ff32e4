import type { Hono } from 'hono';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  Browser,
  type RoutesTestOptions,
  routesTestApp,
  switchableStore,
} from '../routes/test-app.fixture.js';
import { StoreUnavailableError } from '../session/guard-store.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { EndedMarker } from '../store/types.js';
import type { ManualClock } from '../testing/clock.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

/** An app with one browser signed in with "remember me" (laptop) and one without (phone). */
async function rememberedDevice(options?: RoutesTestOptions) {
  const t = routesTestApp(options);
  const laptop = new Browser(t.app);
  await laptop.send('POST', '/login?remember=1', { headers: { 'User-Agent': 'Laptop' } });
  const phone = new Browser(t.app);
  await phone.send('POST', '/login', { headers: { 'User-Agent': 'Phone' } });
  const listed = await t.manager.listForUser('u1');
  const laptopId = listed.find((s) => s.userAgent === 'Laptop')!.id;
  return { ...t, laptop, phone, laptopId };
}

/** `POST /session/reauth` from a browser holding only the given remember-me cookie. */
function reauthWith(t: { app: Hono<SessionEnv> }, cookie: string): Promise<Response> {
  const device = new Browser(t.app);
  device.cookies.set(REMEMBER, cookie);
  return device.post('/session/reauth');
}

const status = async (b: Browser) => (await b.get('/session/status')).json();

describe('revoking a session deletes the remember-me credential it was issued with', () => {
  it('manager.revoke(id): the device can no longer re-authenticate', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))?.credentialId;
    expect(await t.store.getCredential(linked!)).toMatchObject({ userId: 'u1' });
    await t.manager.revoke(t.laptopId);
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'revoked' });
    const res = await t.laptop.post('/session/reauth');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'reauth_failed' });
    expect(t.laptop.cookies.has(REMEMBER)).toBe(false);
    expect(await t.store.getCredential(linked!)).toBeNull();
  });

  it('POST /session/sessions/revoke { id } from another device ends that device for good', async () => {
    const t = await rememberedDevice();
    const res = await t.phone.post('/session/sessions/revoke', { id: t.laptopId });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: false });
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
    expect(await status(t.phone)).toMatchObject({ state: 'active' });
  });

  it('POST /session/sessions/revoke { id } naming the current session deletes its credential too', async () => {
    const t = await rememberedDevice();
    const credential = t.laptop.cookies.get(REMEMBER)!;
    const res = await t.laptop.post('/session/sessions/revoke', { id: t.laptopId });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: true });
    expect((await reauthWith(t, credential)).status).toBe(401);
  });

  it("onTheft: 'revoke': a replayed old session token ends the session and its credential", async () => {
    const t = await rememberedDevice({ session: { onTheft: 'revoke' } });
    const stolen = t.laptop.cookies.get('lifeline')!;
    t.clock.advance(15 * MIN);
    await t.laptop.get('/touch'); // rotates: `stolen` is now the predecessor
    t.clock.advance(11_000); // past the grace window
    const thief = new Browser(t.app);
    thief.cookies.set('lifeline', stolen);
    await thief.get('/touch');
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
  });

  it("bindUserAgent: 'revoke': a changed User-Agent ends the session and its credential", async () => {
    const t = await rememberedDevice({ session: { bindUserAgent: 'revoke' } });
    await t.laptop.send('GET', '/touch', { headers: { 'User-Agent': 'Other' } });
    expect(await t.manager.get(t.laptopId)).toMatchObject({
      ended: { reason: 'revoked', detail: 'user-agent-changed' },
    });
    const res = await t.laptop.send('POST', '/session/reauth', {
      headers: { 'User-Agent': 'Laptop' },
    });
    expect(res.status).toBe(401);
  });

  it('manager.revoke(id) of a session its device has since re-authenticated away from still ends that device', async () => {
    const t = await rememberedDevice();
    // The laptop (or a thief holding its remember cookie) re-authenticates: a new session id.
    expect((await t.laptop.post('/session/reauth')).status).toBe(200);
    expect(await t.manager.get(t.laptopId)).toMatchObject({ ended: { detail: 'regenerated' } });
    await t.manager.revoke(t.laptopId); // the id a "your devices" list showed a moment ago
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
    expect(await status(t.phone)).toMatchObject({ state: 'active' });
  });

  it('maxSessionsPerUser: the evicted oldest session loses its credential', async () => {
    const t = await rememberedDevice({ session: { maxSessionsPerUser: 2 } });
    t.clock.advance(1);
    await new Browser(t.app).post('/login');
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
    expect(await status(t.phone)).toMatchObject({ state: 'active' });
  });
});

describe('signing out deletes the credential the session links', () => {
  it('POST /session/logout deletes it and clears the cookie, as before', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))!.credentialId!;
    const copy = t.laptop.cookies.get(REMEMBER)!;
    const res = await t.laptop.post('/session/logout');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'none',
      reason: 'logged-out',
      canReauth: false,
    });
    expect(res.headers.getSetCookie().filter((l) => l.startsWith(`${REMEMBER}=`))).toEqual([
      `${REMEMBER}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
    ]);
    expect(await t.store.getCredential(linked)).toBeNull();
    expect((await reauthWith(t, copy)).status).toBe(401);
    expect(await status(t.phone)).toMatchObject({ state: 'active' });
  });

  it('deletes it also when the request did not carry its cookie', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))!.credentialId!;
    const copy = t.laptop.cookies.get(REMEMBER)!;
    t.laptop.cookies.delete(REMEMBER);
    expect((await t.laptop.post('/session/logout')).status).toBe(200);
    expect(await t.store.getCredential(linked)).toBeNull();
    expect((await reauthWith(t, copy)).status).toBe(401);
  });

  it("leaves another device's credential alone", async () => {
    const t = await rememberedDevice();
    const other = new Browser(t.app);
    await other.send('POST', '/login?remember=1', { headers: { 'User-Agent': 'Tablet' } });
    await t.laptop.post('/session/logout');
    t.clock.advance(31 * MIN);
    expect((await other.post('/session/reauth')).status).toBe(200);
  });
});

describe('the credential stays with the device while its session only moves on', () => {
  it('a login again (regenerate) keeps the credential and hands the link to the new session', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))?.credentialId;
    await t.laptop.send('POST', '/login', { headers: { 'User-Agent': 'Laptop' } });
    expect(await t.manager.get(t.laptopId)).toMatchObject({ ended: { detail: 'regenerated' } });
    expect(await t.store.getCredential(linked!)).not.toBeNull();
    const current = (await t.manager.listForUser('u1')).find((s) => s.userAgent === 'Laptop')!;
    expect((await t.manager.get(current.id))?.credentialId).toBe(linked);
    await t.manager.revoke(current.id);
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
  });

  it('after an idle timeout the device re-authenticates, and the new session carries the link', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))?.credentialId;
    t.clock.advance(31 * MIN);
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'idle-timeout' });
    expect((await t.laptop.post('/session/reauth')).status).toBe(200);
    const [renewed] = await t.manager.listForUser('u1');
    expect((await t.manager.get(renewed!.id))?.credentialId).toBe(linked);
    await t.manager.revoke(renewed!.id);
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
  });

  it('after an absolute timeout the device re-authenticates, and the new session carries the link', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))?.credentialId;
    for (let i = 0; i < 17; i++) {
      t.clock.advance(29 * MIN);
      await t.laptop.get('/touch');
    }
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'absolute-timeout' });
    expect((await t.laptop.post('/session/reauth')).status).toBe(200);
    const [renewed] = await t.manager.listForUser('u1');
    expect((await t.manager.get(renewed!.id))?.credentialId).toBe(linked);
  });

  it('revokeUser with keepCredentials ends the sessions and keeps their credentials', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))?.credentialId;
    expect(await t.manager.revokeUser('u1', { keepCredentials: true })).toBe(2);
    expect(await t.store.getCredential(linked!)).toMatchObject({ userId: 'u1' });
    expect((await t.laptop.post('/session/reauth')).status).toBe(200);
  });

  it('manager.revoke on a session revokeUser ended with keepCredentials keeps its credential', async () => {
    const t = await rememberedDevice();
    const linked = (await t.manager.get(t.laptopId))?.credentialId;
    await t.manager.revokeUser('u1', { keepCredentials: true });
    await t.manager.revoke(t.laptopId);
    expect(await t.store.getCredential(linked!)).toMatchObject({ userId: 'u1' });
    expect((await t.laptop.post('/session/reauth')).status).toBe(200);
  });
});

describe('a re-auth refused by the session limit', () => {
  it("keeps both devices' credentials when parallel re-auths each refuse their own new session, also through a later manager.revoke", async () => {
    // Armed, the first `arrivals` listings wait for each other: every re-auth looks before any creates.
    const barrier = { armed: false, arrivals: 2, release: [] as Array<() => void> };
    const refused: string[] = [];
    const store = (clock: ManualClock) => {
      const inner = memoryStore({ now: clock.now });
      return new Proxy(inner, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (key === 'end') {
            return (sid: string, ended: EndedMarker, until: number) => {
              if (ended.detail === 'session-limit-refused') refused.push(sid);
              return inner.end(sid, ended, until);
            };
          }
          if (key !== 'listByUser' || typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            if (barrier.armed && barrier.release.length < barrier.arrivals) {
              await new Promise<void>((resolve) => {
                barrier.release.push(resolve);
                if (barrier.release.length === barrier.arrivals)
                  for (const go of barrier.release) go();
              });
            }
            return value.apply(target, args);
          };
        },
      });
    };
    const t = routesTestApp({
      store,
      session: { maxSessionsPerUser: 2, onSessionLimit: 'refuse' },
    });
    const [laptop, phone] = [new Browser(t.app), new Browser(t.app)];
    await laptop.post('/login?remember=1');
    await phone.post('/login?remember=1');
    t.clock.advance(31 * MIN); // both idle: each needs its credential
    await new Browser(t.app).post('/login'); // a third device takes one of the two places
    barrier.armed = true;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    const replies = await Promise.all([laptop, phone].map((b) => b.post('/session/reauth')));
    expect(replies.map((r) => r.status)).toEqual([409, 409]);
    // Revoking the refused sessions (an admin tidying up) leaves the devices' credentials.
    expect(refused).toHaveLength(2);
    for (const sid of refused) await t.manager.revoke(sid);
    expect((await laptop.post('/session/reauth')).status).toBe(200);
    const live = await t.manager.listForUser('u1');
    const records = await Promise.all(live.map((l) => t.manager.get(l.id)));
    expect(records.filter((r) => typeof r?.credentialId === 'string')).toHaveLength(1);
  });
});

describe('linking when issue() comes first', () => {
  it('issue() before regenerate() links the session the login creates', async () => {
    const t = routesTestApp();
    t.app.post('/login-issue-first', async (c) => {
      await t.remember.issue(c, 'u1');
      await c.var.session.regenerate({ userId: 'u1' });
      return c.json({ id: c.var.session.id });
    });
    const laptop = new Browser(t.app);
    await laptop.post('/session/status'); // any anonymous request first
    const { id } = await (await laptop.post('/login-issue-first')).json();
    expect((await t.manager.get(id))?.credentialId).toEqual(expect.any(String));
    await t.manager.revoke(id);
    expect((await laptop.post('/session/reauth')).status).toBe(401);
  });
});

describe('Session.linkCredential', () => {
  it('refuses an id that is not a non-empty string or null, naming it', async () => {
    const t = routesTestApp();
    t.app.post('/link', (c) => {
      const bad = [42, '', undefined, {}] as unknown as string[];
      const errors = bad.map((id) => {
        try {
          c.var.session.linkCredential(id);
          return null;
        } catch (error) {
          return (error as Error).message;
        }
      });
      return c.json(errors);
    });
    const messages = await (await new Browser(t.app).post('/link')).json();
    expect(messages).toEqual(Array(4).fill(expect.stringContaining('credentialId')));
  });
});

describe('a store failure while deleting the credential', () => {
  /** The memory store, with `deleteCredential` failing while `failing` is set. */
  it('still ends the session; repeating manager.revoke then deletes the credential', async () => {
    const outage = switchableStore({ only: 'deleteCredential' });
    const t = await rememberedDevice({ store: outage.store });
    const linked = (await t.manager.get(t.laptopId))?.credentialId;
    outage.set(true);
    await expect(t.manager.revoke(t.laptopId)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(await t.store.getCredential(linked!)).not.toBeNull();
    outage.set(false);
    await t.manager.revoke(t.laptopId);
    expect(await t.store.getCredential(linked!)).toBeNull();
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
  });

  it("repeating manager.revoke also ends the device's other session sharing the credential", async () => {
    const outage = switchableStore({ only: 'deleteCredential' });
    const t = await rememberedDevice({ store: outage.store });
    t.clock.advance(31 * MIN);
    const tab2 = new Browser(t.app);
    for (const [name, value] of t.laptop.cookies) tab2.cookies.set(name, value);
    expect((await t.laptop.post('/session/reauth')).status).toBe(200);
    expect((await tab2.post('/session/reauth')).status).toBe(200); // a second session, same credential
    const [one] = (await t.manager.listForUser('u1')).filter((s) => s.userAgent !== 'Phone');
    outage.set(true);
    await expect(t.manager.revoke(one!.id)).rejects.toBeInstanceOf(StoreUnavailableError);
    outage.set(false);
    await t.manager.revoke(one!.id);
    expect(await status(t.laptop)).toMatchObject({ state: 'none' });
    expect(await status(tab2)).toMatchObject({ state: 'none' });
  });

  /**
   * Adds an app GET sign-out and sign-in (a link in an e-mail, an identity provider's
   * redirect back), before the app's first request; returns how to reach them cross-site.
   */
  function crossSiteRoutes(t: { app: Hono<SessionEnv> }) {
    t.app.get('/sign-out', async (c) => {
      await c.var.session.destroy();
      return c.text('ok');
    });
    t.app.get('/callback', async (c) => {
      await c.var.session.regenerate({ userId: 'u2', user: { name: 'u2' } });
      return c.text('ok');
    });
    /** A top-level cross-site GET: both Lax cookies go along, and nothing of the SDK's. */
    return (browser: Browser, path: string) =>
      browser.send('GET', path, {
        headers: { Origin: null, 'Session-Request': null, 'Sec-Fetch-Site': 'cross-site' },
      });
  }

  /** A remembered laptop signed in, then a store whose deletes fail (the error log muted). */
  async function rememberedThenDeletesFail() {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    const outage = switchableStore({ only: 'deleteCredential' });
    const t = routesTestApp({ store: outage.store });
    const crossSite = crossSiteRoutes(t);
    const laptop = new Browser(t.app);
    await laptop.post('/login?remember=1');
    outage.set(true);
    return { outage, crossSite, laptop };
  }

  it('answers a cross-site sign-out with 503 store_unavailable, the session ended and its cookie taken', async () => {
    const { crossSite, laptop } = await rememberedThenDeletesFail();
    const res = await crossSite(laptop, '/sign-out');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'store_unavailable' });
    expect(laptop.cookies.has(REMEMBER)).toBe(false);
    expect(await status(laptop)).toMatchObject({ state: 'none', reason: 'logged-out' });
  });

  it('answers a cross-site sign-in as another user with 503, handing over the new session and taking the cookie', async () => {
    const { outage, crossSite, laptop } = await rememberedThenDeletesFail();
    const res = await crossSite(laptop, '/callback');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'store_unavailable' });
    outage.set(false);
    // The first session ended with the sign-in: the new one reached the browser with the 503.
    expect(await status(laptop)).toMatchObject({
      state: 'active',
      user: { name: 'u2' },
      canReauth: false,
    });
  });

  it('answers POST /session/sessions/revoke with 503 store_unavailable, the session ended', async () => {
    // Hono reports the handler's error before the middleware turns it into the 503.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    const outage = switchableStore({ only: 'deleteCredential' });
    const t = await rememberedDevice({ store: outage.store });
    outage.set(true);
    const res = await t.phone.post('/session/sessions/revoke', { id: t.laptopId });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'store_unavailable' });
    expect(await status(t.laptop)).toMatchObject({ state: 'none', reason: 'revoked' });
  });
});

describe('parallel re-auths with one cookie and maxSessionsPerUser', () => {
  /** A device signed in with remember-me, idle, and a second tab holding the same cookies. */
  async function twoTabs(session: RoutesTestOptions['session']) {
    const t = routesTestApp({ session });
    const tab1 = new Browser(t.app);
    await tab1.send('POST', '/login?remember=1', { headers: { 'User-Agent': 'Laptop' } });
    return { t, tab1 };
  }
  const copy = (from: Browser, to: Browser) => {
    for (const [name, value] of from.cookies) to.cookies.set(name, value);
  };

  it("replace the device's other session first, keeping the credential they share", async () => {
    const { t, tab1 } = await twoTabs({ maxSessionsPerUser: 1 });
    t.clock.advance(31 * MIN);
    const tab2 = new Browser(t.app);
    copy(tab1, tab2);
    expect((await tab1.post('/session/reauth')).status).toBe(200);
    expect((await tab2.post('/session/reauth')).status).toBe(200); // the replaced cookie
    expect(await status(tab2)).toMatchObject({ state: 'active' });
    // One browser holds one session cookie: the other session made room, and the device's
    // credential still brings it back.
    expect(await status(tab1)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect((await tab1.post('/session/reauth')).status).toBe(200);
  });

  for (const onSessionLimit of ['evict-oldest', 'refuse'] as const) {
    it(`${onSessionLimit}: one remember cookie re-authenticating again and again stays within the limit`, async () => {
      const { t, tab1 } = await twoTabs({ maxSessionsPerUser: 2, onSessionLimit });
      let cookie = tab1.cookies.get(REMEMBER)!;
      for (let i = 0; i < 6; i++) {
        t.clock.advance(1000);
        const fresh = new Browser(t.app); // the remember cookie only, no session cookie
        fresh.cookies.set(REMEMBER, cookie);
        expect((await fresh.post('/session/reauth')).status).toBe(200);
        cookie = fresh.cookies.get(REMEMBER)!;
      }
      expect((await t.manager.listForUser('u1')).length).toBeLessThanOrEqual(2);
    });
  }

  it("never evict another device's session (and so its credential)", async () => {
    const { t, tab1: laptop } = await twoTabs({ maxSessionsPerUser: 2 });
    t.clock.advance(20 * MIN);
    const phone = new Browser(t.app);
    await phone.send('POST', '/login?remember=1', { headers: { 'User-Agent': 'Phone' } });
    t.clock.advance(11 * MIN); // the laptop is idle, the phone live
    const tab2 = new Browser(t.app);
    copy(laptop, tab2);
    expect((await laptop.post('/session/reauth')).status).toBe(200);
    expect((await tab2.post('/session/reauth')).status).toBe(200);
    expect(await status(phone)).toMatchObject({ state: 'active' });
    t.clock.advance(31 * MIN);
    expect((await phone.post('/session/reauth')).status).toBe(200);
  });

  it("onSessionLimit 'refuse' does not refuse the device's second tab", async () => {
    const { t, tab1 } = await twoTabs({ maxSessionsPerUser: 1, onSessionLimit: 'refuse' });
    t.clock.advance(31 * MIN);
    const tab2 = new Browser(t.app);
    copy(tab1, tab2);
    expect((await tab1.post('/session/reauth')).status).toBe(200);
    expect((await tab2.post('/session/reauth')).status).toBe(200);
    expect(tab2.cookies.get(REMEMBER)).toBe(tab1.cookies.get(REMEMBER));
  });
});

describe("revoking another session of the caller's own browser", () => {
  it('ends that session but never the caller, who is told so', async () => {
    const t = routesTestApp();
    const laptop = new Browser(t.app);
    await laptop.send('POST', '/login?remember=1', { headers: { 'User-Agent': 'Laptop' } });
    t.clock.advance(31 * MIN);
    const tab2 = new Browser(t.app);
    for (const [name, value] of laptop.cookies) tab2.cookies.set(name, value);
    await laptop.post('/session/reauth');
    await tab2.post('/session/reauth'); // a second session linking the same credential
    await laptop.send('POST', '/login', { headers: { 'User-Agent': 'Laptop' } }); // fresh again
    const { sessions } = await (await laptop.get('/session/sessions')).json();
    const other = sessions.find((s: { current: boolean; userAgent: string }) => !s.current);
    const res = await laptop.post('/session/sessions/revoke', { id: other.id });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: false });
    expect(await status(laptop)).toMatchObject({ state: 'active' });
    expect(await status(tab2)).toMatchObject({ state: 'none' });
  });
});

describe('manager.revoke(id, detail)', () => {
  it('refuses the details that keep a credential, so an audit detail cannot keep one by accident', async () => {
    const t = await rememberedDevice();
    for (const detail of ['revoke-user', 'regenerated', 'session-limit-refused']) {
      await expect(t.manager.revoke(t.laptopId, detail)).rejects.toThrow(/`detail` .* reserved/);
    }
    expect(await status(t.laptop)).toMatchObject({ state: 'active' });
    await t.manager.revoke(t.laptopId, 'fraud-team');
    expect((await t.laptop.post('/session/reauth')).status).toBe(401);
  });
});

describe('another user signing in on the same browser', () => {
  it("forgets the first user's remember-me credential, so re-auth never signs in as them", async () => {
    const t = routesTestApp();
    const browser = new Browser(t.app);
    await browser.post('/login?user=u1&remember=1');
    const u1Credential = browser.cookies.get(REMEMBER)!;
    await browser.post('/login?user=u2'); // without remember-me
    expect(browser.cookies.has(REMEMBER)).toBe(false);
    t.clock.advance(31 * MIN);
    expect((await browser.post('/session/reauth')).status).toBe(401);
    expect((await reauthWith(t, u1Credential)).status).toBe(401);
  });

  it("a store outage there answers 503 and still takes the first user's cookie away", async () => {
    const outage = switchableStore({ only: 'getCredential' });
    const t = routesTestApp({ store: outage.store });
    const browser = new Browser(t.app);
    await browser.post('/login?user=u1&remember=1');
    outage.set(true);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    expect((await browser.post('/login?user=u2')).status).toBe(503);
    outage.set(false);
    expect(await status(browser)).toMatchObject({ canReauth: false });
    expect((await browser.post('/session/reauth')).status).toBe(401);
  });

  it("a timed-out ending of the first user's session (503, the new session handed over) still takes their cookie and credential", async () => {
    // Applied, but the reply is lost: the store timed out as far as the server knows.
    const outage = switchableStore({ only: 'end', afterApplying: true });
    const t = routesTestApp({ store: outage.store });
    const browser = new Browser(t.app);
    await browser.post('/login?user=u1&remember=1');
    const u1Credential = browser.cookies.get(REMEMBER)!;
    outage.set(true);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    const res = await browser.post('/login?user=u2');
    outage.set(false);
    expect(res.status).toBe(503);
    expect(res.headers.getSetCookie().filter((l) => l.startsWith(`${REMEMBER}=`))).toEqual([
      `${REMEMBER}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
    ]);
    expect(await status(browser)).toMatchObject({
      state: 'active',
      user: { name: 'User u2' },
      canReauth: false,
    });
    // Once u2's session ends, nothing signs this browser back in as u1.
    t.clock.advance(31 * MIN);
    expect((await browser.post('/session/reauth')).status).toBe(401);
    expect((await reauthWith(t, u1Credential)).status).toBe(401);
  });

  it('keeps the credential when the same user signs in again', async () => {
    const t = routesTestApp();
    const browser = new Browser(t.app);
    await browser.post('/login?user=u1&remember=1');
    await browser.post('/login?user=u1');
    t.clock.advance(31 * MIN);
    expect((await browser.post('/session/reauth')).status).toBe(200);
  });
});
