import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../events/types.js';
import { rememberMe } from '../remember/remember.js';
import { requireSession } from '../require/require-session.js';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { session } from './middleware.js';
import { gate } from './race.fixture.js';
import type { SessionEnv } from './types.js';

/**
 * One browser where alice is signed in and then bob signs in (a shared computer, a "switch
 * account"). Alice's requests sent before bob's sign-in landed still carry her cookie; an
 * SDK that re-authenticates or repeats them after the refusal sends bob's cookie instead.
 * `ran` records, per user, the protected handler's runs; `handler` holds the write route
 * after its session was read.
 */
function switchApp() {
  const clock = manualClock();
  const store = memoryStore({ now: clock.now });
  const events: SessionEvent[] = [];
  const credentialEvents: string[] = [];
  const remember = rememberMe({
    store,
    now: clock.now,
    findUser: (id) => ({ name: id }),
    onEvent: (e) => {
      credentialEvents.push(e.type);
    },
  });
  const sessions = session({
    store,
    now: clock.now,
    reauth: remember,
    onEvent: (event) => {
      events.push(event);
    },
  });
  const handler = gate();
  const signIn = gate(); // holds a sign-in after its session was read (a password check)
  const ran: string[] = [];
  const app = new Hono<SessionEnv>();
  app.use(sessions);
  app.post('/login/:user', async (c) => {
    await signIn.pass();
    await c.var.session.regenerate({ userId: c.req.param('user') });
    if (c.req.query('remember') === '1') await remember.issue(c, c.req.param('user'));
    return c.text('signed in');
  });
  app.delete('/api/items/:id', requireSession(), (c) => {
    ran.push(c.var.session.userId!);
    return c.body(null, 204);
  });
  app.put('/api/note', async (c) => {
    await handler.pass();
    ran.push(`note:${c.var.session.userId}`);
    c.var.session.set('note', 'from the request');
    return c.text('saved');
  });
  // A privilege change ("sudo mode"): a new token for the same user, no sign-in.
  app.post('/elevate', requireSession(), async (c) => {
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  // A privilege change (a role switch) made with PUT, which the SDK may repeat on its own.
  app.put('/role', async (c) => {
    await handler.pass();
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  // "Remember this device", alone or with a privilege change, in alice's other tab.
  app.post('/remember-device', async (c) => {
    await remember.issue(c, c.var.session.userId!);
    return c.text('remembered');
  });
  app.post('/elevate-remember', async (c) => {
    await remember.issue(c, c.var.session.userId!);
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  app.route('/session', sessionRoutes({ manager: sessions.manager }));
  const browser = new Browser(app);
  const status = async (b: Browser) => (await b.get('/session/status')).json();
  return {
    ...{ clock, store, events, credentialEvents, handler, signIn, ran, browser, status, app },
    manager: sessions.manager,
  };
}

const REMEMBER = 'lifeline_remember';

const sessionCookies = (res: Response) =>
  res.headers.getSetCookie().filter((line) => line.startsWith('lifeline='));

type App = ReturnType<typeof switchApp>;

/**
 * Signs alice in, posts `before` (e.g. a privilege change) and then, from a tab that kept
 * alice's first cookie, sends `method path` once `between` (bob's sign-in) has landed.
 */
async function sentBefore(t: App, method: string, path: string, before: string[] = []) {
  await t.browser.post('/login/alice');
  const alicesTab = t.browser.tab();
  for (const step of [...before, '/login/bob'])
    expect((await t.browser.post(step)).status).toBe(200);
  return alicesTab.send(method, path);
}

/** Signs alice in, holds `method path` after its session was read, posts `during`, lets it end. */
async function heldAcross(t: App, method: string, path: string, during = ['/login/bob']) {
  await t.browser.post('/login/alice');
  const entered = t.handler.hold();
  const pending = t.browser.tab().send(method, path);
  await entered;
  for (const step of during) expect((await t.browser.post(step)).status).toBe(200);
  t.handler.release();
  return pending;
}

describe('a sign-in as another user on the same browser', () => {
  it('refuses a request sent before it landed with 409 session_switched, run for nobody', async () => {
    const t = switchApp();
    const res = await sentBefore(t, 'DELETE', '/api/items/1');
    // A 401 made the SDK re-authenticate (or take bob's session, just learned of) and
    // repeat the DELETE with the browser's cookie: bob's item deleted.
    expect(res.status).toBe(409);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ code: 'session_switched', status: 409 });
    expect(body.handled).toBeUndefined();
    expect(sessionCookies(res)).toEqual([]);
    expect(t.ran).toEqual([]);
    // Bob's session is untouched, and his own requests run as him.
    expect((await t.browser.send('DELETE', '/api/items/1')).status).toBe(204);
    expect(t.ran).toEqual(['bob']);
    expect(await t.status(t.browser)).toMatchObject({ state: 'active' });
  });

  it('answers the old cookie as plainly ended once the rotation grace window has passed', async () => {
    const t = switchApp();
    await t.browser.post('/login/alice');
    const stale = t.browser.tab();
    await t.browser.post('/login/bob');
    t.clock.advance(10_000);
    const res = await stale.send('DELETE', '/api/items/1');
    // A copy of the cookie kept since learns nothing of what became of its browser.
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_revoked', reason: 'revoked' });
    expect(t.ran).toEqual([]);
  });

  it('keeps a sign-in as the same user a plain ending: the SDK may repeat as that person', async () => {
    const t = switchApp();
    await t.browser.post('/login/alice');
    const stale = t.browser.tab();
    await t.browser.post('/login/alice');
    const res = await stale.send('DELETE', '/api/items/1');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_revoked' });
  });

  it('keeps a visitor signing in a plain ending: the anonymous session had no user to mistake', async () => {
    const t = switchApp();
    await t.browser.send('PUT', '/api/note');
    const stale = t.browser.tab(); // the visitor's cookie
    await t.browser.post('/login/alice');
    const res = await stale.send('DELETE', '/api/items/1');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_revoked' });
  });

  it('refuses a write whose handler ran across it with 409 session_switched, marked handled', async () => {
    const t = switchApp();
    const res = await heldAcross(t, 'PUT', '/api/note');
    // Was 409 `session_renewed`, which the SDK repeats for an idempotent method: as bob.
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_switched', handled: true });
    expect(sessionCookies(res)).toEqual([]);
    const [bobs] = await t.manager.listForUser('bob');
    expect((await t.store.get(bobs!.id))?.data).toEqual({});
  });

  it('refuses a privilege change whose session it replaced meanwhile with 409 session_switched', async () => {
    const t = switchApp();
    const res = await heldAcross(t, 'PUT', '/role');
    // Was 401 `session_revoked`, after which the SDK re-authenticates and repeats a PUT.
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_switched', handled: true });
    expect(sessionCookies(res)).toEqual([]);
    // Alice's renewed session never reached the browser and does not live on; bob's does.
    expect(await t.manager.listForUser('alice')).toEqual([]);
    expect(await t.manager.listForUser('bob')).toHaveLength(1);
  });

  it('creates no session for a write sent with the replaced cookie, so bob stays signed in', async () => {
    const t = switchApp();
    const res = await sentBefore(t, 'PUT', '/api/note');
    // A new visitor session's cookie would have replaced bob's when its answer landed.
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_switched', handled: true });
    expect(sessionCookies(res)).toEqual([]);
    t.browser.receive(res);
    expect(await t.status(t.browser)).toMatchObject({ state: 'active' });
    expect(await t.manager.listForUser('bob')).toHaveLength(1);
  });

  it("answers the SDK's own extension with the old cookie as ended (401), which it does not retry", async () => {
    const t = switchApp();
    const res = await sentBefore(t, 'POST', '/session/extend');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_revoked', reason: 'revoked' });
    // And a status check with it says so too; the SDK orders it by when it was sent.
    expect(await (await sentBefore(switchApp(), 'GET', '/session/status')).json()).toMatchObject({
      state: 'none',
      reason: 'revoked',
    });
  });

  it("ends alice's remember-me credential with her session, so it cannot sign the browser back in as her", async () => {
    const t = switchApp();
    await t.browser.post('/login/alice?remember=1');
    const alicesCookies = t.browser.tab();
    await t.browser.post('/login/bob');
    alicesCookies.cookies.delete('lifeline');
    const res = await alicesCookies.post('/session/reauth');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'reauth_failed' });
  });

  it('tells the audit log why the session ended', async () => {
    const t = switchApp();
    await t.browser.post('/login/alice');
    await t.browser.post('/login/bob');
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: 'revoked', userId: 'alice', detail: 'switched-user' }),
    );
  });

  it("does not end bob's session for a logout sent with the old cookie", async () => {
    const t = switchApp();
    const res = await sentBefore(t, 'POST', '/session/logout');
    expect(res.status).toBe(200);
    // (Its answer, landing after bob's, clears the browser's cookies: the sign-out was asked for.)
    expect(await t.manager.listForUser('bob')).toHaveLength(1);
  });

  it("lets manager.revoke of alice's replaced session end her device's other session, as before", async () => {
    const t = switchApp();
    await t.browser.post('/login/alice?remember=1');
    t.clock.advance(31 * 60_000); // idled out
    // Two tabs re-authenticate at once: two sessions of one device, one credential.
    expect((await t.browser.tab().post('/session/reauth')).status).toBe(200);
    t.browser.receive(await t.browser.tab().post('/session/reauth'));
    const listed = await t.manager.listForUser('alice');
    expect(listed).toHaveLength(2);
    await t.browser.post('/login/bob');
    const [left] = await t.manager.listForUser('alice');
    const replaced = listed.find(({ id }) => id !== left!.id)!;
    // "Sign out that device", by the id alice's devices page listed before bob signed in.
    expect(await t.manager.revoke(replaced.id, 'user')).toBe(1);
    expect(await t.manager.listForUser('alice')).toEqual([]);
  });
});

