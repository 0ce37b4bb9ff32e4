import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp, switchableStore } from '../routes/test-app.fixture.js';
import type { ReauthStrategy } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';

const MIN = 60_000;

/**
 * A device signed in with "remember me", its session ended (idle), and the person signed in
 * again with the password, box unticked: the same user's credential stays, and the new
 * session must link it, or revoking that session (a lost device) leaves the credential to
 * sign the device straight back in.
 */
async function passwordSignInKeepingCredential() {
  const t = routesTestApp();
  const device = new Browser(t.app);
  await device.post('/login?remember=1');
  t.clock.advance(31 * MIN); // past the idle timeout; the credential outlives the session
  expect((await device.post('/login')).status).toBe(200);
  expect(device.cookies.has('lifeline_remember')).toBe(true);
  return { ...t, device };
}

describe('revoking a device that signed in with its password while keeping its remember-me cookie', () => {
  it('deletes the credential through manager.revoke(id)', async () => {
    const t = await passwordSignInKeepingCredential();
    const [lost] = await t.manager.listForUser('u1');
    expect(await t.manager.revoke(lost!.id)).toBe(1);
    expect((await t.device.post('/session/reauth')).status).toBe(401);
  });

  it('deletes the credential through POST /sessions/revoke { id } from another device', async () => {
    const t = await passwordSignInKeepingCredential();
    const lostId = (await t.manager.listForUser('u1'))[0]!.id;
    const phone = new Browser(t.app);
    await phone.post('/login');
    expect((await phone.post('/session/sessions/revoke', { id: lostId })).status).toBe(200);
    expect((await (await t.device.get('/session/status')).json()).state).toBe('none');
    expect((await t.device.post('/session/reauth')).status).toBe(401);
  });

  it('keeps a link the sign-in already made: the kept credential does not replace it', async () => {
    const t = routesTestApp({
      appMiddleware: async (c, next) => {
        if (c.req.header('X-Link') !== undefined) c.var.session.linkCredential('app-linked');
        await next();
      },
    });
    const device = new Browser(t.app);
    await device.post('/login?remember=1');
    t.clock.advance(31 * MIN);
    await device.send('POST', '/login', { headers: { 'X-Link': '1' } });
    const [entry] = await t.store.listByUser('u1');
    expect(entry?.record.credentialId).toBe('app-linked');
  });

  it('keeps the device credential when two tabs sign in with the password at once under maxSessionsPerUser', async () => {
    const t = routesTestApp({ session: { maxSessionsPerUser: 1, onSessionLimit: 'evict-oldest' } });
    const device = new Browser(t.app);
    await device.post('/login?remember=1');
    t.clock.advance(31 * MIN);
    const [tabA, tabB] = [device.tab(), device.tab()];
    expect((await tabA.post('/login')).status).toBe(200);
    // Tab B's sign-in replaces tab A's session as the same device's, credential kept.
    expect((await tabB.post('/login')).status).toBe(200);
    for (const [name, value] of tabB.cookies) device.cookies.set(name, value);
    t.clock.advance(31 * MIN);
    expect((await device.post('/session/reauth')).status).toBe(200);
  });

  it("refuses a sign-in over the limit without ending the device's other tab's session", async () => {
    // Two apps on one store: the limit lowered to 1 with 'refuse' after the sessions exist.
    let shared: SessionStore | undefined;
    const free = routesTestApp({ store: (clock) => (shared = memoryStore({ now: clock.now })) });
    const limited = routesTestApp({
      store: () => shared!,
      session: { maxSessionsPerUser: 1, onSessionLimit: 'refuse' },
    });
    const advance = (ms: number) => {
      free.clock.advance(ms);
      limited.clock.advance(ms);
    };
    const device = new Browser(free.app);
    await device.post('/login?remember=1');
    advance(31 * MIN);
    const tabA = device.tab();
    expect((await tabA.post('/login')).status).toBe(200); // links the device's credential
    expect((await new Browser(free.app).post('/login')).status).toBe(200); // a phone
    const tabB = new Browser(limited.app);
    for (const [name, value] of device.cookies) tabB.cookies.set(name, value);
    expect((await tabB.post('/login')).status).toBe(409);
    expect(limited.events.filter((e) => e.type === 'revoked')).toEqual([]);
    expect(((await (await tabA.get('/touch')).json()) as { state: string }).state).toBe('active');
  });

  it('refuses with nothing ended when a parallel sign-in fills the last place during the sign-in', async () => {
    let shared: SessionStore | undefined;
    let race: (() => Promise<unknown>) | null = null;
    const free = routesTestApp({ store: (clock) => (shared = memoryStore({ now: clock.now })) });
    // The limited app's store runs another sign-in just before it creates the new session.
    const limited = routesTestApp({
      store: () =>
        new Proxy(shared!, {
          get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver);
            if (key !== 'create') return typeof value === 'function' ? value.bind(target) : value;
            return async (...args: unknown[]) => {
              const parallel = race;
              race = null;
              if (parallel) await parallel();
              return value.apply(target, args);
            };
          },
        }),
      session: { maxSessionsPerUser: 2, onSessionLimit: 'refuse' },
    });
    const device = new Browser(free.app);
    await device.post('/login?remember=1');
    free.clock.advance(31 * MIN);
    limited.clock.advance(31 * MIN);
    const tabA = device.tab();
    expect((await tabA.post('/login')).status).toBe(200);
    expect((await new Browser(free.app).post('/login')).status).toBe(200); // a phone
    const tabB = new Browser(limited.app);
    for (const [name, value] of device.cookies) tabB.cookies.set(name, value);
    race = () => new Browser(free.app).post('/login'); // a second phone, mid-sign-in
    expect((await tabB.post('/login')).status).toBe(409);
    expect(
      limited.events.filter((e) => e.type === 'revoked' && e.detail !== 'session-limit-refused'),
    ).toEqual([]);
    expect(((await (await tabA.get('/touch')).json()) as { state: string }).state).toBe('active');
  });

  it("keeps the app's linkCredential(null) made before the sign-in", async () => {
    const t = routesTestApp({
      appMiddleware: async (c, next) => {
        if (c.req.header('X-Unlink') !== undefined) c.var.session.linkCredential(null);
        await next();
      },
    });
    const device = new Browser(t.app);
    await device.post('/login?remember=1');
    t.clock.advance(31 * MIN);
    await device.send('POST', '/login', { headers: { 'X-Unlink': '1' } });
    const live = (await t.store.listByUser('u1')).filter((e) => e.record.ended === null);
    expect(live.map((e) => e.record.credentialId)).toEqual([null]);
  });

  it("signs in when a strategy's forgetIfNotFor resolves to an empty id: no link, no 500", async () => {
    const base = routesTestApp();
    const reauth: ReauthStrategy = { ...base.remember, forgetIfNotFor: async () => '' };
    const t = routesTestApp({ session: { reauth } });
    expect((await new Browser(t.app).post('/login')).status).toBe(200);
    const [entry] = await t.store.listByUser('u1');
    expect(entry?.record.credentialId).toBeNull();
  });
});

