import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { Browser } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
import { session } from './middleware.js';
import type { SessionEnv } from './types.js';

/** An app signing in `u1` under `maxSessionsPerUser: limit`, on `store`. */
function app(store: SessionStore, now: () => number, limit: number) {
  const a = new Hono<SessionEnv>();
  a.use(session({ store, now, maxSessionsPerUser: limit, onSessionLimit: 'evict-oldest' }));
  a.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u1' });
    return c.text('signed in');
  });
  return a;
}

it('ends the sessions a sign-in evicts at once, not one store round trip after another', async () => {
  const clock = manualClock();
  const inner = memoryStore({ now: clock.now });
  let inFlight = 0;
  let most = 0;
  // Every ending takes a moment, as a store across the network does.
  const store: SessionStore = {
    ...inner,
    end: async (...args) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return inner.end(...args);
    },
  };
  const roomy = app(store, clock.now, 10);
  for (let i = 0; i < 6; i++) {
    expect((await new Browser(roomy).post('/login')).status).toBe(200);
    clock.advance(1_000);
  }
  // The limit lowered to 2 (a new deployment): the next sign-in evicts five of the six.
  const strict = app(store, clock.now, 2);
  const browser = new Browser(strict);
  expect((await browser.post('/login')).status).toBe(200);
  expect(most).toBe(5);
  // And the limit holds: the newest earlier session and the new one.
  const live = (await inner.listByUser('u1')).filter(({ record }) => record.ended === null);
  expect(live).toHaveLength(2);
});
