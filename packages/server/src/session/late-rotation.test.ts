import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { parseDeadlineHeader } from '../contract/protocol.js';
import { redisStore } from '../redis/index.js';
import { uniquePrefix, useRedis } from '../redis/redis.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { type ManualClock, manualClock } from '../testing/clock.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

const MIN = 60_000;
const ROTATE = 15 * MIN;
const GRACE = 10_000;
// Long enough for a loaded machine's Redis round trips; the rotation waits it out once.
const STORE_TIMEOUT = 200;

/**
 * A real store whose next `rotate` is held until `land()`: the request gives up after
 * `storeTimeout` (503), and the rotation still applies afterwards, as on a slow store.
 */
function slowRotation(inner: SessionStore) {
  let held: (() => Promise<unknown>) | null = null;
  const control = {
    holdNext: false,
    /** Applies the held rotation now. */
    land: () => held?.(),
  };
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'rotate' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!control.holdNext) return value.apply(target, args);
        control.holdNext = false;
        return new Promise((resolve, reject) => {
          held = () => {
            const landing: Promise<unknown> = value.apply(target, args);
            landing.then(resolve, reject);
            return landing;
          };
        });
      };
    },
  });
  return { store, control };
}

let redis: Redis;
const prefix = uniquePrefix('late-rotation');
useRedis(
  () => prefix,
  (client) => {
    redis = client;
  },
);

const stores: Array<[string, (clock: ManualClock) => SessionStore]> = [
  ['memory store', (clock) => memoryStore({ now: clock.now })],
  ['Redis store', () => redisStore({ client: redis, prefix })],
];

describe.each(stores)('a rotation that lands after its request timed out (%s)', (_, makeStore) => {
  /** Signs in, then makes the rotation due and lets its request time out while it lands. */
  async function timedOutRotation(
    options: Parameters<typeof testApp>[0] = {},
    { rotateFirst = false } = {},
  ) {
    // Real time: Redis expires keys on its own clock.
    const clock = manualClock(Date.now());
    const slow = slowRotation(makeStore(clock));
    const t = testApp({
      now: clock.now,
      storeTimeout: STORE_TIMEOUT,
      ...options,
      store: slow.store,
    });
    const login = await t.app.request('/login/ada', { method: 'POST' });
    const { id } = (await login.json()) as { id: string };
    const first = sessionCookie(login)!;
    let token = first;
    if (rotateFirst) {
      clock.advance(ROTATE);
      token = sessionCookie(await t.app.request('/read', withCookie(first)))!;
    }
    clock.advance(ROTATE);
    slow.control.holdNext = true;
    const timedOut = await t.app.request('/read', withCookie(token));
    expect(timedOut.status).toBe(503);
    expect(timedOut.headers.getSetCookie()).toEqual([]);
    expect(await slow.control.land()).toBe('ok');
    const stored = await t.manager.get(id);
    expect(stored?.previous?.confirmed).toBe(false); // the rotation did land, unconfirmed
    return { ...t, clock, id, token, first };
  }

  const read = async (t: { app: ReturnType<typeof testApp>['app'] }, token: string) => {
    const res = await t.app.request('/read', withCookie(token));
    return { res, body: (await res.json()) as { state: string; reason: string | null } };
  };
  const thefts = (t: ReturnType<typeof testApp>) =>
    t.events.filter((e) => e.type === 'rejected' && e.reason === 'theft-suspected');

  it('keeps the browser’s cookie working past the grace window, hands it the successor, then treats it as the predecessor again', async () => {
    const t = await timedOutRotation();
    t.clock.advance(GRACE + MIN);
    const late = await read(t, t.token);
    expect(late.body.state).toBe('active');
    const successor = sessionCookie(late.res);
    expect(successor).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(successor).not.toBe(t.token);
    expect(thefts(t)).toEqual([]);

    // The browser presents the successor once: recorded, and the predecessor gets a
    // fresh grace window for requests it already has in flight.
    expect((await read(t, successor!)).body.state).toBe('active');
    expect((await t.manager.get(t.id))?.previous?.confirmed).toBe(true);
    t.clock.advance(GRACE - 1);
    expect((await read(t, t.token)).body.state).toBe('active');
    t.clock.advance(1);
    const replay = await read(t, t.token);
    expect(replay.body.state).toBe('none');
    expect(replay.res.headers.getSetCookie()).toEqual([]);
    expect(thefts(t)).toHaveLength(1);
    expect((await read(t, successor!)).body.state).toBe('active');
  });

  it('revokes on a predecessor replayed after the successor was presented, with onTheft: revoke', async () => {
    const t = await timedOutRotation({ onTheft: 'revoke' });
    t.clock.advance(GRACE + MIN);
    const successor = sessionCookie((await read(t, t.token)).res)!;
    expect((await read(t, successor)).body.state).toBe('active');
    t.clock.advance(GRACE);
    expect((await read(t, t.token)).body).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: 'revoked', detail: 'theft-suspected' }),
    );
    expect((await read(t, successor)).body).toMatchObject({ state: 'none', reason: 'revoked' });
  });

  it('still rejects a predecessor’s predecessor as theft while a rotation is unconfirmed', async () => {
    const t = await timedOutRotation({ onTheft: 'revoke' }, { rotateFirst: true });
    expect(t.first).not.toBe(t.token);
    const replay = await read(t, t.first);
    expect(replay.body).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(thefts(t)).toHaveLength(1);
  });

  it('never lets an unpresented successor’s predecessor move the idle deadline, nor revive the session after it', async () => {
    const t = await timedOutRotation();
    const idle = (await t.manager.get(t.id))!.idleExpiresAt;
    t.clock.advance(20 * MIN);
    for (const path of ['/read', '/write/cart/pear', '/extend']) {
      const method = path === '/read' ? 'GET' : 'POST';
      const res = await t.app.request(path, withCookie(t.token, { method }));
      expect(res.status).toBe(200);
      expect(parseDeadlineHeader(res.headers.get('Session-Deadline'))?.idle).toBe(idle);
    }
    expect((await t.manager.get(t.id))?.data).toEqual({ cart: 'pear' });
    t.clock.advance(idle - t.clock.now());
    expect((await read(t, t.token)).body).toMatchObject({ state: 'none', reason: 'idle-timeout' });
    expect(thefts(t)).toEqual([]);
  });
});

