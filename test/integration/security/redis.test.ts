import { randomBytes } from 'node:crypto';
import { redisStore } from '@lifeline/server/redis';
import { manualClock } from '@lifeline/server/testing';
import type Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../packages/server/src/redis/redis.fixture.js';
import { login, MINUTE, sidOf, startServer, type TestServer } from './harness.js';

// Two server instances, each with its own Redis connection, sharing one Redis and one key
// prefix unique to this run; every key under it is deleted afterwards.
const prefix = `lifeline-audit:${randomBytes(6).toString('hex')}:`;
const clock = manualClock(Date.now()); // real time, so Redis TTLs lie in the future
const clients: Redis[] = [];
let a: TestServer;
let b: TestServer;

/** A connection of its own, or an error saying a Redis server is needed and how to start one. */
async function connect(): Promise<Redis> {
  const client = await connectRedis();
  clients.push(client);
  return client;
}

async function instance(): Promise<TestServer> {
  const client = await connect();
  return startServer({
    clock,
    store: redisStore({ client, prefix, now: clock.now }),
    session: { idleTimeout: 30 * MINUTE, rotationInterval: 15 * MINUTE },
  });
}

async function alive(on: TestServer, token: string): Promise<boolean> {
  return (await on.send('/api/data', { token })).json.state === 'active';
}

beforeAll(async () => {
  a = await instance();
  b = await instance();
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  const admin = clients[0];
  if (admin) {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  for (const c of clients) c.disconnect();
});

describe('Termination and revocation across instances (Redis)', () => {
  it("7.4.2 / item 32: revoke-all for a user fails every one of that user's cookies on every instance", async () => {
    const tokens = [
      await login(a, 'disabled-account'),
      await login(b, 'disabled-account'),
      await login(a, 'disabled-account'),
    ];
    const other = await login(b, 'still-here');
    for (const t of tokens) {
      expect(await alive(a, t)).toBe(true);
      expect(await alive(b, t)).toBe(true);
    }
    expect(await b.manager.revokeUser('disabled-account')).toBe(3);
    for (const t of tokens) {
      for (const on of [a, b]) {
        const res = await on.send('/api/me', { token: t });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ code: 'session_revoked', reason: 'revoked' });
      }
    }
    expect(await alive(a, other)).toBe(true);
  });

  it('better-auth #6893 / item 37: a revocation on A is effective on B on the very next request (no local cache: bound zero)', async () => {
    for (let i = 0; i < 5; i++) {
      const token = await login(b, `bound-${i}`);
      expect(await alive(b, token)).toBe(true); // B has just served it
      const sid = (await sidOf(a, token)) as string;
      await a.manager.revoke(sid);
      expect(await alive(b, token)).toBe(false); // no time passes in between
      // Logout on A, too.
      const t2 = await login(a, `bound-out-${i}`);
      expect(await alive(b, t2)).toBe(true);
      await a.send('/session/logout', { method: 'POST', token: t2, sameOrigin: true });
      expect((await b.send('/api/me', { token: t2 })).json.reason).toBe('logged-out');
    }
  });

  it('item 16 (Redis): a rotation on B; inside the window A answers the predecessor with the successor, and after it refuses it', async () => {
    const t0 = await login(a, 'rotating-across');
    clock.advance(15 * MINUTE + 1);
    const t1 = (await b.send('/api/data', { token: t0 })).token as string;
    expect(t1).toMatch(/^[\w-]{43}$/);
    expect(t1).not.toBe(t0);
    clock.advance(10_000 - 1); // the default rotationGrace, less 1 ms
    const late = await a.send('/api/me', { token: t0 });
    expect(late.status).toBe(200);
    expect(late.token).toBe(t1);
    clock.advance(1);
    expect((await a.send('/api/me', { token: t0 })).status).toBe(401);
    expect(await alive(a, t1)).toBe(true);
  });

  it('item 4 (Redis): no key or value in Redis contains a raw cookie value', async () => {
    const token = await login(a, 'redis-reader', { headers: {} });
    clock.advance(15 * MINUTE + 1);
    const rotated = (await b.send('/api/data', { token })).token as string;
    const remembered = await a.send('/login/redis-reader?remember=1', { method: 'POST' });
    const secrets = [
      token,
      rotated,
      remembered.token as string,
      remembered.rememberToken as string,
    ];
    const admin = clients[0] as Redis;
    const dump: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      for (const key of keys) {
        dump.push(key);
        const type = await admin.type(key);
        if (type === 'hash') dump.push(JSON.stringify(await admin.hgetall(key)));
        else if (type === 'string') dump.push(String(await admin.get(key)));
        else if (type === 'set') dump.push(JSON.stringify(await admin.smembers(key)));
        else if (type === 'zset') dump.push(JSON.stringify(await admin.zrange(key, 0, -1)));
      }
      cursor = next;
    } while (cursor !== '0');
    expect(dump.length).toBeGreaterThan(4);
    const all = dump.join('\n');
    for (const s of secrets) {
      expect(s).toMatch(/^[\w-]{43}$/);
      expect(all).not.toContain(s);
      expect(all).not.toContain(Buffer.from(s, 'base64url').toString('hex'));
    }
  });
});
