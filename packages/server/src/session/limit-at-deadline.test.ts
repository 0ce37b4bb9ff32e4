import { Hono } from 'hono';
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../events/types.js';
import { redisStore } from '../redis/index.js';
import { uniquePrefix, useRedis } from '../redis/redis.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
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

const stores: [string, (now: () => number) => SessionStore][] = [
  ['memory store', (now) => memoryStore({ now })],
  ['Redis store', (now) => redisStore({ client: redis, prefix, now })],
];

// A session past its idle deadline that no request has ended yet is not counted by a
// login, but a request its device sent just before the deadline may still write to it.
// The login ends it, so that write cannot bring it back over the limit.
describe.each(stores)(
  'maxSessionsPerUser: 1, a request in flight at the deadline (%s)',
  (_, make) => {
    for (const onSessionLimit of ['refuse', 'evict-oldest'] as const) {
      it(`${onSessionLimit}: the new sign-in stands alone and the late write is refused`, async () => {
        // Real epoch time, so that Redis TTLs are in the future.
        const clock = manualClock(Date.now());
        const userId = `u-${onSessionLimit}`; // the Redis prefix is the whole file's
        const events: SessionEvent[] = [];
        const mw = session({
          store: make(clock.now),
          now: clock.now,
          idleTimeout: IDLE,
          maxSessionsPerUser: 1,
          onSessionLimit,
          onEvent: (e) => void events.push(e),
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
        const stateOf = async (token: string) =>
          ((await (await app.request('/read', withCookie(token))).json()) as { state: string })
            .state;

        const first = sessionCookie(await app.request('/login', { method: 'POST' }))!;
        clock.advance(IDLE - 1);
        // The first device's upload is read 1 ms before its idle deadline ...
        const upload = app.request('/upload', withCookie(first, { method: 'POST' }));
        await inHandler;
        clock.advance(2);
        // ... and is still running when the person signs in on a second device.
        const login = await app.request('/login', { method: 'POST' });
        expect(login.status).toBe(200);
        const second = sessionCookie(login)!;
        release();
        const uploaded = await upload;
        // The upload's write found its session ended: it did not bring it back.
        expect(uploaded.status).toBe(401);
        expect(await stateOf(first)).toBe('none');
        expect(await stateOf(second)).toBe('active');
        expect(await mw.manager.listForUser(userId)).toHaveLength(1);
        // The first session's ending is on the audit log as the expiry it was.
        expect(events.filter((e) => e.type === 'expired')).toHaveLength(1);
        expect(
          events.filter((e) => e.type === 'revoked'),
          JSON.stringify(events),
        ).toEqual([]);
      });
    }
  },
);
