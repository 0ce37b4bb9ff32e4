import { type SessionEnv, type SessionEvent, type SessionOptions, session } from '@lifeline/server';
import { redisStore } from '@lifeline/server/redis';
import { manualClock } from '@lifeline/server/testing';
import { Hono } from 'hono';
import type Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandsDuring,
  connectRedis,
  deleteKeys,
  uniquePrefix,
} from '../../packages/server/src/redis/redis.fixture.js';

const MINUTE = 60_000;
const prefix = uniquePrefix('multi-instance');
const clients: Redis[] = [];
// One clock for both instances, started at real time so Redis TTLs stay in the future.
const clock = manualClock(Date.now());

/** One server instance: its own Redis connection and store, the shared key prefix. */
async function instance(options: SessionOptions = {}) {
  const client = await connectRedis();
  clients.push(client);
  const middleware = session({
    store: redisStore({ client, prefix }),
    now: clock.now,
    rotationInterval: 15 * MINUTE,
    rotationGrace: 10_000,
    ...options,
  });
  const app = new Hono<SessionEnv>();
  app.use(middleware);
  app.get('/me', (c) =>
    c.json({
      state: c.var.session.state,
      reason: c.var.session.reason,
      user: c.var.session.userId,
      cart: c.var.session.get('cart') ?? null,
    }),
  );
  app.post('/login/:user', async (c) => {
    await c.var.session.regenerate({ userId: c.req.param('user') });
    return c.json({ ok: true });
  });
  app.post('/cart/:item', (c) => {
    c.var.session.set('cart', c.req.param('item'));
    return c.json({ ok: true });
  });
  return { app, client, manager: middleware.manager };
}

type Instance = Awaited<ReturnType<typeof instance>>;

/** Sends a request with `token` as the session cookie; returns the body and any new token. */
async function send(on: Instance, method: string, path: string, token?: string) {
  const headers: Record<string, string> = token ? { Cookie: `lifeline=${token}` } : {};
  const res = await on.app.request(`http://localhost${path}`, { method, headers });
  const line = res.headers.getSetCookie().find((l) => l.startsWith('lifeline='));
  const cookie = line === undefined ? null : line.slice('lifeline='.length).split(';')[0]!;
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, cookie };
}

let a: Instance;
let b: Instance;

beforeAll(async () => {
  a = await instance();
  b = await instance();
});
afterAll(async () => {
  await deleteKeys(a.client, prefix);
  for (const client of clients) client.disconnect();
});

