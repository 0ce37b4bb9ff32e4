import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
import { sessionCookie, withCookie } from './app.fixture.js';
import { session } from './middleware.js';
import type { SessionEnv } from './types.js';

const MIN = 60_000;
const IDLE = 30 * MIN;
const ABSOLUTE = 8 * 60 * MIN;

// docs/design-decisions.md: tombstones stay "until one idle period after their absolute
// deadline". An ending found after that deadline (a laptop waking with its cookie still
// alive) wrote one kept an idle period from then instead: up to 30 min longer.
it('keeps a tombstone written after the absolute deadline no longer than one idle period past it', async () => {
  const clock = manualClock(Date.now());
  const inner = memoryStore({ now: clock.now });
  const kept: number[] = [];
  const store: SessionStore = {
    ...inner,
    end: (sid, ended, expiresAt) => {
      kept.push(expiresAt);
      return inner.end(sid, ended, expiresAt);
    },
    // A request that finds its session past a deadline ends it through this one.
    endIfExpired: (sid, ended, expiresAt, now) => {
      kept.push(expiresAt);
      return inner.endIfExpired!(sid, ended, expiresAt, now);
    },
  };
  const app = new Hono<SessionEnv>();
  app.use(session({ store, now: clock.now, idleTimeout: IDLE, absoluteTimeout: ABSOLUTE }));
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u' });
    return c.json({});
  });
  app.get('/me', (c) => c.json({ state: c.var.session.state, reason: c.var.session.reason }));

  const signedInAt = clock.now();
  let token = sessionCookie(await app.request('/login', { method: 'POST' }))!;
  // Kept alive by a request every 20 min (following rotations) up to the absolute deadline…
  while (clock.now() + 20 * MIN < signedInAt + ABSOLUTE) {
    clock.advance(20 * MIN);
    const res = await app.request('/me', withCookie(token));
    expect((await res.json()).state).toBe('active');
    token = sessionCookie(res) ?? token;
  }
  // …then asleep until 29 min past it: the cookie's Max-Age (absolute + idle) still holds.
  clock.advance(signedInAt + ABSOLUTE + 29 * MIN - clock.now());
  const late = await app.request('/me', withCookie(token));
  expect((await late.json()).state).toBe('none');
  expect(kept).toEqual([signedInAt + ABSOLUTE + IDLE]);
});
