import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { session } from './middleware.js';
import type { SessionEnv } from './types.js';

/** Holds the next `/elevate` after its session was resolved, before it regenerates. */
function gate() {
  let held: Promise<void> | null = null;
  let entered = () => {};
  let release = () => {};
  return {
    async pass() {
      const wait = held;
      held = null; // only the one request waits
      if (!wait) return;
      entered();
      await wait;
    },
    /** Resolves once the request waits at the gate. */
    hold(): Promise<void> {
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      return new Promise<void>((resolve) => {
        entered = resolve;
      });
    },
    release: () => release(),
  };
}

function app() {
  const clock = manualClock();
  const sessions = session({ store: memoryStore({ now: clock.now }), now: clock.now });
  const elevate = gate();
  const a = new Hono<SessionEnv>();
  a.use(sessions);
  a.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u1' });
    return c.text('ok');
  });
  // A privilege change (sudo, role switch): a new token for the same user, no sign-in.
  a.post('/elevate', async (c) => {
    await elevate.pass();
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  // A sign-in held the same way (the password checked, about to regenerate).
  a.post('/login-held', async (c) => {
    await elevate.pass();
    await c.var.session.regenerate({ userId: 'u1' });
    return c.text('signed in');
  });
  a.route('/session', sessionRoutes({ manager: sessions.manager }));
  return { app: a, manager: sessions.manager, elevate };
}

/** Signs in, then holds a privilege change after its read; `during` runs while it waits. */
async function elevateAcross(during: (t: ReturnType<typeof app>, b: Browser) => Promise<void>) {
  const t = app();
  const b = new Browser(t.app);
  await b.post('/login');
  const entered = t.elevate.hold();
  const pending = b.post('/elevate');
  await entered;
  await during(t, b);
  t.elevate.release();
  return { t, b, res: await pending };
}

const stateOf = async (b: Browser) => (await (await b.get('/session/status')).json()).state;

describe('regenerate() across an ending of the session it replaces', () => {
  it('answers 401 session_revoked and leaves no live session when revokeUser ran meanwhile', async () => {
    const { t, b, res } = await elevateAcross(async (t) => {
      expect(await t.manager.revokeUser('u1')).toBe(1);
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'session_revoked', reason: 'revoked' });
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    expect(await stateOf(b)).toBe('none');
  });

  it('leaves no live session when that one session was revoked meanwhile', async () => {
    const { t, b, res } = await elevateAcross(async (t) => {
      const [listed] = await t.manager.listForUser('u1');
      await t.manager.revoke(listed!.id);
    });
    expect(res.status).toBe(401);
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    expect(await stateOf(b)).toBe('none');
  });

  it('leaves no live session when another tab signed out meanwhile', async () => {
    const { t, b, res } = await elevateAcross(async (_, b) => {
      expect((await b.post('/session/logout')).status).toBe(200);
    });
    expect(await res.json()).toMatchObject({ code: 'session_revoked', reason: 'logged-out' });
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    expect(await stateOf(b)).toBe('none');
  });

  it('answers 409 and keeps the session that a parallel regenerate made', async () => {
    const { t, b, res } = await elevateAcross(async (_, b) => {
      expect((await b.post('/elevate')).status).toBe(200); // a double submit that wins
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'invalid_request' });
    // The loser sent no cookie, so the browser keeps the winner's session.
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await t.manager.listForUser('u1')).toHaveLength(1);
    expect(await stateOf(b)).toBe('active');
  });

  it('still signs in when the session a login replaces was revoked meanwhile', async () => {
    const t = app();
    const b = new Browser(t.app);
    await b.post('/login');
    const entered = t.elevate.hold();
    const pending = b.post('/login-held');
    await entered;
    await t.manager.revokeUser('u1'); // e.g. "sign out everywhere" from another device
    t.elevate.release();
    // The login proved itself (a password): it does not stand on the session it replaces.
    expect((await pending).status).toBe(200);
    expect(await stateOf(b)).toBe('active');
  });
});
