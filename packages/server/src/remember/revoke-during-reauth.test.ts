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

/** A step a request can be held at: `hold()` arms it, and resolves once a request waits there. */
function gate() {
  let gate: Promise<void> | null = null;
  let entered = () => {};
  let release = () => {};
  return {
    async pass() {
      if (!gate) return;
      entered();
      await gate;
    },
    hold(): Promise<void> {
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
      return new Promise<void>((resolve) => {
        entered = resolve;
      });
    },
    release: () => release(),
  };
}

/**
 * An app where the test can hold a re-auth at `findUser` (before the credential rotates)
 * or at the store's `create` (after it rotated, before the new session exists), so a
 * revocation lands right there.
 */
function appWithHeldLookup() {
  const clock = manualClock();
  const inner = memoryStore({ now: clock.now });
  const held = gate();
  const creating = gate();
  const store: typeof inner = {
    ...inner,
    create: async (...args) => {
      await creating.pass();
      return inner.create(...args);
    },
  };
  const remember = rememberMe({
    store,
    now: clock.now,
    findUser: async () => {
      await held.pass();
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
  return { app, clock, held, creating, manager: sessions.manager };
}

describe("revoking all of a user's sessions while a re-auth is under way", () => {
  /** Signs a device in with remember-me, lets it go idle, and gives `other` its cookie. */
  async function idleDevice(t: ReturnType<typeof appWithHeldLookup>) {
    const device = new Browser(t.app);
    await device.post('/login');
    t.clock.advance(31 * MIN);
    const other = new Browser(t.app);
    other.cookies.set(REMEMBER, device.cookies.get(REMEMBER)!);
    return { device, other };
  }

  /** Runs `reauth` held at `at`, revokes all of u1's sessions there, then lets it go on. */
  async function revokeWhileHeld(
    t: ReturnType<typeof appWithHeldLookup>,
    at: ReturnType<typeof gate>,
    reauth: () => Promise<Response>,
  ) {
    const entered = at.hold();
    const pending = reauth();
    await entered;
    await t.manager.revokeUser('u1');
    at.release();
    return pending;
  }

  it('leaves no session for a re-auth that presents the current cookie', async () => {
    const t = appWithHeldLookup();
    const { other } = await idleDevice(t);
    await revokeWhileHeld(t, t.held, () => other.post('/session/reauth'));
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    expect((await (await other.get('/session/status')).json()).state).toBe('none');
  });

  it('leaves no session for a re-auth that rotated the credential before the revocation', async () => {
    const t = appWithHeldLookup();
    const { other } = await idleDevice(t);
    const res = await revokeWhileHeld(t, t.creating, () => other.post('/session/reauth'));
    expect(res.status).toBe(401);
    // The remember cookie it had set for the credential now gone is taken back.
    const line = res.headers.getSetCookie().find((l) => l.startsWith(`${REMEMBER}=`));
    expect(line).toMatch(/Max-Age=0/);
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    expect((await (await other.get('/session/status')).json()).state).toBe('none');
  });

  it('leaves no session for a parallel use of the replaced cookie inside its grace window', async () => {
    const t = appWithHeldLookup();
    const { device, other } = await idleDevice(t);
    expect((await device.post('/session/reauth')).status).toBe(200); // replaces other's cookie
    const res = await revokeWhileHeld(t, t.held, () => other.post('/session/reauth'));
    expect(res.status).toBe(401);
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    expect((await (await other.get('/session/status')).json()).state).toBe('none');
  });
});
