import { Hono } from 'hono';
import type { SessionOptions } from '../config/options.js';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import type { RememberMe } from './remember.js';

/**
 * Signs in with a remember-me credential issued by `remember`, drops the session cookie
 * (a browser restart), then asks `POST /session/reauth`: its answer, for tests of whether
 * silent re-authentication works with the session options given.
 */
export async function reauthAfterRestart(
  remember: RememberMe,
  options: SessionOptions,
): Promise<Response> {
  const app = new Hono<SessionEnv>();
  app.use(session(options));
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'u1' });
    await remember.issue(c, 'u1');
    return c.json({ ok: true });
  });
  app.route('/session', sessionRoutes());
  const device = new Browser(app);
  await device.post('/login');
  device.cookies.delete('lifeline');
  return device.post('/session/reauth');
}
