import { Hono } from 'hono';
import { z } from 'zod';
import { type CsrfGuardOptions, csrfGuard } from '../csrf/csrf.js';
import { requireSession } from '../require/require-session.js';
import type { SessionEnv, SessionManager } from '../session/types.js';
import { type ClientScriptSource, clientScript } from './client-script.js';
import { listSessions, revokeSessions } from './devices.js';
import { getStatus, postExtend, postLogout, postReauth } from './lifecycle.js';
import { methodNotAllowed } from './methods.js';

/** Options of {@link sessionRoutes}. */
export interface SessionRoutesOptions {
  /** The SDK bundle served at `GET /client.js`. Default: none (404 `invalid_request` problem). */
  clientScript?: ClientScriptSource;
  /** Enables `GET /sessions` and `POST /sessions/revoke`: pass `session(...).manager`. Default: none (404). */
  manager?: SessionManager;
  /** How recent the last sign-in must be to revoke sessions, in ms. Default 10 min. */
  freshFor?: number;
  /** Options of the CSRF guard on every POST (e.g. extra `origins`). Default: same origin only. */
  csrf?: Omit<CsrfGuardOptions, 'allowForms'>;
}

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
  const parsed = schema.safeParse({ freshFor: options.freshFor });
  if (!parsed.success) {
    throw new TypeError(`sessionRoutes: \`freshFor\` ${parsed.error.issues[0]?.message}`);
  }
  const { manager } = options;
  const guard = csrfGuard(options.csrf);
  const app = new Hono<SessionEnv>();

  app.get('/status', getStatus).all('/status', methodNotAllowed(['GET']));
  app
    .post('/extend', guard, requireSession(), postExtend)
    .all('/extend', methodNotAllowed(['POST']));
  app.post('/logout', guard, postLogout).all('/logout', methodNotAllowed(['POST']));
  app.post('/reauth', guard, postReauth).all('/reauth', methodNotAllowed(['POST']));
  app
    .get('/client.js', clientScript(options.clientScript))
    .all('/client.js', methodNotAllowed(['GET']));
  if (manager !== undefined) {
    const fresh = requireSession({ fresh: parsed.data.freshFor });
    app
      .get('/sessions', requireSession(), listSessions(manager))
      .all('/sessions', methodNotAllowed(['GET']));
    app
      .post('/sessions/revoke', guard, fresh, revokeSessions(manager))
      .all('/sessions/revoke', methodNotAllowed(['POST']));
  }

  return app;
}
