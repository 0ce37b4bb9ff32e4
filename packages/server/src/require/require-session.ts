import type { MiddlewareHandler } from 'hono';
import { type KnownOptions, refuseUnknownOptions } from '../config/known-options.js';
import {
  noSessionResponse,
  problemResponse,
  renewedResponse,
  switchedResponse,
} from '../problem/problem.js';
import type { SessionEnv } from '../session/types.js';

/** Options of {@link requireSession}. */
export interface RequireSessionOptions {
  /**
   * The route needs a recent sign-in: reject sessions whose last authentication
   * (`authenticatedAt`) is older than this many ms with 401 `reauth_required`.
   * Default: none (any live session passes).
   */
  fresh?: number;
}

const REQUIRE_SESSION_OPTIONS: KnownOptions<RequireSessionOptions> = { fresh: true };

/**
 * Guards a route: without a live session it answers 401 with the problem code the SDK
 * acts on (`session_required`, `session_expired` with `idle-timeout`/`absolute-timeout`,
 * `session_revoked`; 409 `session_renewed` or `session_switched` for a cookie another request
 * of this browser just replaced), and with `fresh` it also demands a recent authentication
 * (`reauth_required`). Mount after `session()`.
 *
 * @example
 * app.get('/api/me', requireSession(), (c) => c.json(c.var.session.user));
 * app.post('/api/password', requireSession({ fresh: 5 * 60_000 }), changePassword);
 */
export function requireSession(options: RequireSessionOptions = {}): MiddlewareHandler<SessionEnv> {
  // Ignored, a misspelt `fresh` (`freshFor`, as sessionRoutes calls it) would drop the check.
  refuseUnknownOptions('lifeline requireSession()', options, REQUIRE_SESSION_OPTIONS);
  return guardSession(options, true);
}

/**
 * `requireSession()`, and for the SDK's own `POST /extend` with `appRoute` false: a cookie
 * that a sign-in as another user replaced is then plainly ended (401). The SDK neither
 * re-authenticates nor repeats an extension refused so; a 409 would be retried, with the
 * new user's cookie.
 */
export function guardSession(
  options: RequireSessionOptions,
  appRoute: boolean,
): MiddlewareHandler<SessionEnv> {
  const { fresh } = options;
  // Whole ms, as sessionRoutes' `freshFor` is: both name the same setting.
  if (fresh !== undefined && !(Number.isSafeInteger(fresh) && fresh > 0)) {
    throw new TypeError(
      `lifeline requireSession(): option "fresh" must be a positive whole number of ms`,
    );
  }
  return async function requireLiveSession(c, next) {
    const session = c.var.session;
    if (!session) throw new Error('lifeline requireSession(): mount session() before it');
    if (session.renewed) return renewedResponse();
    if (session.switched && appRoute) return switchedResponse();
    if (session.state !== 'active') return noSessionResponse(session.reason);
    if (fresh !== undefined) {
      const at = session.authenticatedAt;
      if (at === null || session.now - at > fresh) {
        return problemResponse('reauth_required', {
          detail: 'This action needs a recent sign-in.',
        });
      }
    }
    await next();
  };
}
