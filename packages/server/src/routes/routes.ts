import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { type KnownOptions, refuseUnknownOptions } from '../config/known-options.js';
import { type CsrfGuardOptions, csrfGuard } from '../csrf/csrf.js';
import { guardSession, requireSession } from '../require/require-session.js';
import type { SessionEnv, SessionManager } from '../session/types.js';
import { type ClientScriptSource, clientScript } from './client-script.js';
import { listSessions, revokeSessions } from './devices.js';
import { getStatus, postExtend, postLogout, postReauth } from './lifecycle.js';
import { methodNotAllowed, routeNotEnabled } from './methods.js';

/** Options of {@link sessionRoutes}. */
export interface SessionRoutesOptions {
  /** The SDK bundle served at `GET /client.js`. Default: none (404 `invalid_request` problem). */
  clientScript?: ClientScriptSource;
  /** Enables `GET /sessions` and `POST /sessions/revoke`: pass `session(...).manager`. Default: none (404 `invalid_request` problem). */
  manager?: SessionManager;
  /** How recent the last sign-in must be to revoke sessions, in ms. Default 10 min. */
  freshFor?: number;
  /** Options of the CSRF guard on every POST (e.g. extra `origins`). Default: same origin only. */
  csrf?: Omit<CsrfGuardOptions, 'allowForms'>;
}

const SESSION_ROUTES_OPTIONS: KnownOptions<SessionRoutesOptions> = {
  clientScript: true,
  manager: true,
  freshFor: true,
  csrf: true,
};

/** The options beyond `freshFor` (checked by the schema), once, at start-up. */
function checkOptions(options: SessionRoutesOptions): void {
  refuseUnknownOptions('sessionRoutes', options, SESSION_ROUTES_OPTIONS);
  const { clientScript, manager, csrf } = options;
  const emptyText = typeof clientScript === 'string' && clientScript.trim() === '';
  if (
    emptyText ||
    (clientScript !== undefined && !['string', 'function'].includes(typeof clientScript))
  ) {
    throw new TypeError(
      "sessionRoutes: `clientScript` must be the bundle's text (not empty) or a function",
    );
  }
  const methods = manager as Partial<Record<keyof SessionManager, unknown>> | undefined;
  const used = ['listForUser', 'revoke', 'revokeUser'] as const;
  if (methods !== undefined && !used.every((m) => typeof methods?.[m] === 'function')) {
    throw new TypeError('sessionRoutes: `manager` must be `session(...).manager`');
  }
  if (csrf !== undefined && (typeof csrf !== 'object' || csrf === null || Array.isArray(csrf))) {
    throw new TypeError('sessionRoutes: `csrf` must be an object of csrfGuard options');
  }
  // The session routes never take form posts: they would be open to cross-site forms.
  if (csrf !== undefined && 'allowForms' in csrf) {
    throw new TypeError('sessionRoutes: `csrf.allowForms` is not an option');
  }
}

/**
 * Says what is wrong when the routes run without `session()` before them (mounted first,
 * or not at all), instead of a `TypeError` from deep inside a route.
 */
const mounted: MiddlewareHandler<SessionEnv> = async (c, next) => {
  if (!c.var.session) throw new Error('lifeline sessionRoutes(): mount session() before them');
  await next();
};

const schema = z.object({
  freshFor: z
    .number()
    .int()
    .positive()
    .default(10 * 60 * 1000),
});

/**
 * The session endpoints the browser SDK talks to, as a Hono sub-app. Mount it after
 * `session()`. Every POST passes {@link csrfGuard}; other methods get 405 with `Allow`.
 *
 * | route | does |
 * | --- | --- |
 * | `GET /status` | state and deadlines, passive, `no-store` |
 * | `POST /extend` | slides the idle deadline |
 * | `POST /logout` | ends the session and its remember-me credential |
 * | `POST /reauth` | silent re-authentication: a brand-new session |
 * | `GET /client.js` | the SDK bundle, if configured |
 * | `GET /sessions`, `POST /sessions/revoke` | the user's sessions, if `manager` is given |
 *
 * @example
 * const sessions = session({ store, reauth: rememberMe({ store, findUser }) });
 * app.use(sessions);
 * app.route('/session', sessionRoutes({ manager: sessions.manager }));
 */
export function sessionRoutes(options: SessionRoutesOptions = {}): Hono<SessionEnv> {
  checkOptions(options);
  const parsed = schema.safeParse({ freshFor: options.freshFor });
  if (!parsed.success) {
    throw new TypeError(`sessionRoutes: \`freshFor\` ${parsed.error.issues[0]?.message}`);
  }
  const { manager } = options;
  const guard = csrfGuard(options.csrf);
  const app = new Hono<SessionEnv>();

  app.get('/status', mounted, getStatus).all('/status', methodNotAllowed(['GET']));
  app
    .post('/extend', guard, mounted, guardSession({}, false), postExtend)
    .all('/extend', methodNotAllowed(['POST']));
  app.post('/logout', guard, mounted, postLogout).all('/logout', methodNotAllowed(['POST']));
  app.post('/reauth', guard, mounted, postReauth).all('/reauth', methodNotAllowed(['POST']));
  app
    .get('/client.js', clientScript(options.clientScript))
    .all('/client.js', methodNotAllowed(['GET']));
  if (manager !== undefined) {
    const fresh = requireSession({ fresh: parsed.data.freshFor });
    app
      .get('/sessions', mounted, requireSession(), listSessions(manager))
      .all('/sessions', methodNotAllowed(['GET']));
    app
      .post('/sessions/revoke', guard, mounted, fresh, revokeSessions(manager))
      .all('/sessions/revoke', methodNotAllowed(['POST']));
  } else {
    const absent = routeNotEnabled('no session manager is configured');
    app.all('/sessions', absent).all('/sessions/revoke', absent);
  }

  return app;
}
