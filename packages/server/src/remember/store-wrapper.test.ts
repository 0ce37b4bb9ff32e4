// docs/stores.md: "A wrapper around a store (metrics, tracing) must therefore pass on every
// method". session({ store: traced(store), reauth: rememberMe({ store }) }) reaches the same
// records through another object, so session() must not refuse it for being another store;
// nor an app's own ReauthStrategy that keeps something of its own in a property `store`.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { ReauthStrategy, SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { rememberMe } from './remember.js';

/** A tracing wrapper, forwarding every method as docs/stores.md asks. */
const traced = (inner: SessionStore): SessionStore =>
  new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

describe('a re-auth strategy on the same records through a wrapper', () => {
  it('starts and re-authenticates', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser: (id) => ({ name: id }) });
    const app = new Hono<SessionEnv>();
    app.use(session({ store: traced(store), reauth: remember }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'u1' });
      await remember.issue(c, 'u1');
      return c.json({ ok: true });
    });
    app.route('/session', sessionRoutes());
    const device = new Browser(app);
    await device.post('/login');
    device.cookies.delete('lifeline');
    expect((await device.post('/session/reauth')).status).toBe(200);
  });

  it("an app's own strategy with a `store` property of its own starts", () => {
    class PasskeyReauth implements ReauthStrategy {
      // The app's own credential table, not a SessionStore.
      readonly store = new Map<string, string>() as unknown as SessionStore;
      canReauth = () => false;
      reauthenticate = async () => null;
    }
    expect(() => session({ store: memoryStore(), reauth: new PasskeyReauth() })).not.toThrow();
  });
});