describe('two instances sharing one Redis', () => {
  it('serves a session created on A from B, and writes made on B from A', async () => {
    const login = await send(a, 'POST', '/login/alice');
    const token = login.cookie!;
    expect((await send(b, 'GET', '/me', token)).body).toMatchObject({
      state: 'active',
      user: 'alice',
    });
    await send(b, 'POST', '/cart/apple', token);
    expect((await send(a, 'GET', '/me', token)).body.cart).toBe('apple');
  });

  it('hands A the successor of a rotation made on B while the old token is in grace', async () => {
    const old = (await send(a, 'POST', '/login/bob')).cookie!;
    clock.advance(15 * MINUTE + 1);
    const rotated = await send(b, 'GET', '/me', old);
    expect(rotated.cookie).toMatch(/^[\w-]{43}$/);
    expect(rotated.cookie).not.toBe(old);
    const late = await send(a, 'GET', '/me', old);
    expect(late.body.state).toBe('active');
    expect(late.cookie).toBe(rotated.cookie);
    clock.advance(10_001);
    expect((await send(a, 'GET', '/me', old)).body.state).toBe('none');
    expect((await send(a, 'GET', '/me', rotated.cookie!)).body.user).toBe('bob');
  });

  it('reads the sealed successor only for a predecessor in its window, and refuses one Redis forgot without taking it for theft', async () => {
    const events: SessionEvent[] = [];
    const strict = await instance({ onTheft: 'revoke', onEvent: (e) => void events.push(e) });
    const old = (await send(strict, 'POST', '/login/frank')).cookie!;
    clock.advance(15 * MINUTE + 1);
    const rotated = (await send(strict, 'GET', '/me', old)).cookie!;
    // The grace path reads the sealed successor in a command of its own (then re-reads
    // the record before it sends the successor); the current token's request does not.
    const late = await commandsDuring(strict.client, prefix, async () => {
      expect((await send(strict, 'GET', '/me', old)).cookie).toBe(rotated);
    });
    expect(late.map((c) => c[0]?.toLowerCase())).toEqual(['hgetall', 'evalsha', 'hgetall']);
    const current = await commandsDuring(strict.client, prefix, async () => {
      expect((await send(strict, 'GET', '/me', rotated)).body.user).toBe('frank');
    });
    expect(current).toHaveLength(1);
    // Gone from Redis while the app's window is still open (its edge): no session for
    // that request, no theft, and the current cookie keeps working.
    await deleteKeys(strict.client, `${prefix}s:{*}:sealed`);
    expect(await send(strict, 'GET', '/me', old)).toMatchObject({
      body: { state: 'none', reason: 'missing' },
      cookie: null,
    });
    expect(events.filter((e) => e.type === 'rejected').map((e) => e.reason)).toEqual(['unknown']);
    expect((await send(strict, 'GET', '/me', rotated)).body.user).toBe('frank');
  });

  it("ends every one of a user's sessions on B once A revokes them all", async () => {
    const first = (await send(a, 'POST', '/login/carol')).cookie!;
    const second = (await send(b, 'POST', '/login/carol')).cookie!;
    const other = (await send(b, 'POST', '/login/dave')).cookie!;
    expect(await a.manager.revokeUser('carol')).toBe(2);
    for (const token of [first, second]) {
      expect((await send(b, 'GET', '/me', token)).body).toMatchObject({
        state: 'none',
        reason: 'revoked',
      });
    }
    expect((await send(b, 'GET', '/me', other)).body.state).toBe('active');
  });

  it('costs one Redis round trip for an ordinary session read, also when its touch is due', async () => {
    const token = (await send(a, 'POST', '/login/erin')).cookie!;
    const idleOf = async () => (await b.manager.listForUser('erin'))[0]?.idleExpiresAt;
    const idleBefore = await idleOf();
    const commands = await commandsDuring(a.client, prefix, async () => {
      for (let i = 0; i < 5; i++) {
        clock.advance(2 * MINUTE); // the touch interval (3 min) passes on every other read
        expect((await send(b, 'GET', '/me', token)).body.user).toBe('erin');
      }
    });
    // One command per request: the read script, which touches when due, or a plain
    // HGETALL once this instance knows the touch cannot be due yet.
    const names = commands.map((c) => c[0]?.toLowerCase());
    expect(names).toHaveLength(5);
    expect(names).toEqual(['hgetall', 'evalsha', 'hgetall', 'evalsha', 'hgetall']);
    expect(await idleOf()).toBe(clock.now() - 2 * MINUTE + 30 * MINUTE);
    expect(await idleOf()).toBeGreaterThan(idleBefore!);
  });

  it('reads without touching for a passive request, in one round trip', async () => {
    const token = (await send(a, 'POST', '/login/fay')).cookie!;
    const idleBefore = (await a.manager.listForUser('fay'))[0]?.idleExpiresAt;
    clock.advance(5 * MINUTE);
    const commands = await commandsDuring(a.client, prefix, async () => {
      const res = await b.app.request('http://localhost/me', {
        headers: { Cookie: `lifeline=${token}`, 'Session-Passive': '1' },
      });
      expect(res.status).toBe(200);
    });
    expect(commands.map((c) => c[0]?.toLowerCase())).toEqual(['hgetall']);
    expect((await a.manager.listForUser('fay'))[0]?.idleExpiresAt).toBe(idleBefore);
  });
});