// A privilege change names the session it renewed into; bob's sign-in then ends that one.
// A request sent with alice's first cookie must not be told to repeat (409 session_renewed):
// the SDK would repeat it with the browser's cookie, bob's.
describe("a sign-in as another user after alice's session was renewed", () => {
  it('refuses a request sent with the cookie before the renewal with 409 session_switched', async () => {
    const t = switchApp();
    const res = await sentBefore(t, 'DELETE', '/api/items/1', ['/elevate']);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_switched' });
    expect(t.ran).toEqual([]);
  });

  it('does the same when the sign-in crossed the privilege change (sent with the first cookie)', async () => {
    const t = switchApp();
    await t.browser.post('/login/alice');
    const alicesTab = t.browser.tab();
    const elevating = t.browser.tab();
    const signingIn = t.browser.tab();
    expect((await elevating.post('/elevate')).status).toBe(200); // its answer not yet in
    t.browser.receive(await signingIn.post('/login/bob'));
    const res = await alicesTab.send('DELETE', '/api/items/1');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_switched' });
    expect(t.ran).toEqual([]);
  });

  it('refuses a write whose handler ran across both with 409 session_switched', async () => {
    const t = switchApp();
    const res = await heldAcross(t, 'PUT', '/api/note', ['/elevate', '/login/bob']);
    expect(await res.json()).toMatchObject({ code: 'session_switched', handled: true });
    expect(t.ran).toEqual(['note:alice']);
  });

  // Bob's sign-in read alice's live session, and while it checked his password alice's
  // other tab changed privilege, renewing the session it was about to end.
  async function renewedUnderTheSignIn(t: App) {
    await t.browser.post('/login/alice');
    const alicesTab = t.browser.tab();
    const held = t.signIn.hold();
    const signingIn = t.browser.tab().post('/login/bob');
    await held;
    const elevated = await t.browser.tab().post('/elevate');
    expect(elevated.status).toBe(200);
    t.signIn.release();
    const bobs = await signingIn;
    expect(bobs.status).toBe(200);
    return { alicesTab, elevated, bobs };
  }

  it('ends the session a privilege change renewed under the sign-in, with the switch', async () => {
    const t = switchApp();
    const { alicesTab, elevated, bobs } = await renewedUnderTheSignIn(t);
    t.browser.receive(elevated);
    t.browser.receive(bobs);
    // Was 409 session_renewed (alice's renewed session lived on), repeated by the SDK as bob.
    const res = await alicesTab.send('DELETE', '/api/items/1');
    expect(await res.json()).toMatchObject({ code: 'session_switched' });
    expect(await t.manager.listForUser('alice')).toEqual([]);
    expect(await t.status(t.browser)).toMatchObject({ state: 'active', user: null });
  });

  it("does not hand the browser back to alice when the privilege change's answer lands last", async () => {
    const t = switchApp();
    const { elevated, bobs } = await renewedUnderTheSignIn(t);
    t.browser.receive(bobs);
    t.browser.receive(elevated); // alice's renewed cookie overwrites bob's
    // Was `active` as alice: bob, who had just signed in, browsed as her.
    expect(await t.status(t.browser)).toMatchObject({ state: 'none' });
  });

  it('keeps a renewal alone a renewal: 409 session_renewed, repeated for the same person', async () => {
    const t = switchApp();
    await t.browser.post('/login/alice');
    const alicesTab = t.browser.tab();
    expect((await t.browser.post('/elevate')).status).toBe(200);
    const res = await alicesTab.send('DELETE', '/api/items/1');
    expect(await res.json()).toMatchObject({ code: 'session_renewed' });
  });
});

