import type { Hono } from 'hono';
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisStore } from '../redis/index.js';
import { uniquePrefix, useRedis } from '../redis/redis.fixture.js';
import { Browser, type RoutesTestOptions, routesTestApp } from '../routes/test-app.fixture.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import type { ManualClock } from '../testing/clock.js';
import type { RememberEvent } from './options.js';

const MIN = 60_000;
const GRACE = 10_000;
const REMEMBER = 'lifeline_remember';

/**
 * A real store whose credential calls the test can order: `holdFirstRead` keeps the first
 * `getCredential` waiting until a rotation has landed (the other request rotates first);
 * `readTogether` lets no `getCredential` answer before two are waiting (both requests read
 * the same record, and one loses the compare-and-set).
 */
function ordered(inner: SessionStore, plan: 'holdFirstRead' | 'readTogether') {
  let rotated!: () => void;
  const rotation = new Promise<void>((resolve) => {
    rotated = resolve;
  });
  let bothWaiting!: () => void;
  const pair = new Promise<void>((resolve) => {
    bothWaiting = resolve;
  });
  let reads = 0;
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === 'getCredential') {
        return async (...args: unknown[]) => {
          reads += 1;
          if (plan === 'holdFirstRead' && reads === 1) await rotation;
          if (plan === 'readTogether') {
            if (reads === 2) bothWaiting();
            await pair;
          }
          return value.apply(target, args);
        };
      }
      if (key === 'rotateCredential') {
        return async (...args: unknown[]) => {
          const result = await value.apply(target, args);
          rotated();
          return result;
        };
      }
      return value;
    },
  });
}

let redis: Redis;
const prefix = uniquePrefix('parallel-reauth');
let apps = 0;
useRedis(
  () => prefix,
  (client) => {
    redis = client;
  },
);

type MakeStore = (clock: ManualClock) => SessionStore;
const stores: Array<[string, MakeStore, boolean]> = [
  ['memory store', (clock) => memoryStore({ now: clock.now }), false],
  // A prefix per app: every test signs in the same user id. Redis expires on real time.
  ['Redis store', () => redisStore({ client: redis, prefix: `${prefix}${++apps}:` }), true],
];

describe.each(stores)('parallel uses of one remember-me credential (%s)', (_, makeStore, real) => {
  /** A browser signed in with "remember me" whose session has idled out. */
  async function idledOut(
    plan?: 'holdFirstRead' | 'readTogether',
    options: RoutesTestOptions = {},
  ) {
    const events: RememberEvent[] = [];
    const t = routesTestApp({
      ...options,
      ...(real && { clockStart: Date.now() }),
      store: (clock) => (plan ? ordered(makeStore(clock), plan) : makeStore(clock)),
      remember: {
        onEvent: (e) => {
          events.push(e);
        },
      },
    });
    const browser = new Browser(t.app);
    await browser.post('/login?remember=1');
    t.clock.advance(31 * MIN);
    return { ...t, browser, rememberEvents: events, credential: browser.cookies.get(REMEMBER)! };
  }

  /** `POST /session/reauth` from a fresh browser holding only this remember-me cookie. */
  function reauthWith(t: { app: Hono<SessionEnv> }, cookie: string) {
    const device = new Browser(t.app);
    device.cookies.set(REMEMBER, cookie);
    return device.post('/session/reauth');
  }

  const cookieOf = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${name}=`))
      ?.split(';')[0]
      ?.slice(name.length + 1);

  for (const plan of ['holdFirstRead', 'readTogether'] as const) {
    it(`both succeed with the same cookies, and no theft is reported (${plan})`, async () => {
      const t = await idledOut(plan);
      const [a, b] = await Promise.all([
        t.browser.post('/session/reauth'),
        t.browser.post('/session/reauth'),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const credential = cookieOf(a, REMEMBER);
      expect(credential).toMatch(/^[\w-]{43}$/);
      expect(credential).not.toBe(t.credential);
      expect(cookieOf(b, REMEMBER)).toBe(credential);
      // One session for the device, whichever response the browser keeps last.
      expect(cookieOf(b, 'lifeline')).toBe(cookieOf(a, 'lifeline'));
      expect(t.rememberEvents.map((e) => e.type)).not.toContain('theft-suspected');
      const sessions = await t.manager.listForUser('u1');
      expect(sessions).toHaveLength(1);
      const linked = (await t.manager.get(sessions[0]!.id))?.credentialId;
      expect(await t.store.getCredential(linked!)).toMatchObject({ userId: 'u1' });

      expect(await (await t.browser.get('/session/status')).json()).toMatchObject({
        state: 'active',
      });
      // The shared cookie is the current credential: its next use works and rotates it.
      t.clock.advance(31 * MIN);
      const next = await t.browser.post('/session/reauth');
      expect(next.status).toBe(200);
      expect(cookieOf(next, REMEMBER)).not.toBe(credential);
    });
  }

  it('a retry after a lost response, inside the window, gets the same cookies', async () => {
    const t = await idledOut();
    const lost = await reauthWith(t, t.credential);
    t.clock.advance(GRACE - 1);
    const retry = await reauthWith(t, t.credential);
    expect(retry.status).toBe(200);
    expect(cookieOf(retry, REMEMBER)).toBe(cookieOf(lost, REMEMBER));
    expect(cookieOf(retry, 'lifeline')).toBe(cookieOf(lost, 'lifeline'));
    expect(t.rememberEvents.map((e) => e.type)).toEqual(['issued', 'used', 'used']);
  });

  it('the old validator after the window is theft: the credential is deleted and reported', async () => {
    const t = await idledOut();
    const current = cookieOf(await reauthWith(t, t.credential), REMEMBER)!;
    t.clock.advance(GRACE);
    const replay = await reauthWith(t, t.credential);
    expect(replay.status).toBe(401);
    expect(replay.headers.getSetCookie().join()).toMatch(/lifeline_remember=;.*Max-Age=0/);
    expect(t.rememberEvents.at(-1)).toMatchObject({ type: 'theft-suspected', userId: 'u1' });
    expect((await reauthWith(t, current)).status).toBe(401);
  });

  it('a grandparent inside the window is theft', async () => {
    const t = await idledOut();
    const parent = cookieOf(await reauthWith(t, t.credential), REMEMBER)!;
    const current = cookieOf(await reauthWith(t, parent), REMEMBER)!;
    t.clock.advance(1);
    expect((await reauthWith(t, t.credential)).status).toBe(401);
    expect(t.rememberEvents.at(-1)).toMatchObject({ type: 'theft-suspected' });
    expect((await reauthWith(t, current)).status).toBe(401);
  });

  it('a session limit of one keeps the device signed in: the later re-auth joins the session', async () => {
    const t = await idledOut('holdFirstRead', { session: { maxSessionsPerUser: 1 } });
    const [a, b] = await Promise.all([
      t.browser.post('/session/reauth'),
      t.browser.post('/session/reauth'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await (await t.browser.get('/session/status')).json()).toMatchObject({
      state: 'active',
    });
    t.clock.advance(31 * MIN);
    expect((await t.browser.post('/session/reauth')).status).toBe(200);
  });
});
