import { describe, expect, it } from 'vitest';
import { memoryStore } from '../store/memory/index.js';
import { Browser, routesTestApp } from './test-app.fixture.js';

const MIN = 60_000;

/** One user signed in on a laptop and a phone, a second user elsewhere. */
async function twoDevices() {
  const t = routesTestApp();
  const laptop = new Browser(t.app);
  const phone = new Browser(t.app);
  const stranger = new Browser(t.app);
  await laptop.send('POST', '/login', { headers: { 'User-Agent': 'Laptop' } });
  await phone.send('POST', '/login', { headers: { 'User-Agent': 'Phone' } });
  await stranger.post('/login?user=u2');
  return { ...t, laptop, phone, stranger };
}

const state = async (b: Browser) => (await (await b.get('/session/status')).json()).state;

describe('GET /session/sessions', () => {
  it("lists the user's sessions with creation, last activity, user agent and the current one", async () => {
    const { laptop } = await twoDevices();
    const res = await laptop.get('/session/sessions');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const { sessions } = await res.json();
    expect(sessions).toHaveLength(2);
    const byAgent = Object.fromEntries(
      sessions.map((s: { userAgent: string }) => [s.userAgent, s]),
    );
    expect(byAgent.Laptop).toMatchObject({ current: true });
    expect(byAgent.Phone).toMatchObject({ current: false });
    expect(Object.keys(byAgent.Laptop).sort()).toEqual(
      ['createdAt', 'current', 'id', 'lastSeenAt', 'location', 'userAgent'].sort(),
    );
  });

  it('answers 401 session_required without a signed-in user', async () => {
    const { app } = routesTestApp();
    const res = await new Browser(app).get('/session/sessions');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_required' });
  });

  it('answers a live session without a user 401 reauth_required, and it stays live', async () => {
    const { app } = routesTestApp();
    app.post('/cart', (c) => {
      c.var.session.set('cart', ['tea']);
      return c.json({ ok: true });
    });
    const browser = new Browser(app);
    expect((await browser.post('/cart')).status).toBe(200);
    const res = await browser.get('/session/sessions');
    expect(res.status).toBe(401);
    // Not a session code: the SDK reads those as "no session" and ends this one everywhere.
    expect(await res.json()).toMatchObject({ code: 'reauth_required' });
    expect(await (await browser.get('/session/status')).json()).toMatchObject({
      state: 'active',
      user: null,
    });
  });

  it('is a 404 problem that never extends the session when no manager is given', async () => {
    const { app, clock } = routesTestApp({ routes: { manager: undefined } });
    const browser = new Browser(app);
    await browser.post('/login');
    const before = await (await browser.get('/session/status')).json();
    clock.advance(10 * MIN);
    for (const [method, path] of [
      ['GET', '/session/sessions'],
      ['POST', '/session/sessions/revoke'],
    ] as const) {
      const res = await browser.send(method, path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'invalid_request', status: 404 });
    }
    const after = await (await browser.get('/session/status')).json();
    expect(after.idleExpiresAt).toBe(before.idleExpiresAt);
  });
});

