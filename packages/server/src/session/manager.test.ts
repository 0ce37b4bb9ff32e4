import { describe, expect, it } from 'vitest';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';
import { SessionLimitError } from './session-limit.js';

type T = ReturnType<typeof testApp>;
async function login(t: T, user = 'ada', ua = 'Browser/1') {
  const res = await t.app.request(`/login/${user}`, {
    method: 'POST',
    headers: { 'User-Agent': ua },
  });
  const { id } = (await res.json()) as { id: string };
  return { token: sessionCookie(res)!, id };
}
const stateOf = async (t: T, token: string, ua = 'Browser/1') =>
  (await (
    await t.app.request('/read', withCookie(token, { headers: { 'User-Agent': ua } }))
  ).json()) as {
    state: string;
    reason: string | null;
  };

describe('SessionManager', () => {
  it('lists a user’s live sessions, marking the current one', async () => {
    const t = testApp();
    const a = await login(t);
    t.clock.advance(1000);
    const b = await login(t, 'ada', 'Phone/2');
    await login(t, 'bob');
    const list = await t.manager.listForUser('ada', b.id);
    expect(list.map((s) => [s.id, s.current, s.userAgent])).toEqual([
      [b.id, true, 'Phone/2'],
      [a.id, false, 'Browser/1'],
    ]);
  });

  it('revokes one session: its cookie fails on the next request with reason revoked', async () => {
    const t = testApp();
    const a = await login(t);
    await t.manager.revoke(a.id);
    expect(await stateOf(t, a.token)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: 'revoked', sid: a.id, detail: 'admin' }),
    );
  });

  it('revokes all of a user’s other sessions and keeps the current one', async () => {
    const t = testApp();
    const a = await login(t);
    const b = await login(t);
    const c = await login(t);
    const other = await login(t, 'bob');
    expect(await t.manager.revokeUser('ada', { exceptId: b.id })).toBe(2);
    expect(await stateOf(t, a.token)).toMatchObject({ reason: 'revoked' });
    expect(await stateOf(t, c.token)).toMatchObject({ reason: 'revoked' });
    expect(await stateOf(t, b.token)).toMatchObject({ state: 'active' });
    expect(await stateOf(t, other.token)).toMatchObject({ state: 'active' });
  });

  it('evicts the oldest session at maxSessionsPerUser', async () => {
    const t = testApp({ maxSessionsPerUser: 2 });
    const a = await login(t);
    t.clock.advance(1);
    const b = await login(t);
    t.clock.advance(1);
    const c = await login(t);
    expect(await stateOf(t, a.token)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(await stateOf(t, b.token)).toMatchObject({ state: 'active' });
    expect(await stateOf(t, c.token)).toMatchObject({ state: 'active' });
  });

  it('evicts the session signed in first, also after that session changed privilege', async () => {
    const t = testApp({ maxSessionsPerUser: 2 });
    t.app.post('/elevate', async (c) => {
      await c.var.session.regenerate(); // the same login, a new id
      return c.json({ ok: true });
    });
    const a = await login(t);
    t.clock.advance(60_000);
    const b = await login(t);
    t.clock.advance(60_000);
    const elevated = await t.app.request('/elevate', withCookie(a.token, { method: 'POST' }));
    const a2 = sessionCookie(elevated)!;
    t.clock.advance(60_000);
    await login(t);
    // The privilege change dated `a` anew, so `b`, signed in later, was evicted instead.
    expect(await stateOf(t, a2)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(await stateOf(t, b.token)).toMatchObject({ state: 'active' });
  });

  it('evicts the session signed in first also after absoluteTimeout was shortened (a restart, a rolling deploy)', async () => {
    const clock = manualClock();
    const common = {
      store: memoryStore({ now: clock.now }),
      now: clock.now,
      maxSessionsPerUser: 2,
    };
    const before = testApp({ ...common, absoluteTimeout: 8 * 3_600_000 });
    const after = testApp({ ...common, absoluteTimeout: 3_600_000 });
    const first = await login(before);
    clock.advance(60_000);
    const second = await login(after);
    clock.advance(60_000);
    await login(after);
    // By the absolute deadline, the later sign-in under the shorter setting went first.
    expect(await stateOf(after, first.token)).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(await stateOf(after, second.token)).toMatchObject({ state: 'active' });
  });

  it('refuses the (N+1)th login with onSessionLimit: refuse, keeping the visitor’s session', async () => {
    const t = testApp({ maxSessionsPerUser: 1, onSessionLimit: 'refuse' });
    // The app does not catch SessionLimitError: the middleware still answers a 409 problem.
    t.app.post('/try-login', async (c) => {
      await c.var.session.regenerate({ userId: 'ada' });
      return c.text('in');
    });
    const first = await login(t);
    const anon = sessionCookie(await t.app.request('/write/cart/x', { method: 'POST' }))!;
    const res = await t.app.request('/try-login', withCookie(anon, { method: 'POST' }));
    expect(res.status).toBe(409);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'session_limit', status: 409 });
    expect(sessionCookie(res)).toBeNull();
    // The visitor's session lives on, so the answer carries its deadlines, as every one does.
    expect(res.headers.get('Session-Deadline')).toMatch(/^idle=\d+, absolute=\d+, now=\d+$/);
    expect(await stateOf(t, anon)).toMatchObject({ state: 'active' });
    expect(await stateOf(t, first.token)).toMatchObject({ state: 'active' });
  });

  it('lets an app that catches SessionLimitError answer in its own words', async () => {
    const t = testApp({ maxSessionsPerUser: 1, onSessionLimit: 'refuse' });
    t.app.post('/try-login', async (c) => {
      try {
        await c.var.session.regenerate({ userId: 'ada' });
        return c.text('in');
      } catch (error) {
        if (error instanceof SessionLimitError) return c.text('refused', 403);
        throw error;
      }
    });
    await login(t);
    const res = await t.app.request('/try-login', { method: 'POST' });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('refused');
  });
});

