import { Hono } from 'hono';
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { SessionOptions } from '../config/options.js';
import type { SessionEvent } from '../events/types.js';
import { redisStore } from '../redis/index.js';
import { uniquePrefix, useRedis } from '../redis/redis.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
import { sessionRecord } from '../testing/fixtures.js';
import { sessionCookie, withCookie } from './app.fixture.js';
import { session } from './middleware.js';
import type { SessionEnv } from './types.js';

const MIN = 60_000;
const IDLE = 30 * MIN;

let redis: Redis;
const prefix = uniquePrefix('limit-at-deadline');
useRedis(
  () => prefix,
  (client) => {
    redis = client;
  },
);

type MakeStore = (now: () => number) => SessionStore;
const stores: [string, MakeStore][] = [
  ['memory store', (now) => memoryStore({ now })],
  ['Redis store', (now) => redisStore({ client: redis, prefix, now })],
];

let users = 0;

/**
 * An app with `maxSessionsPerUser: 1` whose `/upload` is held after its session was read
 * (`upload()` starts one, `release()` lets it write), on a store `wrap` may change.
 */
function limitApp(
  make: MakeStore,
  onSessionLimit: 'refuse' | 'evict-oldest',
  wrap: (store: SessionStore) => SessionStore = (store) => store,
  options: SessionOptions = {},
) {
  // Real epoch time, so that Redis TTLs are in the future.
  const clock = manualClock(Date.now());
  const userId = `u${++users}`; // the Redis prefix is the whole file's
  const events: SessionEvent[] = [];
  const store = wrap(make(clock.now));
  const mw = session({
    store,
    now: clock.now,
    idleTimeout: IDLE,
    maxSessionsPerUser: 1,
    onSessionLimit,
    onEvent: (e) => void events.push(e),
    ...options,
  });
  const app = new Hono<SessionEnv>();
  app.use(mw);
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId });
    return c.json({});
  });
  let release!: () => void;
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => (entered = r));
  app.post('/upload', async (c) => {
    entered();
    await new Promise<void>((r) => (release = r));
    c.var.session.set('draft', 'saved');
    return c.json({ state: c.var.session.state });
  });
  app.get('/read', (c) => c.json({ state: c.var.session.state }));
  return {
    app,
    store,
    clock,
    events,
    userId,
    manager: mw.manager,
    login: () => app.request('/login', { method: 'POST' }),
    /** Starts an upload with `token` and waits until its handler holds; `done` is its answer. */
    async upload(token: string) {
      const done = app.request('/upload', withCookie(token, { method: 'POST' }));
      await inHandler;
      return { done };
    },
    release: () => release(),
    stateOf: async (token: string) =>
      ((await (await app.request('/read', withCookie(token))).json()) as { state: string }).state,
  };
}

/** A store wrapper whose `endIfExpired` waits for `open()`; `entered` once one is called. */
function heldEndings() {
  let enter!: () => void;
  const entered = new Promise<void>((r) => (enter = r));
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const wrap = (store: SessionStore): SessionStore => ({
    ...store,
    endIfExpired: async (...args) => {
      enter();
      await gate;
      return store.endIfExpired!(...args);
    },
  });
  return { wrap, entered, open: () => open() };
}

/** A store wrapper whose `endIfExpired` never answers; `calls()` counts them. */
function hungEndings() {
  let calls = 0;
  const wrap = (store: SessionStore): SessionStore => ({
    ...store,
    endIfExpired: () => {
      calls++;
      return new Promise<never>(() => {});
    },
  });
  return { wrap, calls: () => calls };
}

/** The `events` of `type`. */
const ofType = (events: SessionEvent[], type: SessionEvent['type']) =>
  events.filter((e) => e.type === type);

