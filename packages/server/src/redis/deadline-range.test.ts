import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { sessionCookie, testApp, withCookie } from '../session/app.fixture.js';
import { type RedisCorruption, redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('deadline-range');
const reports: RedisCorruption[] = [];
/** A safe integer; it plus the idle timeout is not. */
const HUGE = String(Number.MAX_SAFE_INTEGER - 1000);

useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

function app() {
  const store = redisStore({ client, prefix, onCorrupt: (e) => void reports.push(e) });
  return testApp({ store, now: Date.now });
}

async function keyOf(userId: string, t: ReturnType<typeof app>) {
  const [listed] = await t.manager.listForUser(userId);
  return `${prefix}s:{${listed!.id}}`;
}

describe('a stored deadline later than any Date can hold', () => {
  it('answers a write and a sign-out with no session, not 503, and reports the record', async () => {
    const t = app();
    const token = sessionCookie(await t.app.request('/login/huge1', { method: 'POST' }))!;
    await client.hset(await keyOf('huge1', t), 'm:absoluteExpiresAt', HUGE);
    expect((await t.app.request('/read', withCookie(token))).status).toBe(200);
    const write = await t.app.request('/write/cart/y', withCookie(token, { method: 'POST' }));
    const logout = await t.app.request('/logout', withCookie(token, { method: 'POST' }));
    // Read back, it would be written back plus the idle timeout, which is past 2^53: every
    // write would fail (503) for as long as the key lives. It is store content gone wrong.
    expect([write.status, logout.status]).not.toContain(503);
    expect(reports).not.toEqual([]);
  });

  it("lets revokeUser end the user's other sessions", async () => {
    const t = app();
    await t.app.request('/login/huge2', { method: 'POST' });
    await client.hset(await keyOf('huge2', t), 'm:absoluteExpiresAt', HUGE);
    const second = sessionCookie(await t.app.request('/login/huge2', { method: 'POST' }))!;
    // One such record must not stop a revoke-all halfway (the rest would stay signed in).
    await expect(t.manager.revokeUser('huge2')).resolves.toBeGreaterThanOrEqual(1);
    const read = await t.app.request('/read', withCookie(second));
    expect(await read.json()).toMatchObject({ state: 'none' });
  });
});
