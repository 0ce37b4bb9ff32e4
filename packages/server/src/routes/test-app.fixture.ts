import { Hono, type MiddlewareHandler } from 'hono';
import type { SessionOptions } from '../config/options.js';
import type { SessionEvent } from '../events/types.js';
import type { RememberMeOptions } from '../remember/options.js';
import { rememberMe } from '../remember/remember.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { type ManualClock, manualClock } from '../testing/clock.js';
import { type SessionRoutesOptions, sessionRoutes } from './routes.js';

const ORIGIN = 'http://localhost';

/** Options of {@link routesTestApp}. */
export interface RoutesTestOptions {
  session?: SessionOptions;
  routes?: SessionRoutesOptions;
  /** Shared by the session and remember-me. Default: a memory store on the test clock. */
  store?: (clock: ManualClock) => SessionStore;
  /** Where the test clock starts (epoch ms); a store on real time (Redis) needs about now. */
  clockStart?: number;
  /** App middleware registered after `session()` and before every route, as apps do. */
  appMiddleware?: MiddlewareHandler<SessionEnv>;
  /** Remember-me options beyond the store, clock and `findUser` the app gives it. */
  remember?: Partial<Omit<RememberMeOptions, 'store'>>;
}

/**
 * A real app for the route tests: memory store, manual clock, remember-me, a login route
 * (`POST /login?user=…&remember=1`) and the session routes under `/session`.
 */
export function routesTestApp(options: RoutesTestOptions = {}) {
  const clock = manualClock(options.clockStart);
  const store = options.store?.(clock) ?? memoryStore({ now: clock.now });
  const events: SessionEvent[] = [];
  const disabled = new Set<string>();
  const remember = rememberMe({
    store,
    now: clock.now,
    findUser: (id) => (disabled.has(id) ? null : { name: `User ${id}` }),
    ...options.remember,
  });
  const middleware = session({
    store,
    now: clock.now,
    reauth: remember,
    onEvent: (e) => {
      events.push(e);
    },
    ...options.session,
  });
  const app = new Hono<SessionEnv>();
  app.use(middleware);
  if (options.appMiddleware) app.use(options.appMiddleware);
  app.post('/login', async (c) => {
    const userId = c.req.query('user') ?? 'u1';
    await c.var.session.regenerate({ userId, user: { name: `User ${userId}` } });
    if (c.req.query('remember') === '1') await remember.issue(c, userId);
    return c.json({ ok: true });
  });
  app.get('/touch', (c) => c.json({ state: c.var.session.state }));
  app.route('/session', sessionRoutes({ manager: middleware.manager, ...options.routes }));
  return { app, clock, store, events, disabled, remember, manager: middleware.manager };
}

/** A {@link routesTestApp} with a browser signed in through `POST /login<query>`. */
export async function signedIn(options?: RoutesTestOptions, query = '') {
  const t = routesTestApp(options);
  const browser = new Browser(t.app);
  const res = await browser.post(`/login${query}`);
  if (res.status !== 200) throw new Error(`login failed with ${res.status}`);
  return { ...t, browser };
}

/** Request options of a {@link Browser}. */
export interface SendOptions {
  body?: BodyInit;
  /** Replaces the default same-origin headers where given; `null` removes one. */
  headers?: Record<string, string | null>;
}

/**
 * A browser tab in miniature: keeps cookies from `Set-Cookie` (honouring `Max-Age=0`) and
 * sends the headers a same-origin `fetch` from the SDK would.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: Hono<SessionEnv>) {}

  async send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const defaults = { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin', 'Session-Request': '1' };
    for (const [k, v] of Object.entries({ ...defaults, ...options.headers })) {
      if (v !== null) headers[k] = v;
    }
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (jar) headers.Cookie = jar;
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) init.body = options.body;
    // A streamed body (no Content-Length) needs `duplex` in Node's fetch.
    if (options.body instanceof ReadableStream) Object.assign(init, { duplex: 'half' });
    return this.receive(await this.app.request(`${ORIGIN}${path}`, init));
  }

  /**
   * Keeps the cookies a response sets, as the browser does when it arrives: a test that
   * sends from {@link tab}s applies their answers here in the order it wants them to land.
   */
  receive(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/Max-Age=0(;|$)/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
    return res;
  }

  /**
   * Another tab of this browser, for one request sent with the cookies held now (to `app`:
   * another server instance): its answer's cookies stay with the tab until
   * {@link receive} applies them here.
   */
  tab(app: Hono<SessionEnv> = this.app): Browser {
    const tab = new Browser(app);
    for (const [name, value] of this.cookies) tab.cookies.set(name, value);
    return tab;
  }

  /** A JSON POST. */
  post(path: string, json?: unknown): Promise<Response> {
    if (json === undefined) return this.send('POST', path);
    return this.send('POST', path, {
      body: JSON.stringify(json),
      headers: { 'Content-Type': 'application/json' },
    });
  }

  get(path: string): Promise<Response> {
    return this.send('GET', path);
  }
}

/**
 * A real memory store behind a switch that makes its calls fail, like a Redis outage:
 * every method, or only `only`. With `afterApplying` the failing call lands first and
 * only its reply is lost (a store that timed out as far as the server knows).
 */
export function switchableStore({
  only,
  afterApplying = false,
}: {
  only?: keyof SessionStore;
  afterApplying?: boolean;
} = {}) {
  let down = false;
  const wrap = (inner: SessionStore): SessionStore =>
    new Proxy(inner, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function' || (only !== undefined && key !== only)) return value;
        return async (...args: unknown[]) => {
          if (down && !afterApplying) throw new Error('ECONNREFUSED');
          const result = await value.apply(target, args);
          if (down) throw new Error('ETIMEDOUT');
          return result;
        };
      },
    });
  return {
    wrap,
    /** The `store` option of {@link routesTestApp}: a wrapped memory store on its clock. */
    store: (clock: ManualClock) => wrap(memoryStore({ now: clock.now })),
    set: (isDown: boolean) => (down = isDown),
  };
}