describe('SessionManager: a userId that is not a string', () => {
  // An app passing a database id as a number got a silent no-op: the user's sessions
  // (stored under the string) stayed signed in after "sign out everywhere".
  it('refuses it in revokeUser and listForUser with a TypeError, not a quiet nothing', async () => {
    const t = testApp();
    const { token } = await login(t, '42');
    const asNumber = 42 as unknown as string;
    await expect(t.manager.revokeUser(asNumber)).rejects.toThrow(TypeError);
    await expect(t.manager.revokeUser(asNumber)).rejects.toThrow(/revokeUser: `userId`/);
    await expect(t.manager.listForUser(asNumber)).rejects.toThrow(/listForUser: `userId`/);
    await expect(t.manager.revokeUser('')).rejects.toThrow(/`userId`/);
    expect(await stateOf(t, token)).toMatchObject({ state: 'active' });
    expect(await t.manager.revokeUser('42')).toBe(1);
    expect(await stateOf(t, token)).toMatchObject({ state: 'none', reason: 'revoked' });
  });
});

describe('bindUserAgent', () => {
  it('logs a User-Agent change and keeps the session with "log"', async () => {
    const t = testApp({ bindUserAgent: 'log' });
    const a = await login(t);
    expect(await stateOf(t, a.token, 'Other/9')).toMatchObject({ state: 'active' });
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: 'rejected', reason: 'user-agent-changed' }),
    );
  });

  it('binds a session signed in without a User-Agent: one sent later is a change', async () => {
    const t = testApp({ bindUserAgent: 'revoke' });
    const res = await t.app.request('/login/ada', { method: 'POST' });
    const token = sessionCookie(res)!;
    const read = (headers: Record<string, string>) =>
      t.app.request('/read', withCookie(token, { headers }));
    expect(await (await read({})).json()).toMatchObject({ state: 'active' });
    expect(await (await read({ 'User-Agent': 'Thief/1.0' })).json()).toMatchObject({
      state: 'none',
      reason: 'revoked',
    });
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: 'rejected', reason: 'user-agent-changed' }),
    );
  });

  it('ends the session on a User-Agent change with "revoke"', async () => {
    const t = testApp({ bindUserAgent: 'revoke' });
    const a = await login(t);
    expect(await stateOf(t, a.token, 'Other/9')).toMatchObject({
      state: 'none',
      reason: 'revoked',
    });
    expect(await stateOf(t, a.token)).toMatchObject({ state: 'none', reason: 'revoked' });
  });
});