describe('a password sign-in whose write at the end of the request would fail', () => {
  // The link to the credential the device keeps was written with the request's other
  // changes at its end: a store failure there handed the new session over unlinked, and
  // revoking it (a lost device) left the credential to sign the device straight back in.
  it('links the device credential as the session is created, so revoking it ends the device', async () => {
    // Nothing is left to write at the end (no 503 now): the link went in with the session.
    const outage = switchableStore({ only: 'update' });
    const t = routesTestApp({ store: outage.store });
    const device = new Browser(t.app);
    await device.post('/login?remember=1');
    t.clock.advance(31 * MIN);
    outage.set(true);
    expect((await device.post('/login')).status).toBe(200);
    outage.set(false);
    const live = (await t.store.listByUser('u1')).filter((e) => e.record.ended === null);
    expect(live.map((e) => e.record.credentialId)).toHaveLength(1);
    const [lost] = await t.manager.listForUser('u1');
    expect(await t.manager.revoke(lost!.id)).toBe(1);
    expect((await device.post('/session/reauth')).status).toBe(401);
  });
});

describe("a strategy's presentedCredentialId that throws or answers an odd id", () => {
  for (const [what, answer] of [
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    [
      'rejects',
      async () => {
        throw new Error('boom');
      },
    ],
    ['answers an empty id', () => ''],
    ['answers a number', () => 42],
  ] as const) {
    it(`${what}: the sign-in goes on, linking nothing it said`, async () => {
      const base = routesTestApp();
      const reauth = {
        ...base.remember,
        presentedCredentialId: answer,
      } as unknown as ReauthStrategy;
      const t = routesTestApp({ session: { reauth } });
      const device = new Browser(t.app);
      device.cookies.set('lifeline_remember', 'x'.repeat(43));
      expect((await device.post('/login')).status).toBe(200);
      const [entry] = await t.store.listByUser('u1');
      expect(entry?.record.credentialId).toBeNull();
    });
  }
});