// A session past its idle deadline that no request has ended yet is not counted by a
// login, but a request its device sent just before the deadline may still write to it.
// The login ends it (only while it is still past its deadline), so that write cannot
// bring it back over the limit.
describe.each(stores)(
  'maxSessionsPerUser: 1, a request in flight at the deadline (%s)',
  (_, make) => {
    for (const onSessionLimit of ['refuse', 'evict-oldest'] as const) {
      it(`${onSessionLimit}: the new sign-in stands alone and the late write is refused`, async () => {
        const t = limitApp(make, onSessionLimit);
        const first = sessionCookie(await t.login())!;
        t.clock.advance(IDLE - 1);
        // The first device's upload is read 1 ms before its idle deadline ...
        const { done: upload } = await t.upload(first);
        t.clock.advance(2);
        // ... and is still running when the person signs in on a second device.
        const login = await t.login();
        expect(login.status).toBe(200);
        const second = sessionCookie(login)!;
        t.release();
        // The upload's write found its session ended: it did not bring it back.
        expect((await upload).status).toBe(401);
        expect(await t.stateOf(first)).toBe('none');
        expect(await t.stateOf(second)).toBe('active');
        expect(await t.manager.listForUser(t.userId)).toHaveLength(1);
        // The first session's ending is on the audit log as the expiry it was.
        expect(ofType(t.events, 'expired')).toMatchObject([{ reason: 'idle-timeout' }]);
        expect(ofType(t.events, 'revoked'), JSON.stringify(t.events)).toEqual([]);
      });

      it(`${onSessionLimit}: a write that lands between the listing and the ending keeps the session counted`, async () => {
        // The sign-in's ending of the past-deadline session waits until the upload wrote.
        const held = heldEndings();
        const t = limitApp(make, onSessionLimit, held.wrap);
        const first = sessionCookie(await t.login())!;
        t.clock.advance(IDLE - 1);
        const { done: upload } = await t.upload(first);
        t.clock.advance(2);
        const login = t.login();
        await held.entered;
        t.release();
        // The upload was read before the deadline: its write moves the idle deadline on.
        expect((await upload).status).toBe(200);
        held.open();
        const answer = await login;
        // The touched session is live again and counts: it is evicted, or the sign-in refused.
        if (onSessionLimit === 'refuse') {
          expect(answer.status).toBe(409);
          expect(await t.stateOf(first)).toBe('active');
        } else {
          expect(answer.status).toBe(200);
          expect(await t.stateOf(first)).toBe('none');
          expect(await t.stateOf(sessionCookie(answer)!)).toBe('active');
          expect(ofType(t.events, 'revoked')).toMatchObject([{ detail: 'session-limit' }]);
        }
        expect(await t.manager.listForUser(t.userId)).toHaveLength(1);
        expect(ofType(t.events, 'expired')).toEqual([]);
      });
    }
  },
);

// The same race without a sign-in: a request that reads the session past its deadline ends
// it, but only while it still is; a request read in time that touched it since keeps it.
describe.each(stores)('a read past the deadline racing a write read in time (%s)', (_, make) => {
  it('the touched session lives on, and the late read is answered from it', async () => {
    const held = heldEndings();
    const t = limitApp(make, 'refuse', held.wrap);
    const token = sessionCookie(await t.login())!;
    t.clock.advance(IDLE - 1);
    const { done: upload } = await t.upload(token);
    t.clock.advance(2);
    // Read past the deadline; its ending waits until the upload has written.
    const late = t.stateOf(token);
    await held.entered;
    t.release();
    expect((await upload).status).toBe(200);
    held.open();
    expect(await late).toBe('active');
    expect(await t.stateOf(token)).toBe('active');
    expect(ofType(t.events, 'expired')).toEqual([]);
  });

  it('an untouched session past its deadline still ends, reported once', async () => {
    const t = limitApp(make, 'refuse');
    const token = sessionCookie(await t.login())!;
    t.clock.advance(IDLE + 1);
    const states = await Promise.all([t.stateOf(token), t.stateOf(token), t.stateOf(token)]);
    expect(states).toEqual(['none', 'none', 'none']);
    expect(ofType(t.events, 'expired')).toMatchObject([{ reason: 'idle-timeout' }]);
  });
});

