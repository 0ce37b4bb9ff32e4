import { Hono } from 'hono';
import { afterAll, expect, it } from 'vitest';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { manualClock } from '../testing/clock.js';
import { connectRedis, deleteKeys, uniquePrefix } from './redis.fixture.js';
import { redisStore } from './redis-store.js';

const MIN = 60_000;
const prefix = uniquePrefix('sealed-slow');
const client = await connectRedis();
afterAll(async () => {
  await deleteKeys(client, prefix);
  client.disconnect();
});

// docs/redis.md, TTLs: "Redis holds the successor sealed for the predecessor for
// `rotationGrace` (10 s) after the successor reached the browser".
it('keeps the sealed successor no longer than rotationGrace after a slow request rotated', async () => {
  const clock = manualClock(Date.now());
  const app = new Hono<SessionEnv>();
  app.use(session({ store: redisStore({ client, prefix, now: clock.now }), now: clock.now }));
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u1' });
    return c.text(c.var.session.id!);
  });
  // A slow request (a 40 s upload): the rotation happens at its commit.
  app.post('/upload', (c) => {
    clock.advance(40_000);
    return c.text('ok');
  });
  const login = await app.request('/login', {
    method: 'POST',
    headers: { 'Session-Request': '1' },
  });
  const sid = await login.text();
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  clock.advance(15 * MIN + 1);
  const res = await app.request('/upload', {
    method: 'POST',
    headers: { Cookie: cookie, 'Session-Request': '1' },
  });
  expect(res.headers.getSetCookie().some((l) => l.startsWith('lifeline='))).toBe(true);
  const ttl = await client.pttl(`${prefix}s:{${sid}}:sealed`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(10_000);
});