describe('POST /session/sessions/revoke', () => {
  it('with { others: true } ends every other session of the user and keeps this one', async () => {
    const { laptop, phone, stranger } = await twoDevices();
    const res = await laptop.post('/session/sessions/revoke', { others: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: false });
    expect(await state(laptop)).toBe('active');
    expect(await (await phone.get('/session/status')).json()).toMatchObject({
      state: 'none',
      reason: 'revoked',
    });
    expect(await state(stranger)).toBe('active');
  });

  it('with { id } ends that session only, and refuses ids that are not the user’s', async () => {
    const { laptop, phone, stranger } = await twoDevices();
    const { sessions } = await (await laptop.get('/session/sessions')).json();
    const phoneId = sessions.find((s: { current: boolean }) => !s.current).id;
    const notMine = await stranger.post('/session/sessions/revoke', { id: phoneId });
    expect(notMine.status).toBe(404);
    expect(await state(phone)).toBe('active');
    const res = await laptop.post('/session/sessions/revoke', { id: phoneId });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: false });
    expect(await state(phone)).toBe('none');
    expect(await state(laptop)).toBe('active');
  });

  it('with { all: true } ends every session including this one and clears its cookie', async () => {
    const { laptop, phone } = await twoDevices();
    const res = await laptop.post('/session/sessions/revoke', { all: true });
    expect(await res.json()).toEqual({ revoked: 2, currentEnded: true });
    expect(laptop.cookies.has('lifeline')).toBe(false);
    expect(await state(phone)).toBe('none');
  });

  it('needs a sign-in from the last 10 minutes: 401 reauth_required, nothing revoked', async () => {
    const { laptop, phone, clock } = await twoDevices();
    clock.advance(11 * MIN);
    await laptop.post('/session/extend');
    const res = await laptop.post('/session/sessions/revoke', { others: true });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'reauth_required' });
    expect(await state(phone)).toBe('active');
  });

  it('refuses a cross-site revoke with 403 csrf_rejected', async () => {
    const { laptop, phone } = await twoDevices();
    const res = await laptop.send('POST', '/session/sessions/revoke', {
      body: '{"others":true}',
      headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    expect(await state(phone)).toBe('active');
  });

  it('honours a custom freshness window', async () => {
    const t = routesTestApp({ routes: { freshFor: MIN } });
    const browser = new Browser(t.app);
    await browser.post('/login');
    t.clock.advance(2 * MIN);
    expect((await browser.post('/session/sessions/revoke', { others: true })).status).toBe(401);
  });

  it('refuses bodies that are not exactly one of the three forms, saying what is wrong', async () => {
    const { laptop, phone } = await twoDevices();
    const bodies: Array<[object, RegExp]> = [
      [{}, /^send exactly one of `id`, `all` or `others`$/],
      [{ others: true, all: true }, /^send exactly one of/],
      [{ all: false }, /^`all`: /],
      [{ others: 'yes' }, /^`others`: /],
      [{ id: 1 }, /^`id`: /],
      [{ id: '' }, /^`id`: /],
      [{ id: 'x', extra: 1 }, /extra/],
    ];
    for (const [body, detail] of bodies) {
      const res = await laptop.post('/session/sessions/revoke', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'invalid_request',
        detail: expect.stringMatching(detail),
      });
    }
    expect(await state(phone)).toBe('active');
  });

  it('rejects a bad freshFor at creation', async () => {
    const { sessionRoutes } = await import('./routes.js');
    expect(() => sessionRoutes({ freshFor: -1 })).toThrow(/freshFor/);
  });

  it('refuses a misspelt or mistyped option at creation, naming it', async () => {
    const { sessionRoutes } = await import('./routes.js');
    // Ignored, a misspelt manager would leave the device routes answering 404.
    expect(() => sessionRoutes({ manger: {} } as never)).toThrow(
      'sessionRoutes: `manger` is not an option',
    );
    expect(() => sessionRoutes({ manager: {} as never })).toThrow('`manager` must be');
    expect(() => sessionRoutes({ clientScript: 42 as never })).toThrow('`clientScript` must be');
    expect(() => sessionRoutes({ clientScript: '' })).toThrow('`clientScript` must be');
    expect(() => sessionRoutes({ clientScript: ' \n' })).toThrow('`clientScript` must be');
    // The session routes' guard never takes form posts, whatever the app asks.
    expect(() => sessionRoutes({ csrf: { allowForms: true } as never })).toThrow(
      '`csrf.allowForms` is not an option',
    );
    expect(() => sessionRoutes({ csrf: { origin: ['https://a.test'] } as never })).toThrow(
      'csrfGuard: `origin` is not an option',
    );
    // Used to fail inside the `in` check, naming no option.
    for (const csrf of ['strict', true, null, ['https://a.test']]) {
      expect(() => sessionRoutes({ csrf: csrf as never })).toThrow(
        'sessionRoutes: `csrf` must be an object',
      );
    }
  });
});

