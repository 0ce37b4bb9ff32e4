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
