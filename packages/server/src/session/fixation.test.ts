import { describe, expect, it } from 'vitest';
import { generateToken } from '../token/token.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

async function login(app: ReturnType<typeof testApp>['app'], cookie?: string) {
  const res = await app.request('/login/ada', withCookie(cookie ?? '', { method: 'POST' }));
  return { res, token: sessionCookie(res)!, id: ((await res.json()) as { id: string }).id };
}

describe('fixation and regeneration', () => {
  it('never adopts a well-formed ID it did not issue, and logs it as rejected', async () => {
    const { app, events } = testApp();
    const planted = generateToken().value;
    const read = await app.request('/read', withCookie(planted));
    expect(await read.json()).toMatchObject({ state: 'none', reason: 'missing' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'rejected', reason: 'unknown' }));

    const write = await app.request('/write/cart/x', withCookie(planted, { method: 'POST' }));
    const issued = sessionCookie(write);
    expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued).not.toBe(planted);
    const again = await app.request('/read', withCookie(planted));
    expect(await again.json()).toMatchObject({ state: 'none' });
  });

  it('a cookie planted before login is never authenticated', async () => {
    const { app } = testApp();
    const anon = sessionCookie(await app.request('/write/cart/x', { method: 'POST' }))!;
    const { token } = await login(app, anon);
    expect(token).not.toBe(anon);
    const withOld = await app.request('/read', withCookie(anon));
    expect(await withOld.json()).toMatchObject({ state: 'none', reason: 'revoked', userId: null });
    const withNew = await app.request('/read', withCookie(token));
    expect(await withNew.json()).toMatchObject({ state: 'active', userId: 'ada', cart: 'x' });
  });

  it('kills the pre-login ID at once, with no grace window, and logs the new session', async () => {
    const { app, events, clock } = testApp();
    const anon = sessionCookie(await app.request('/write/cart/x', { method: 'POST' }))!;
    const anonId = ((await (await app.request('/read', withCookie(anon))).json()) as { id: string })
      .id;
    const { id } = await login(app, anon);
    clock.advance(1);
    expect(await (await app.request('/read', withCookie(anon))).json()).toMatchObject({
      state: 'none',
    });
    expect(id).not.toBe(anonId);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'created', sid: id, previousSid: anonId, userId: 'ada' }),
    );
  });

  it('keeps no raw token in the store, and a stored key replayed as a cookie resolves to nothing', async () => {
    const { app, manager } = testApp();
    const { token, id } = await login(app);
    const record = await manager.get(id);
    expect(JSON.stringify(record)).not.toContain(token);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await (await app.request('/read', withCookie(id))).json()).toMatchObject({
      state: 'none',
    });
    expect(await (await app.request('/read', withCookie(record!.tokenHash))).json()).toMatchObject({
      state: 'none',
    });
  });

  it('accepts the token only from the cookie, not from a query, header or body', async () => {
    const { app } = testApp();
    const { token } = await login(app);
    const attempts: RequestInit[] = [
      { headers: { Authorization: `Bearer ${token}` } },
      { headers: { 'X-Session': token, 'X-Lifeline': token } },
    ];
    for (const init of attempts) {
      expect(await (await app.request(`/read?lifeline=${token}`, init)).json()).toMatchObject({
        state: 'none',
      });
    }
    // A form field is ignored too: a write creates a new session instead of adopting it.
    const form = await app.request('/write/k/v', {
      method: 'POST',
      body: new URLSearchParams({ lifeline: token }),
    });
    expect(sessionCookie(form)).not.toBe(token);
  });

  it('refuses malformed cookies without asking the store, and logs why', async () => {
    const { app, events, counting } = testApp();
    const token = generateToken().value;
    for (const cookie of [
      `lifeline=${token}x`,
      `lifeline="${token}"`,
      `lifeline=${token}; lifeline=${token}`,
    ]) {
      const res = await app.request('/read', { headers: { Cookie: cookie } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ state: 'none', reason: 'missing' });
    }
    expect(counting.calls.get ?? 0).toBe(0);
    expect(events.map((e) => e.type === 'rejected' && e.reason)).toEqual([
      'malformed',
      'malformed',
      'duplicate',
    ]);
  });

  it('emits reauthenticated after a silent re-authentication', async () => {
    const { app, events } = testApp({
      reauth: { canReauth: () => true, reauthenticate: async () => ({ userId: 'ada' }) },
    });
    app.post('/reauth', async (c) =>
      c.json({ ok: await c.var.session.reauthenticate(), fresh: c.var.session.authenticatedAt }),
    );
    const res = await app.request('/reauth', { method: 'POST' });
    expect(await res.json()).toMatchObject({ ok: true });
    expect(sessionCookie(res)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(events.map((e) => e.type)).toEqual(['created', 'reauthenticated']);
  });

  // A user id read from a database is often a number. Stored as one, revokeUser('42')
  // never found the session it signed in (ASVS 7.4.2).
  it('refuses a userId that is not a non-empty string, keeping the visitor signed out and their session as it was', async () => {
    const { app, events, manager } = testApp();
    const refusals: unknown[] = [];
    app.post('/login-as/:kind', async (c) => {
      const userId = c.req.param('kind') === 'number' ? 42 : '';
      try {
        await c.var.session.regenerate({ userId: userId as unknown as string });
      } catch (error) {
        refusals.push(error);
      }
      return c.json({ state: c.var.session.state, userId: c.var.session.userId });
    });
    const anon = sessionCookie(await app.request('/write/cart/x', { method: 'POST' }))!;
    for (const kind of ['number', 'empty']) {
      const res = await app.request(`/login-as/${kind}`, withCookie(anon, { method: 'POST' }));
      expect(await res.json()).toEqual({ state: 'active', userId: null });
      expect(sessionCookie(res)).toBeNull();
    }
    expect(refusals).toHaveLength(2);
    for (const error of refusals) {
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/`userId`/);
    }
    expect(await (await app.request('/read', withCookie(anon))).json()).toMatchObject({
      state: 'active',
      userId: null,
      cart: 'x',
    });
    expect(events.filter((e) => e.type === 'created')).toHaveLength(1);
    expect(await manager.listForUser('42')).toEqual([]);
  });
});