// A credential alice's other tab issues while bob's sign-in runs is linked after the sign-in
// read her session, so its own forgetting (of the credential it read) missed it: once bob's
// session ended, the browser re-authenticated as alice.
describe("a credential alice's other tab issues while bob's sign-in runs", () => {
  for (const route of ['/remember-device', '/elevate-remember']) {
    for (const bobsLast of [true, false]) {
      it(`goes with her session (${route}, ${bobsLast ? "bob's" : "alice's"} answer last)`, async () => {
        const t = switchApp();
        await t.browser.post('/login/alice?remember=1');
        const held = t.signIn.hold();
        const signingIn = t.browser.tab().post('/login/bob');
        await held;
        const toggled = await t.browser.tab().post(route);
        expect(toggled.status).toBe(200);
        t.signIn.release();
        const bobs = await signingIn;
        expect(bobs.status).toBe(200);
        for (const res of bobsLast ? [toggled, bobs] : [bobs, toggled]) t.browser.receive(res);
        t.clock.advance(31 * 60_000); // bob leaves; his session idles out
        const reauth = await t.browser.post('/session/reauth');
        // Never alice again on this browser.
        expect(reauth.status).toBe(401);
      });
    }
  }
});

// With a privilege change in alice's other tab while bob's sign-in ran, the sign-in still
// checks her remember cookie for theft before her credentials go (the renewed session's
// ending keeps its credential for that), and takes the cookie back.
describe("bob's sign-in over alice's session, her remember cookie", () => {
  for (const renewedDuring of [false, true]) {
    it(`is checked for theft first (${renewedDuring ? 'renewed during the sign-in' : 'no race'})`, async () => {
      const t = switchApp();
      await t.browser.post('/login/alice?remember=1');
      // A thief with a copy of her remember cookie uses it: the credential turns.
      const thief = new Browser(t.app);
      thief.cookies.set(REMEMBER, t.browser.cookies.get(REMEMBER)!);
      expect((await thief.post('/session/reauth')).status).toBe(200);
      t.clock.advance(5 * 60_000); // past the credential's grace; her session is still live
      const held = t.signIn.hold();
      const signingIn = t.browser.tab().post('/login/bob');
      await held;
      if (renewedDuring) expect((await t.browser.tab().post('/elevate')).status).toBe(200);
      t.signIn.release();
      expect(t.browser.receive(await signingIn).status).toBe(200);
      // The cookie she came with is an old validator past its grace: evidence of theft.
      expect(t.credentialEvents).toContain('theft-suspected');
      expect(await t.status(t.browser)).toMatchObject({ canReauth: false });
    });
  }

  it("is checked for theft first when the sign-in crossed her privilege change's answer", async () => {
    const t = switchApp();
    await t.browser.post('/login/alice?remember=1');
    const thief = new Browser(t.app);
    thief.cookies.set(REMEMBER, t.browser.cookies.get(REMEMBER)!);
    expect((await thief.post('/session/reauth')).status).toBe(200);
    t.clock.advance(5 * 60_000);
    expect((await t.browser.tab().post('/elevate')).status).toBe(200); // answer on the wire
    // Sent with her first cookie: the sign-in ends the session the renewal left behind.
    t.browser.receive(await t.browser.tab().post('/login/bob'));
    expect(t.credentialEvents).toContain('theft-suspected');
    expect(await t.status(t.browser)).toMatchObject({ canReauth: false });
    t.clock.advance(31 * 60_000); // bob's session idles out: nothing of alice's is left
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
  });

  it('is taken back when a privilege change ran during the sign-in', async () => {
    const t = switchApp();
    await t.browser.post('/login/alice?remember=1');
    const held = t.signIn.hold();
    const signingIn = t.browser.tab().post('/login/bob');
    await held;
    const elevated = await t.browser.tab().post('/elevate');
    t.signIn.release();
    t.browser.receive(elevated);
    t.browser.receive(await signingIn);
    expect(t.browser.cookies.has(REMEMBER)).toBe(false);
    expect(await t.status(t.browser)).toMatchObject({ canReauth: false });
  });
});
