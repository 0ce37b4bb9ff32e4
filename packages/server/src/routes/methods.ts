import type { Context } from 'hono';
import { problemResponse } from '../problem/problem.js';
import { markPassiveRoute } from '../session/passive.js';
import type { SessionEnv } from '../session/types.js';

/**
 * The catch-all for a route's other methods: 405 `invalid_request` with `Allow`. It never
 * touches the session, so a `GET /logout` (a link, a prefetch, an `<img>`) does nothing.
 *
 * @example
 * app.post('/logout', logout).all('/logout', methodNotAllowed(['POST']));
 */
export function methodNotAllowed(allowed: readonly string[]) {
  const allow = allowed.includes('GET') ? [...allowed, 'HEAD'] : [...allowed];
  // A refused request must not count as activity: marked, so the read does not touch.
  return markPassiveRoute(function methodNotAllowedHandler(c: Context<SessionEnv>): Response {
    c.var.session?.markPassive();
    return problemResponse('invalid_request', {
      status: 405,
      detail: `${c.req.method.slice(0, 16)} is not allowed here; use ${allowed.join(' or ')}`,
      headers: { Allow: allow.join(', ') },
    });
  });
}

/**
 * A route left off by configuration (`/sessions` without a `manager`): 404
 * `invalid_request`, like an unconfigured `client.js`, and passive like a refused method.
 *
 * @example
 * app.all('/sessions', routeNotEnabled('no session manager is configured'));
 */
export function routeNotEnabled(detail: string) {
  return markPassiveRoute(function routeNotEnabledHandler(c: Context<SessionEnv>): Response {
    c.var.session?.markPassive();
    return problemResponse('invalid_request', { status: 404, detail });
  });
}
