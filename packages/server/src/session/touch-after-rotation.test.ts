import { Hono } from 'hono';
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisStore } from '../redis/index.js';
import { uniquePrefix, useRedis } from '../redis/redis.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
import { sessionCookie, withCookie } from './app.fixture.js';
import { session } from './middleware.js';
import type { SessionEnv } from './types.js';

const MIN = 60_000;

let redis: Redis;
const prefix = uniquePrefix('touch-after-rotation');
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

/**
 * A sign-in route, and a Save route whose handler waits until `release()`: `inHandler`
 * settles once a Save is in its handler.
 */
function withSlowSave(app: Hono<SessionEnv>) {
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u', user: { name: 'u' } });
    return c.json({});
  });
  const gate = { release: () => {}, inHandler: Promise.resolve() };
  let entered!: () => void;
  gate.inHandler = new Promise<void>((r) => (entered = r));
  app.post('/save', async (c) => {
    entered();
    await new Promise<void>((r) => (gate.release = r));
    return c.json({ saved: true });
  });
  return gate;
}

// A POST touches after its handler (a CSRF refusal must not count as activity), through the
// store's conditional touch, which checks the token: a rotation meanwhile must not lose it.
// (Only a request of the page's own that is not passive rotates: this one touches too.)
describe.each(stores)(
  "a POST's due touch while another request of the page rotates the session (%s)",
  (_, make) => {
    it('still moves the idle deadline: the POST is the person working', async () => {
      // Real epoch time, so that Redis TTLs are in the future.
      const clock = manualClock(Date.now());
      const store = make(clock.now);
      const app = new Hono<SessionEnv>();
      app.use(session({ store, now: clock.now, idleTimeout: 30 * MIN, touchInterval: 3 * MIN }));
      const save = withSlowSave(app);
      app.get('/poll', (c) => c.json({ state: c.var.session.state }));
      const poll = (token: string) => app.request('/poll', withCookie(token));

      const token = sessionCookie(await app.request('/login', { method: 'POST' }))!;
      clock.advance(16 * MIN); // a touch (every 3 min) and a rotation (every 15 min) are due
      // The person clicks Save (a handler that takes a moment) ...
      const saving = app.request('/save', withCookie(token, { method: 'POST' }));
      await save.inHandler;
      // ... while another request of the page, a minute later, rotates.
      clock.advance(MIN);
      const rotated = sessionCookie(await poll(token));
      expect(rotated).toBeTruthy();
      save.release();
      const saved = await saving;
      expect(saved.status).toBe(200);
      const idle = `idle=${clock.now() + 30 * MIN}`;
      // The Save was activity: its answer and the store say the idle deadline moved.
      expect(saved.headers.get('Session-Deadline')).toContain(idle);
      expect((await poll(rotated!)).headers.get('Session-Deadline')).toContain(idle);
    });

    it('is made on the successor when another instance, its clock behind, rotated meanwhile', async () => {
      // Instance A's clock runs 4 min ahead of B's; both share the store. B's rotation
      // touches at its own time, so A's touch is still due on the successor.
      const clockA = manualClock(Date.now());
      const clockB = manualClock(clockA.now());
      const store = make(clockA.now);
      const options = { store, idleTimeout: 30 * MIN, touchInterval: 3 * MIN };
      const appA = new Hono<SessionEnv>();
      appA.use(session({ ...options, now: clockA.now }));
      const appB = new Hono<SessionEnv>();
      appB.use(session({ ...options, now: clockB.now }));
      const save = withSlowSave(appA);
      appB.get('/poll', (c) => c.json({ state: c.var.session.state }));

      const token = sessionCookie(await appA.request('/login', { method: 'POST' }))!;
      clockA.advance(20 * MIN);
      clockB.advance(16 * MIN); // B's rotation (every 15 min) is due by its clock too
      const saving = appA.request('/save', withCookie(token, { method: 'POST' }));
      await save.inHandler;
      const rotated = sessionCookie(await appB.request('/poll', withCookie(token)));
      expect(rotated).toBeTruthy();
      expect(rotated).not.toBe(token);
      save.release();
      const saved = await saving;
      expect(saved.status).toBe(200);
      const idle = `idle=${clockA.now() + 30 * MIN}`;
      expect(saved.headers.get('Session-Deadline')).toContain(idle);
      // The store agrees (read through B, whose clock makes no touch of its own).
      const after = await appB.request('/poll', withCookie(rotated!));
      expect(after.headers.get('Session-Deadline')).toContain(idle);
    });
  },
);