describe("POST /session/sessions/revoke and this device's remember-me cookie", () => {
  const REMEMBER = 'lifeline_remember';
  const remembered = (res: Response) =>
    res.headers.getSetCookie().filter((l) => l.startsWith(`${REMEMBER}=`));
  const canReauth = async (b: Browser) =>
    (await (await b.get('/session/status')).json()).canReauth as boolean;

  /** A laptop and a phone of one user, each with a remember-me credential of its own. */
  async function rememberedDevices() {
    const t = routesTestApp();
    const laptop = new Browser(t.app);
    const phone = new Browser(t.app);
    await laptop.post('/login?remember=1');
    await phone.post('/login?remember=1');
    const { sessions } = await (await laptop.get('/session/sessions')).json();
    const phoneId: string = sessions.find((s: { current: boolean }) => !s.current).id;
    return { ...t, laptop, phone, phoneId };
  }

  it("{ others: true } deletes this device's credential too, so it takes the cookie back", async () => {
    const { laptop, clock } = await rememberedDevices();
    expect(await canReauth(laptop)).toBe(true);
    const res = await laptop.post('/session/sessions/revoke', { others: true });
    expect(res.status).toBe(200);
    expect(remembered(res)).toEqual([`${REMEMBER}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`]);
    // The status must not offer a re-auth that can only fail.
    expect(await canReauth(laptop)).toBe(false);
    clock.advance(31 * MIN);
    expect((await laptop.post('/session/reauth')).status).toBe(401);
  });

  it('{ all: true } takes it back too, also without Clear-Site-Data', async () => {
    const t = routesTestApp({ session: { clearSiteData: [] } });
    const laptop = new Browser(t.app);
    await laptop.post('/login?remember=1');
    const res = await laptop.post('/session/sessions/revoke', { all: true });
    expect(res.headers.get('Clear-Site-Data')).toBeNull();
    expect(remembered(res)).toHaveLength(1);
    expect(await canReauth(laptop)).toBe(false);
  });

  it("{ id } of another device keeps this device's credential and cookie", async () => {
    const { laptop, phone, phoneId, clock } = await rememberedDevices();
    const res = await laptop.post('/session/sessions/revoke', { id: phoneId });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: false });
    expect(remembered(res)).toEqual([]);
    expect(await canReauth(laptop)).toBe(true);
    clock.advance(31 * MIN);
    expect((await laptop.post('/session/reauth')).status).toBe(200);
    expect((await phone.post('/session/reauth')).status).toBe(401);
  });

  it("{ id } of a session sharing this device's credential deletes it, and takes the cookie back", async () => {
    const t = routesTestApp();
    const laptop = new Browser(t.app);
    await laptop.post('/login?remember=1');
    // A copy of the remember cookie re-authenticates: a second session on the same credential.
    const copy = new Browser(t.app);
    copy.cookies.set(REMEMBER, laptop.cookies.get(REMEMBER)!);
    expect((await copy.post('/session/reauth')).status).toBe(200);
    const { sessions } = await (await laptop.get('/session/sessions')).json();
    const copyId: string = sessions.find((s: { current: boolean }) => !s.current).id;
    const res = await laptop.post('/session/sessions/revoke', { id: copyId });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: false });
    expect(await state(laptop)).toBe('active');
    expect(remembered(res)).toHaveLength(1);
    expect(await canReauth(laptop)).toBe(false);
  });
});

