import { Hono } from 'hono';
import type { SessionOptions } from '../config/options.js';
import { rememberMe } from '../remember/remember.js';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import type { EndedMarker, SessionStore } from '../store/types.js';
import { type ManualClock, manualClock } from '../testing/clock.js';
import { session } from './middleware.js';
import { SessionEndedError } from './regenerate.js';
import type { SessionEnv } from './types.js';

const MIN = 60_000;

/** One waiting point: `pass()` waits there once armed with `hold()`, for one caller. */
export function gate() {
  let held: Promise<void> | null = null;
  let entered = () => {};
  let release = () => {};
  return {
    async pass() {
      const wait = held;
      held = null;
      if (!wait) return;
      entered();
      await wait;
    },
    /** Arms the gate; resolves once a caller waits at it. */
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

/**
 * An app for races around a session's ending: remember-me on a memory store whose
 * `listByUser` and `end` (an admin's revocation, or one for a changed User-Agent) can be
 * held (`listed`, `ending`), and handlers held after their
 * session was resolved (`handler`): a sign-in, a privilege change, one that issues a credential
 * first, a "remember this device" toggle, and one that catches `SessionEndedError`.
 */
export function raceApp(options: SessionOptions = {}) {
  const clock = manualClock();
  const inner = memoryStore({ now: clock.now });
  const listed = gate();
  const ending = gate();
  const store: SessionStore = {
    ...inner,
    listByUser: async (userId: string) => {
      const found = await inner.listByUser(userId);
      await listed.pass();
      return found;
    },
    end: async (sid: string, ended: EndedMarker, expiresAt: number) => {
      if (ended.detail === 'admin' || ended.detail === 'user-agent-changed') await ending.pass();
      return inner.end(sid, ended, expiresAt);
    },
  };
  const remember = rememberMe({ store, now: clock.now, findUser: (id) => ({ name: id }) });
  const sessions = session({ store, now: clock.now, reauth: remember, ...options });
  const handler = gate();
  const app = new Hono<SessionEnv>();
  app.use(sessions);
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u1' });
    if (c.req.query('remember') === '1') await remember.issue(c, 'u1');
    return c.text('signed in');
  });
  // A sign-in whose password check is done, about to regenerate.
  app.post('/login-held', async (c) => {
    await handler.pass();
    await c.var.session.regenerate({ userId: 'u1' });
    return c.text('signed in');
  });
  // A privilege change (sudo, role switch): a new token for the same user, no sign-in.
  app.post('/elevate', async (c) => {
    await handler.pass();
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  app.post('/elevate-remember', async (c) => {
    await handler.pass();
    await remember.issue(c, c.var.session.userId!);
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  app.post('/write', async (c) => {
    await handler.pass();
    c.var.session.set('note', 'kept');
    return c.text('written');
  });
  app.get('/read-held', async (c) => {
    await handler.pass();
    return c.text(c.var.session.state);
  });
  // The person chose to stay (the SDK's "Stay signed in"), in an app route of its own.
  app.post('/stay', async (c) => {
    await handler.pass();
    c.var.session.extend();
    return c.text('extended');
  });
  app.post('/remember-device', async (c) => {
    await handler.pass();
    await remember.issue(c, c.var.session.userId!);
    return c.text('remembered');
  });
  app.post('/elevate-or-carry-on', async (c) => {
    await handler.pass();
    try {
      await c.var.session.regenerate({ cause: 'privilege-change' });
    } catch (error) {
      if (!(error instanceof SessionEndedError)) throw error;
      c.var.session.set('role', 'admin');
      if (c.req.query('remember') === '1') await remember.issue(c, 'u1');
      return c.text('carried on');
    }
    return c.text('elevated');
  });
  app.route('/session', sessionRoutes({ manager: sessions.manager }));
  const browser = new Browser(app);
  const live = () => sessions.manager.listForUser('u1');
  const state = async (b = browser) => (await (await b.get('/session/status')).json()).state;
  return {
    app,
    browser,
    clock,
    store: inner,
    manager: sessions.manager,
    handler,
    listed,
    ending,
    live,
    state,
  };
}

/**
 * A slow request (an upload, a long report) that resolved its session 1 s before the idle
 * deadline is still running 2 minutes later, when the user's sessions are revoked (an
 * account disabled). Returns what `revokeUser` counted and what the next request sees:
 * `{ revoked: 1, after: 'none' }` when the store lists a session a request in flight could
 * revive, however far past its idle deadline.
 */
export async function revokeDuringSlowRequest(store: SessionStore, clock: ManualClock) {
  const sessions = session({ store, now: clock.now });
  const app = new Hono<SessionEnv>();
  app.use(sessions);
  const slowGate = gate();
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u1' });
    return c.text('ok');
  });
  app.post('/slow', async (c) => {
    await slowGate.pass(); // the request resolved its session before waiting here
    c.var.session.set('k', 'v');
    return c.text('ok');
  });
  app.get('/read', (c) => c.text(c.var.session.state));
  const browser = new Browser(app);
  await browser.post('/login');
  clock.advance(30 * MIN - 1_000);
  const waiting = slowGate.hold();
  const slow = browser.post('/slow');
  await waiting;
  clock.advance(2 * MIN); // past the idle deadline, and past any store's clock slack
  const revoked = await sessions.manager.revokeUser('u1');
  slowGate.release();
  await slow;
  return { revoked, after: await (await browser.get('/read')).text() };
}