describe('confirming a rotation', () => {
  /** Signs in and rotates once; `makeStore` gets the clock the app runs on. */
  async function rotatedOnce(makeStore?: (clock: ManualClock) => SessionStore) {
    const clock = manualClock();
    const t = testApp({ now: clock.now, ...(makeStore && { store: makeStore(clock) }) });
    const login = await t.app.request('/login/ada', { method: 'POST' });
    const { id } = (await login.json()) as { id: string };
    const token = sessionCookie(login)!;
    clock.advance(ROTATE);
    const rotating = await t.app.request('/read', withCookie(token));
    return { ...t, clock, id, token, rotating, successor: sessionCookie(rotating) };
  }

  it('is done by the request that rotated once the store answered: one extra write, no extra read', async () => {
    const t = await rotatedOnce();
    expect(t.successor).not.toBeNull();
    expect(t.counting.calls).toMatchObject({ rotate: 1, confirmRotation: 1 });
    expect(t.counting.calls.get).toBeUndefined();
    expect((await t.manager.get(t.id))?.previous?.confirmed).toBe(true);
    // So the ordinary rule holds at once: past the window the predecessor is a replay.
    t.clock.advance(GRACE);
    expect(await (await t.app.request('/read', withCookie(t.token))).json()).toMatchObject({
      state: 'none',
    });
  });

  it('is not an outage when it fails: the successor is still sent, and its first use confirms', async () => {
    let failConfirm = true;
    const t = await rotatedOnce((clock) => {
      const memory = memoryStore({ now: clock.now });
      return {
        ...memory,
        confirmRotation: (sid, confirmation) =>
          failConfirm
            ? Promise.reject(new Error('connection reset'))
            : memory.confirmRotation!(sid, confirmation),
      };
    });
    expect(t.rotating.status).toBe(200);
    expect(t.successor).not.toBeNull();
    expect((await t.manager.get(t.id))?.previous?.confirmed).toBe(false);
    failConfirm = false;
    t.clock.advance(MIN);
    expect((await t.app.request('/read', withCookie(t.successor!))).status).toBe(200);
    expect((await t.manager.get(t.id))?.previous?.confirmed).toBe(true);
  });

  it('is skipped with a store that lacks confirmRotation: rotations are written confirmed, as before', async () => {
    const t = await rotatedOnce((clock) => ({
      ...memoryStore({ now: clock.now }),
      confirmRotation: undefined,
    }));
    const previous = (await t.manager.get(t.id))?.previous;
    expect(previous).not.toBeNull();
    expect(previous).not.toHaveProperty('confirmed');
    t.clock.advance(GRACE);
    expect(await (await t.app.request('/read', withCookie(t.token))).json()).toMatchObject({
      state: 'none',
    });
  });
});
