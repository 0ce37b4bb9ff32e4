import { Hono } from 'hono';
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('user-id');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

// A user id read from a database is often a number. The Redis key encoding threw on it
// inside the store, and the guard reported that as an outage: a sign-in answered 503
// `store_unavailable`, and "sign out everywhere" failed as if Redis were down.
describe('redisStore behind session(): a userId that is not a string', () => {
  it('refuses the sign-in with a TypeError naming userId, not a 503 store outage', async () => {
    const sessions = session({ store: redisStore({ client, prefix }) });
    const app = new Hono<SessionEnv>();
    app.use(sessions);
    // The app's own error page, as for any programming error (Hono's default logs it).
    app.onError((_, c) => c.text('internal error', 500));
    const refusals: unknown[] = [];
    app.post('/login', async (c) => {
      try {
        await c.var.session.regenerate({ userId: 42 as unknown as string });
      } catch (error) {
        refusals.push(error);
        throw error;
      }
      return c.json({ ok: true });
    });
    const res = await app.request('/login', { method: 'POST' });
    expect(res.status).toBe(500);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeInstanceOf(TypeError);
    expect((refusals[0] as Error).message).toMatch(/`userId`/);
  });

  it('refuses revokeUser and listForUser with a TypeError, not a store error', async () => {
    const { manager } = session({ store: redisStore({ client, prefix }) });
    const asNumber = 42 as unknown as string;
    for (const call of [() => manager.revokeUser(asNumber), () => manager.listForUser(asNumber)]) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).name).not.toBe('StoreUnavailableError');
      expect((error as Error).message).toMatch(/`userId`/);
    }
  });
});
