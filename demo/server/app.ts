import {
  type ClientScriptSource,
  csrfGuard,
  memoryStore,
  problemResponse,
  rememberMe,
  type SessionEnv,
  type SessionStore,
  session,
  sessionRoutes,
  sessionStatus,
} from '@lifeline/server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { safeReturnTo } from '../shared/return-to.js';
import { webAssets, webPage } from '../web/serve.js';
import { demoApi } from './api.js';
import type { DemoConfig } from './config.js';
import { eventLog } from './events.js';
import { login } from './login.js';
import { renderPage } from './page.js';
import { internalError, notFound, onlyMethods } from './problems.js';
import { findUser } from './users.js';

/** What the demo takes from its environment besides the config. */
export interface DemoDeps {
  /** Where sessions live. Default: a memory store (main.ts passes Redis when `REDIS_URL` is set). */
  store?: SessionStore;
  /** The clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** The client SDK bundle served at `/session/client.js`. Default: none. */
  clientScript?: ClientScriptSource;
  /** The built demo page (`demo/dist`): served at `/`; the server-rendered page moves to `/plain`. */
  webRoot?: string;
}

/**
 * The demo app: sessions with remember-me, the session routes, and a small protected API.
 * Routes: `GET /`, `POST /login`, `GET /api/me`, `GET /api/notifications` (passive),
 * `POST /api/cart`, `GET /api/events` and `GET /api/config` (passive), `/session/*`.
 *
 * @example
 * const app = createDemoApp(loadConfig(process.env));
 * const res = await app.request('/session/status');
 */
export function createDemoApp(config: DemoConfig, deps: DemoDeps = {}): Hono<SessionEnv> {
  const now = deps.now ?? Date.now;
  const store = deps.store ?? memoryStore({ now });
  const log = eventLog();
  const remember = rememberMe({
    store,
    now,
    findUser,
    onEvent: async (e) => {
      log.push({ ...e, source: 'remember' });
      // A replayed credential means someone else holds a copy: end every session it may
      // already have opened for this user, wherever it is.
      if (e.type === 'theft-suspected' && e.userId !== null) {
        await sessions.manager.revokeUser(e.userId);
      }
    },
  });
  const sessions = session({
    store,
    now,
    idleTimeout: config.idleTimeoutMs,
    absoluteTimeout: config.absoluteTimeoutMs,
    rotationInterval: config.rotateEveryMs,
    rotationGrace: Math.min(10_000, Math.floor(config.rotateEveryMs / 2)),
    reauth: remember,
    onEvent: (e) => log.push({ ...e, source: 'session' }),
  });

  const app = new Hono<SessionEnv>();
  // Errors answer problem+json with a stable code, like the API's own answers.
  app.notFound(notFound);
  app.onError(internalError);
  app.use(secureHeaders({ referrerPolicy: 'same-origin' }));
  // Cached for a year by anyone: served before the session middleware, so no asset's
  // answer carries one person's deadlines (or a rotated cookie) for a cache to keep.
  if (deps.webRoot) app.route('/', webAssets(deps.webRoot));
  app.use(sessions);

  const plainPage = (c: Context<SessionEnv>) => {
    const nonce = crypto.randomUUID().replaceAll('-', '');
    const status = sessionStatus(c.var.session);
    const html = renderPage({
      status,
      nonce,
      // Back to the page the form is on unless told otherwise: signing in on /plain must
      // not land on the other page at /.
      returnTo: safeReturnTo(c.req.query('returnTo')) ?? c.req.path,
      signInAgain: c.req.query('returnTo') !== undefined,
      clientScript: deps.clientScript !== undefined,
      warnBeforeS: config.warnBeforeMs / 1000,
    });
    return c.html(html, 200, pageHeaders(nonce));
  };
  // The one-tag install (server-rendered page + /session/client.js) stays reachable at /plain.
  app.get('/plain', plainPage).all('/plain', ...onlyMethods('GET'));
  if (deps.webRoot) app.route('/', webPage(deps.webRoot));
  else app.get('/', plainPage);
  app.all('/', ...onlyMethods('GET'));
  const formFailure = (c: Context<SessionEnv>, returnTo: string | null) => {
    const nonce = crypto.randomUUID().replaceAll('-', '');
    const status = sessionStatus(c.var.session);
    const error = 'Wrong username or password.';
    return c.html(
      renderPage({
        status,
        nonce,
        error,
        returnTo,
        // The form again, even over a live session: the page of that session would read as
        // if the sign-in had worked (the sign-in-again form is posted over a live session).
        signInAgain: true,
        clientScript: false,
        warnBeforeS: config.warnBeforeMs / 1000,
      }),
      401,
      pageHeaders(nonce),
    );
  };
  const limit = bodyLimit({
    maxSize: 4096,
    onError: () => problemResponse('invalid_request', { status: 413, detail: 'body too large' }),
  });
  app
    .post('/login', csrfGuard({ allowForms: true }), limit, login(remember, formFailure))
    .all('/login', ...onlyMethods('POST'));

  app.route('/api', demoApi(config, log));

  app.route(
    '/session',
    sessionRoutes({ manager: sessions.manager, clientScript: deps.clientScript }),
  );
  return app;
}

const NO_STORE = { 'Cache-Control': 'no-store' };

function pageHeaders(nonce: string): Record<string, string> {
  return {
    ...NO_STORE,
    'Content-Security-Policy': [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      `style-src 'self' 'nonce-${nonce}'`,
      // The empty icon the page names, so the browser does not ask for /favicon.ico (a 404).
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}
