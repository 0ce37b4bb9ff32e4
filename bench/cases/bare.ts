import { Hono } from 'hono';
import type { BenchCase } from './types.js';

/** The body every read case returns, so only the session work differs. */
export const BODY = { ok: true, value: 'lifeline' } as const;

/** Bare Hono on the same route with the same small JSON: the yardstick for every ratio. */
export const bareCase: BenchCase = {
  id: 'bare',
  title: 'bare Hono, same route and JSON',
  async prepare() {
    const app = new Hono();
    app.get('/read', (c) => c.json(BODY));
    return { fetch: app.fetch, request: { method: 'GET', path: '/read' } };
  },
};

/**
 * Bare Hono plus one response header shaped like `Session-Deadline`: not a target, a
 * reference. On `@hono/node-server` any response header moves a response off its
 * plain-object fast path, so this row shows what the contract's per-response deadline
 * header costs before any session work.
 */
export const bareHeaderCase: BenchCase = {
  id: 'bare-header',
  title: 'reference: bare Hono + one deadline-shaped header',
  async prepare() {
    const app = new Hono();
    app.get('/read', (c) => {
      const now = Date.now();
      c.header(
        'Session-Deadline',
        `idle=${now + 1_800_000}, absolute=${now + 28_800_000}, now=${now}`,
      );
      return c.json(BODY);
    });
    return { fetch: app.fetch, request: { method: 'GET', path: '/read' } };
  },
};

/**
 * Bare Hono behind the least an async session middleware does: read the `Cookie`
 * header, wait for one (already settled) store answer, set the deadline header. Not a
 * target, a reference: on `@hono/node-server` a handler chain that returns a promise
 * leaves the synchronous fast path, and the request's headers are materialised for the
 * cookie, whatever the middleware then does. Lifeline's distance from this row is its
 * own work.
 */
export const bareAsyncCase: BenchCase = {
  id: 'bare-async',
  title: 'reference: bare Hono + async middleware (cookie read, one await, header)',
  async prepare() {
    const app = new Hono();
    const answer = Promise.resolve('stored');
    app.use(async (c, next) => {
      const cookie = c.req.header('Cookie');
      if ((await answer) !== 'stored' || cookie === undefined) throw new Error('no cookie');
      const now = Date.now();
      c.header(
        'Session-Deadline',
        `idle=${now + 1_800_000}, absolute=${now + 28_800_000}, now=${now}`,
      );
      await next();
    });
    app.get('/read', (c) => c.json(BODY));
    // A cookie of a session cookie's size, so the header read costs what it does there.
    const cookie = `lifeline=${'x'.repeat(43)}`;
    return {
      fetch: app.fetch,
      request: { method: 'GET', path: '/read', headers: { Cookie: cookie } },
    };
  },
};