describe('POST /session/sessions/revoke: what it reports', () => {
  it('reports each ending once to the audit hook: { all: true } with two sessions, two events', async () => {
    const t = routesTestApp();
    const laptop = new Browser(t.app);
    await laptop.post('/login');
    await new Browser(t.app).post('/login');
    t.events.length = 0;
    const res = await laptop.post('/session/sessions/revoke', { all: true });
    expect(await res.json()).toEqual({ revoked: 2, currentEnded: true });
    // The current session was reported twice: `revoked` and `destroyed`.
    expect(t.events.map((e) => e.type).sort()).toEqual(['destroyed', 'revoked']);
    expect(new Set(t.events.map((e) => e.sid)).size).toBe(2);
  });

  it('reports ending the current session by its id once, as `destroyed`', async () => {
    const t = routesTestApp();
    const laptop = new Browser(t.app);
    await laptop.post('/login');
    const { sessions } = await (await laptop.get('/session/sessions')).json();
    t.events.length = 0;
    const res = await laptop.post('/session/sessions/revoke', { id: sessions[0].id });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: true });
    expect(t.events).toEqual([expect.objectContaining({ type: 'destroyed', reason: 'revoked' })]);
  });

  it('signs out the whole device when it names its own session, parallel re-auths included', async () => {
    const t = routesTestApp();
    const phone = new Browser(t.app);
    await phone.post('/login?remember=1');
    const [, b] = await Promise.all([
      phone.tab().post('/session/reauth'),
      phone.tab().post('/session/reauth'),
    ]);
    phone.receive(b);
    await phone.post('/login'); // fresh, as the route asks; the credential goes along
    await new Browser(t.app).post('/login'); // a laptop
    const { sessions } = await (await phone.get('/session/sessions')).json();
    expect(sessions).toHaveLength(3);
    const current = sessions.find((s: { current: boolean }) => s.current).id;
    const res = await phone.post('/session/sessions/revoke', { id: current });
    // Named by the laptop, both of the phone's sessions ended; named by itself, one did.
    expect(await res.json()).toEqual({ revoked: 2, currentEnded: true });
    expect(await t.manager.listForUser('u1')).toHaveLength(1);
  });

  it('counts every session of the device it signs out (two parallel re-auths on one cookie)', async () => {
    const t = routesTestApp();
    const phone = new Browser(t.app);
    await phone.post('/login?remember=1');
    const [a, b] = await Promise.all([
      phone.tab().post('/session/reauth'),
      phone.tab().post('/session/reauth'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const laptop = new Browser(t.app);
    await laptop.post('/login');
    const phoneIds: string[] = [];
    for (const s of await t.manager.listForUser('u1')) {
      if ((await t.manager.get(s.id))?.credentialId) phoneIds.push(s.id);
    }
    expect(phoneIds).toHaveLength(2);
    const res = await laptop.post('/session/sessions/revoke', { id: phoneIds[0] });
    expect(await res.json()).toEqual({ revoked: 2, currentEnded: false });
    expect(await t.manager.listForUser('u1')).toHaveLength(1);
  });
});

describe('POST /session/sessions/revoke counts only the endings it made', () => {
  // The caller's own session, ended by another request (an admin's manager.revoke) between
  // the route's listing and its own ending, was still counted: one too many.
  for (const body of [{ all: true }, 'own id'] as const) {
    it(`${body === 'own id' ? '{ id } of the current session' : '{ all: true }'}: not the caller's session another request ended first`, async () => {
      let endFirst: string | null = null;
      const t = routesTestApp({
        store: (clock) =>
          new Proxy(memoryStore({ now: clock.now }), {
            get(target, key, receiver) {
              const value = Reflect.get(target, key, receiver);
              if (typeof value !== 'function') return value;
              if (key !== 'end') return value.bind(target);
              return async (sid: string, ...rest: unknown[]) => {
                if (sid === endFirst) {
                  endFirst = null;
                  // Another request's ending lands just before this one.
                  await value.call(
                    target,
                    sid,
                    { reason: 'revoked', detail: 'admin', at: clock.now() },
                    rest[1],
                  );
                }
                return value.call(target, sid, ...rest);
              };
            },
          }),
      });
      const laptop = new Browser(t.app);
      await laptop.post('/login');
      const { sessions } = await (await laptop.get('/session/sessions')).json();
      endFirst = (await t.store.listByUser('u1'))[0]!.sid;
      const res = await laptop.post(
        '/session/sessions/revoke',
        body === 'own id' ? { id: sessions[0].id } : body,
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ revoked: 0, currentEnded: true });
    });
  }
});
