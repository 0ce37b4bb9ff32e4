import {
  type ClientScriptSource,
  csrfGuard,
  memoryStore,
  problemResponse,
  readJsonBody,
  rememberMe,
  requireSession,
  type SessionEnv,
  type SessionStore,
  session,
  sessionRoutes,
  sessionStatus,
} from '@lifeline/server';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { webPage } from '../web/serve.js';
import type { DemoConfig } from './config.js';
import { eventLog } from './events.js';
import { login } from './login.js';
import { renderPage } from './page.js';
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

const CART_LIMIT = 50;
const cartItem = z.object({ item: z.string().trim().min(1).max(100) }).strict();

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
  app.use(secureHeaders({ referrerPolicy: 'same-origin' }));
  app.use(sessions);

  const plainPage = (c: Context<SessionEnv>) => {
    const nonce = crypto.randomUUID().replaceAll('-', '');
    const status = sessionStatus(c.var.session);
    const html = renderPage({ status, nonce, clientScript: deps.clientScript !== undefined });
    return c.html(html, 200, pageHeaders(nonce));
  };
  // The one-tag install (server-rendered page + /session/client.js) stays reachable at /plain.
  app.get('/plain', plainPage);
  if (deps.webRoot) app.route('/', webPage(deps.webRoot));
  else app.get('/', plainPage);
  const formFailure = (c: Context<SessionEnv>) => {
    const nonce = crypto.randomUUID().replaceAll('-', '');
    const status = sessionStatus(c.var.session);
    const error = 'Wrong username or password.';
    return c.html(
      renderPage({ status, nonce, error, clientScript: false }),
      401,
      pageHeaders(nonce),
    );
  };
  const limit = bodyLimit({
    maxSize: 4096,
    onError: () => problemResponse('invalid_request', { status: 413, detail: 'body too large' }),
  });
  app.post('/login', csrfGuard({ allowForms: true }), limit, login(remember, formFailure));

  app.get('/api/me', requireSession(), (c) => {
    const { userId, user } = c.var.session;
    return c.json({ userId, user });
  });
  app.get('/api/notifications', passive, requireSession(), (c) =>
    c.json({ notifications: [{ id: 1, text: 'Polling this never keeps your session alive.' }] }),
  );
  app.post('/api/cart', csrfGuard(), requireSession(), async (c) => {
    const body = await readJsonBody(c, cartItem);
    if (!body.ok) return body.response;
    const cart = (c.var.session.get('cart') as string[] | undefined) ?? [];
    if (cart.length >= CART_LIMIT) {
      return problemResponse('invalid_request', { detail: `at most ${CART_LIMIT} items` });
    }
    const next = [...cart, body.data.item];
    c.var.session.set('cart', next);
    return c.json({ cart: next });
  });
  app.get('/api/events', passive, (c) => c.json({ events: log.list() }, 200, NO_STORE));
  // The page draws the timeline and arms the client's warning from these.
  const pageConfig = {
    idleTimeoutS: config.idleTimeoutMs / 1000,
    absoluteTimeoutS: config.absoluteTimeoutMs / 1000,
    warnBeforeS: config.warnBeforeMs / 1000,
  };
  app.get('/api/config', passive, (c) => c.json(pageConfig));

  app.route(
    '/session',
    sessionRoutes({ manager: sessions.manager, clientScript: deps.clientScript }),
  );
  return app;
}

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Background polling must never keep an idle session alive. */
const passive: MiddlewareHandler<SessionEnv> = async (c, next) => {
  c.var.session.markPassive();
  await next();
};

function pageHeaders(nonce: string): Record<string, string> {
  return {
    ...NO_STORE,
    'Content-Security-Policy': [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      `style-src 'self' 'nonce-${nonce}'`,
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}
