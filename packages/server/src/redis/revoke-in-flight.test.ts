import { Hono } from 'hono';
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { manualClock } from '../testing/clock.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

const MIN = 60_000;
let client: Redis;
const prefix = uniquePrefix('revoke-in-flight');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

describe('redisStore: revoke-all and a request in flight', () => {
  // The memory store's version of this race is in session/races.test.ts. Here the slow
  // request outlasts the idle deadline by more than a minute, so the user listing takes
  // the session for dead, leaves it out and prunes it from the index; the request then
  // commits its touch and the session lives on, unrevoked and unlisted.
  it('revoke-all also ends a session past its idle deadline that a request in flight could revive', async () => {
    const clock = manualClock(Date.now());
    const store = redisStore({ client, prefix, now: clock.now });
    const sessions = session({ store, now: clock.now });
    const app = new Hono<SessionEnv>();
    app.use(sessions);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'u1' });
      return c.text('ok');
    });
    app.post('/slow', async (c) => {
      await gate; // an upload, a slow report: the request resolved its session before waiting
      c.var.session.set('k', 'v');
      return c.text('ok');
    });
    app.get('/read', (c) => c.text(c.var.session.state));
    const browser = new Browser(app);
    await browser.post('/login');
    clock.advance(30 * MIN - 1_000); // 1 s before the idle deadline
    const slow = browser.post('/slow');
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(2 * MIN); // the request is still running
    const revoked = await sessions.manager.revokeUser('u1'); // account disabled
    release();
    await slow;
    expect({ revoked, after: await (await browser.get('/read')).text() }).toEqual({
      revoked: 1,
      after: 'none',
    });
  });
});
