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
