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
    let sw!: ReturnType<typeof landsThenTimesOut>;
    const t = routesTestApp({
      clockStart: Date.now(),
      session: { onTheft: 'revoke' },
      store: (clock) => {
        sw = landsThenTimesOut(store(clock), 'end');
        return sw.wrapped;
      },
    });
    const b = new Browser(t.app);
    await b.post('/login?user=u1&remember=1');
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
    let sw!: ReturnType<typeof landsThenTimesOut>;
    const t = routesTestApp({
      clockStart: Date.now(),
      store: (clock) => {
        sw = landsThenTimesOut(store(clock), 'end');
        return sw.wrapped;
      },
    });
    const b = new Browser(t.app);
    await b.post('/login?user=u1&remember=1');
    sw.set(true);
    const res = await b.post('/session/logout');
    expect(res.status).toBe(503);
    // The remember cookie goes with the 503 too (security.md, item 28).
    expect(res.headers.getSetCookie().some((l) => /^lifeline_remember=;/.test(l))).toBe(true);
    sw.set(false);
    expect((await (await b.get('/session/status')).json()).reason).toBe('logged-out');
    expect((await b.post('/session/reauth')).status).toBe(401);
  });

  // After a timeout the re-auth's session has no trail from the old one: only the
  // credential ties it to the device that signed out.
  it('a re-auth sent before a sign-out (after an idle timeout) is signed out of too', async () => {
    const t = routesTestApp({ store, clockStart: Date.now() });
    const b = new Browser(t.app);
    await b.post('/login?user=u1&remember=1');
    t.clock.advance(31 * MIN);
    const tabA = tab(b, t.app); // clicks "Sign out"
    const tabB = tab(b, t.app); // its SDK re-authenticates silently at the same moment
    expect((await tabB.post('/session/reauth')).status).toBe(200);
    expect((await tabA.post('/session/logout')).status).toBe(200); // sent with the old cookies
    // B's answer reaches the jar last (or is replayed): nobody must stay signed in
    expect((await (await tabB.get('/session/status')).json()).state).toBe('none');
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
