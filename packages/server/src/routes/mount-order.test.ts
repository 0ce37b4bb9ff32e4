import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/memory-store.js';
import { sessionRoutes } from './routes.js';

// docs/server.md: "Order matters: session() before everything that reads c.var.session".
// Mounted the other way round, or without it, the routes said nothing useful.
describe('sessionRoutes() without session() before them', () => {
  it.each([
    ['GET', '/session/status'],
    ['POST', '/session/logout'],
    ['POST', '/session/reauth'],
    ['POST', '/session/extend'],
    ['GET', '/session/sessions'],
    ['POST', '/session/sessions/revoke'],
  ] as const)('%s %s names the missing session()', async (method, path) => {
    const sessions = session({ store: memoryStore() });
    const app = new Hono<SessionEnv>();
    app.route('/session', sessionRoutes({ manager: sessions.manager })); // before app.use
    app.use(sessions);
    const errors: string[] = [];
    app.onError((error, c) => {
      errors.push(error.message);
      return c.text('error', 500);
    });
    await app.request(`http://localhost${path}`, {
      method,
      headers: { Origin: 'http://localhost', 'Session-Request': '1' },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe('lifeline sessionRoutes(): mount session() before them');
  });
});