describe('maxSessionsPerUser: the sign-in ending past-deadline sessions (memory store)', () => {
  const make: MakeStore = (now) => memoryStore({ now, maxSessions: 5_000 });

  /** `count` sessions of the user past their idle deadline that no request has ended. */
  async function pastSessions(t: ReturnType<typeof limitApp>, count: number) {
    const now = t.clock.now();
    const sids = Array.from({ length: count }, (_, i) => `past-${i}`);
    for (const sid of sids) {
      const record = sessionRecord({
        userId: t.userId,
        createdAt: now - IDLE - 1,
        lastActiveAt: now - IDLE - 1,
        idleExpiresAt: now - 1,
      });
      expect(await t.store.create(sid, record, now + IDLE)).toBe(true);
    }
    return sids;
  }

  it('failing endings do not fail the sign-in, nor stop the others', async () => {
    // Say one shard of a cluster fails over: its sessions' endings fail, the rest go on.
    const t = limitApp(make, 'refuse', (store) => ({
      ...store,
      endIfExpired: (sid, ...rest) =>
        sid === 'past-0'
          ? Promise.reject(new Error('store down for this key'))
          : store.endIfExpired!(sid, ...rest),
    }));
    await pastSessions(t, 600);
    const login = await t.login();
    expect(login.status).toBe(200);
    expect(await t.stateOf(sessionCookie(login)!)).toBe('active');
    // Every other one, in every batch, was ended; only the failing one is let go.
    const ended = ofType(t.events, 'expired').map((e) => e.sid);
    expect(ended).toHaveLength(599);
    expect(ended).not.toContain('past-0');
    expect((await t.store.get('past-511'))?.ended).toMatchObject({ reason: 'idle-timeout' });
    expect((await t.store.get('past-0'))?.ended).toBeNull();
  });

  it('endings that never answer hold the sign-in one store timeout, not one per look', async () => {
    const hung = hungEndings();
    const t = limitApp(make, 'refuse', hung.wrap, { storeTimeout: 300 });
    await pastSessions(t, 600);
    const login = await t.login();
    expect(login.status).toBe(200);
    // All 600 went out at once and timed out together; the second look let them go rather
    // than wait for the store again (1,200 calls and two timeouts).
    expect(hung.calls()).toBe(600);
  });

  it('an ending past the absolute deadline is sent once and not waited for: it cannot be live', async () => {
    const hung = hungEndings();
    // Waiting for that ending would take longer than the test may.
    const t = limitApp(make, 'refuse', hung.wrap, { storeTimeout: 30_000 });
    const now = t.clock.now();
    const record = sessionRecord({
      userId: t.userId,
      createdAt: now - 8 * 60 * MIN,
      lastActiveAt: now - 2,
      idleExpiresAt: now - 1,
      absoluteExpiresAt: now - 1,
    });
    expect(await t.store.create('past-absolute', record, now + IDLE)).toBe(true);
    expect((await t.login()).status).toBe(200);
    // Neither look waited, and the second did not send it again.
    expect(hung.calls()).toBe(1);
  });

  it('a privilege change racing the absolute deadline does not hold a sign-in elsewhere', async () => {
    const t = limitApp(make, 'refuse', hungEndings().wrap, {
      storeTimeout: 30_000,
      absoluteTimeout: IDLE,
    });
    let release!: () => void;
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    t.app.post('/elevate', async (c) => {
      entered();
      await new Promise<void>((r) => (release = r));
      await c.var.session.regenerate({}); // keeps the absolute deadline, now past
      return c.json({});
    });
    const first = sessionCookie(await t.login())!;
    t.clock.advance(IDLE - 1);
    const elevate = t.app.request('/elevate', withCookie(first, { method: 'POST' }));
    await inHandler; // read 1 ms before the absolute deadline
    t.clock.advance(2);
    const login = t.login();
    release();
    await elevate;
    // The first look's ending and the second look's (of the renewed session, born past
    // its deadline) are both past the absolute deadline: neither is waited for.
    const answer = await login;
    expect(answer.status).toBe(200);
    expect(await t.stateOf(sessionCookie(answer)!)).toBe('active');
  });

  for (const onSessionLimit of ['refuse', 'evict-oldest'] as const) {
    it(`${onSessionLimit}: a live answer that comes late, within the store timeout, counts`, async () => {
      const t = limitApp(
        make,
        onSessionLimit,
        (store) => ({
          ...store,
          endIfExpired: async (sid, ended, expiresAt, now) => {
            await new Promise((r) => setTimeout(r, 200));
            // The last one's device wrote to it meanwhile (read before its deadline).
            if (sid === 'past-256') {
              const touch = { lastActiveAt: now - 2, idleExpiresAt: now - 2 + IDLE };
              expect(await store.update(sid, { meta: touch }, now + IDLE)).toBe('ok');
            }
            return store.endIfExpired!(sid, ended, expiresAt, now);
          },
        }),
        { storeTimeout: 300 },
      );
      await pastSessions(t, 257);
      const login = await t.login();
      if (onSessionLimit === 'refuse') {
        expect(login.status).toBe(409);
        expect((await t.store.get('past-256'))?.ended).toBeNull();
      } else {
        expect(login.status).toBe(200);
        expect((await t.store.get('past-256'))?.ended).toMatchObject({
          reason: 'revoked',
          detail: 'session-limit',
        });
      }
      expect(await t.manager.listForUser(t.userId)).toHaveLength(1);
    });
  }

  it('a store without endIfExpired signs in as before, ending nothing at the sign-in', async () => {
    const t = limitApp(make, 'refuse', ({ endIfExpired: _, ...rest }) => rest);
    await t.login();
    t.clock.advance(IDLE + 1);
    expect((await t.login()).status).toBe(200);
    expect(ofType(t.events, 'expired')).toEqual([]);
  });

  it('ends every past-deadline session, 600 at once, and counts none', async () => {
    const t = limitApp(make, 'refuse');
    const past = await pastSessions(t, 600);
    const login = await t.login();
    expect(login.status).toBe(200);
    // Each ending reported once, as the expiry it is.
    const expired = ofType(t.events, 'expired');
    expect(new Set(expired.map((e) => e.sid))).toEqual(new Set(past));
    expect(expired).toHaveLength(600);
    expect((await t.store.get('past-599'))?.ended).toMatchObject({ reason: 'idle-timeout' });
    expect(await t.manager.listForUser(t.userId)).toHaveLength(1);
  });
});
