import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { rememberMe } from './remember.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

/** An app whose `findUser` the test can hold, so a revocation lands while a re-auth waits on it. */
function appWithHeldLookup() {
  const clock = manualClock();
  const store = memoryStore({ now: clock.now });
  const held: { gate: Promise<void> | null; entered: () => void } = {
    gate: null,
    entered: () => {},
  };
  const remember = rememberMe({
    store,
    now: clock.now,
    findUser: async () => {
      if (held.gate) {
        held.entered();
        await held.gate;
      }
      return { name: 'User u1' };
    },
  });
  const sessions = session({ store, now: clock.now, reauth: remember });
  const app = new Hono<SessionEnv>();
  app.use(sessions);
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u1' });
    await remember.issue(c, 'u1');
    return c.json({ ok: true });
  });
  app.route('/session', sessionRoutes({ manager: sessions.manager }));
  return { app, clock, held, manager: sessions.manager };
}

describe("revoking all of a user's sessions while a re-auth is under way", () => {
  // (A replaced cookie is refused as reuse before any lookup: there is no grace window.)
  it('leaves no session for a re-auth that presents the current cookie', async () => {
    const t = appWithHeldLookup();
    const device = new Browser(t.app);
    await device.post('/login');
    const copied = device.cookies.get(REMEMBER)!;
    t.clock.advance(31 * MIN);
    const other = new Browser(t.app);
    other.cookies.set(REMEMBER, copied);

    let release!: () => void;
    t.held.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const entered = new Promise<void>((resolve) => {
      t.held.entered = resolve;
    });
    const pending = other.post('/session/reauth');
    await entered;
    await t.manager.revokeUser('u1');
    release();
    await pending;

    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    expect((await (await other.get('/session/status')).json()).state).toBe('none');
  });
});
