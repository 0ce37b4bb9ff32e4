// Endings that race a re-auth, or land and then time out: the device (its remember-me
// credential) must end with them. Each test runs on the memory and the Redis store.
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisStore } from '../redis/index.js';
import { uniquePrefix, useRedis } from '../redis/redis.fixture.js';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import type { ManualClock } from '../testing/clock.js';
import { raceApp } from './race.fixture.js';

let client: Redis;
const prefix = uniquePrefix('device-races');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

const MIN = 60_000;
const stores: Array<[string, (clock: ManualClock) => SessionStore]> = [
  ['memory', (clock) => memoryStore({ now: clock.now })],
  ['redis', (clock) => redisStore({ client, prefix, now: clock.now })],
];

/** Another tab of the same browser: same cookies at the moment it sends. */
function tab(b: Browser, app: ConstructorParameters<typeof Browser>[0]) {
  const c = new Browser(app);
  for (const [k, v] of b.cookies) c.cookies.set(k, v);
  return c;
}

/** A store whose `method` applies, then answers too late (a timeout after landing). */
function landsThenTimesOut(inner: SessionStore, method: keyof SessionStore) {
  let down = false;
  const wrapped = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key !== method) return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        if (down) throw new Error('ETIMEDOUT');
        return result;
      };
    },
  });
  return {
    wrapped,
    set: (d: boolean) => {
      down = d;
    },
  };
}

/** A remembered sign-in as u1 on an app whose store's `end()` can land and then time out. */
async function signedInWithFlakyEnd(
  store: (clock: ManualClock) => SessionStore,
  session: NonNullable<Parameters<typeof routesTestApp>[0]>['session'] = {},
) {
  let sw!: ReturnType<typeof landsThenTimesOut>;
  const t = routesTestApp({
    clockStart: Date.now(),
    session,
    store: (clock) => {
      sw = landsThenTimesOut(store(clock), 'end');
      return sw.wrapped;
    },
  });
  const b = new Browser(t.app);
  await b.post('/login?user=u1&remember=1');
  return { t, b, sw };
}

describe.each(stores)('%s store', (_name, store) => {
  // manager.revoke() returned early for a session that had timed out: the device's
  // credential and the session it re-authenticated into lived on.
  it('manager.revoke(id) ends a device that idled out and re-authenticated with its cookie', async () => {
    const t = routesTestApp({ store, clockStart: Date.now() });
    const b = new Browser(t.app);
    await b.post('/login?user=u1&remember=1');
    const [listed] = await t.manager.listForUser('u1'); // the admin's device list
    t.clock.advance(31 * MIN); // the device idles out ...
    expect((await b.post('/session/reauth')).status).toBe(200); // ... and re-authenticates
    await t.manager.revoke(listed!.id); // the admin revokes the device they saw
    expect((await (await b.get('/session/status')).json()).state).toBe('none');
    expect((await b.post('/session/reauth')).status).toBe(401);
  });

  // The ending threw before the credential was deleted, and every later replay finds the
  // session ended and never reaches the theft path again.
  it("onTheft 'revoke' whose end() lands but times out still deletes the credential", async () => {
    const { t, b, sw } = await signedInWithFlakyEnd(store, { onTheft: 'revoke' });
    const thief = tab(b, t.app); // a copy of both cookies
    t.clock.advance(15 * MIN);
    await b.get('/touch'); // the owner's request rotates
    t.clock.advance(11_000); // past the grace window
    sw.set(true);
    expect((await thief.get('/touch')).status).toBe(503); // replay detected, session revoked
    sw.set(false);
    expect((await (await b.get('/session/status')).json()).reason).toBe('revoked');
    expect((await thief.post('/session/reauth')).status).toBe(401);
  });

  // The credential went only after the ending answered: a 503 left it to sign back in with.
  it('a logout whose end() lands but times out leaves no credential to sign back in with', async () => {
    const { b, sw } = await signedInWithFlakyEnd(store);
    sw.set(true);
    const res = await b.post('/session/logout');
    expect(res.status).toBe(503);
    // The remember cookie goes with the 503 too (security.md, item 28).
    expect(res.headers.getSetCookie().some((l) => /^lifeline_remember=;/.test(l))).toBe(true);
    sw.set(false);
    expect((await (await b.get('/session/status')).json()).reason).toBe('logged-out');
    expect((await b.post('/session/reauth')).status).toBe(401);
  });

  it('parallel requests at the idle deadline report one expiry', async () => {
    const t = routesTestApp({ store, clockStart: Date.now() });
    const b = new Browser(t.app);
    await b.post('/login?user=u1');
    t.clock.advance(30 * MIN);
    await Promise.all(Array.from({ length: 10 }, () => tab(b, t.app).get('/touch')));
    expect(t.events.filter((e) => e.type === 'expired')).toHaveLength(1);
  });
});

// A logout used to end, besides its own session, the user's other sessions linking a
// credential it deleted (to catch a re-auth sent just before it). That also ended a new
// sign-in that carried the credential over, and let any old copy of the remember cookie
// sign the device out: taken back (design-decisions.md, known limitations).
describe('a logout ends no session it was not sent for', () => {
  it('a late logout ends nothing of a new sign-in, also when the device was remembered', async () => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const { absoluteExpiresAt } = await (await t.browser.get('/session/status')).json();
    const late = tab(t.browser, t.app); // a logout sent before the sign-in landed
    expect((await t.browser.post('/login')).status).toBe(200); // signs in anew (password)
    expect((await late.post('/session/logout', { absoluteExpiresAt })).status).toBe(200);
    expect(await t.state()).toBe('active');
  });

  it('a stale copy of both cookies, from before a re-auth, does not end the device’s session', async () => {
    const t = routesTestApp({ clockStart: Date.now() });
    const device = new Browser(t.app);
    await device.post('/login?user=u1&remember=1');
    const backup = tab(device, t.app); // another profile, a backup, a stolen jar
    t.clock.advance(31 * MIN);
    expect((await device.post('/session/reauth')).status).toBe(200);
    t.clock.advance(20 * MIN); // past every grace window; the device stays active
    expect((await (await device.get('/session/status')).json()).state).toBe('active');
    expect((await backup.post('/session/logout')).status).toBe(200);
    expect((await (await device.get('/session/status')).json()).state).toBe('active');
  });

  // The request whose ending another request beat used to report it as destroyed too.
  it('two tabs signing out at once report one destroyed', async () => {
    const t = routesTestApp();
    const b = new Browser(t.app);
    await b.post('/login?user=u1&remember=1');
    t.events.length = 0;
    await Promise.all([
      tab(b, t.app).post('/session/logout'),
      tab(b, t.app).post('/session/logout'),
    ]);
    expect(t.events.filter((e) => e.type === 'destroyed')).toHaveLength(1);
  });
});
