/**
 * The auditor's harness: a real app built only from the public `@lifeline/server` API,
 * listening on 127.0.0.1 (port 0), spoken to with real `fetch`.
 *
 * Time is a hand-driven clock passed as the `now` option, so deadlines pass without
 * sleeping. HTTPS is simulated: there is no certificate on a test machine, so requests
 * that must count as HTTPS go through `trustProxy: true` with `X-Forwarded-Proto: https`,
 * exactly as a TLS-terminating proxy would send them.
 */
import { type AddressInfo, connect } from 'node:net';
import { serve } from '@hono/node-server';
import {
  csrfGuard,
  memoryStore,
  passive,
  type RememberEvent,
  type RememberMe,
  type RememberMeOptions,
  rememberMe,
  requireSession,
  type SessionEnv,
  type SessionEvent,
  type SessionMiddleware,
  type SessionOptions,
  type SessionRoutesOptions,
  type SessionStore,
  session,
  sessionRoutes,
} from '@lifeline/server';
import { type ManualClock, manualClock } from '@lifeline/server/testing';
import { Hono } from 'hono';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const COOKIE = 'lifeline';
export const HOST_COOKIE = `__Host-${COOKIE}`;
export const REMEMBER = 'lifeline_remember';
/** Freshness window of the app's sensitive routes. */
export const FRESH_MS = 5 * MINUTE;

/** One store call, as the instrumented store saw it. */
export interface StoreCall {
  method: string;
  args: unknown[];
  /** A `getAndTouch` that moved the idle deadline (a write inside the read). */
  touched?: boolean;
}

/** A real store wrapped to record every call and to simulate an outage. */
export interface InstrumentedStore extends SessionStore {
  calls: StoreCall[];
  /** While true every call rejects, as a lost connection would. */
  down: boolean;
  /** Calls of one method since the last `reset()`. */
  count(method: string): number;
  /** Calls that write (create, update, rotate, confirmRotation, end, and a `getAndTouch` that touched). */
  writes(): number;
  /** Calls that read a session (`get`, `getAndTouch`). */
  reads(): number;
  reset(): void;
}

const WRITES = new Set(['create', 'update', 'rotate', 'confirmRotation', 'end']);

/** Wraps `inner` (not a mock: every call reaches the real store unless `down`). */
export function instrumentedStore(inner: SessionStore): InstrumentedStore {
  const calls: StoreCall[] = [];
  const wrapper = {
    calls,
    down: false,
    count: (method: string) => calls.filter((c) => c.method === method).length,
    writes: () => calls.filter((c) => WRITES.has(c.method) || c.touched).length,
    reads: () => calls.filter((c) => c.method === 'get' || c.method === 'getAndTouch').length,
    reset: () => {
      calls.length = 0;
    },
  } as InstrumentedStore;
  for (const method of [
    'get',
    'create',
    'update',
    'rotate',
    'end',
    'listByUser',
    'getCredential',
    'createCredential',
    'rotateCredential',
    'deleteCredential',
    'deleteCredentialsOfUser',
  ] as const) {
    const fn = inner[method] as (...args: unknown[]) => Promise<unknown>;
    (wrapper as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      calls.push({ method, args: structuredClone(args) });
      if (wrapper.down) throw new Error('connection lost');
      return fn.apply(inner, args);
    };
  }
  // Optional methods are passed on only where the store has them, as the middleware sees it.
  const confirmRotation = inner.confirmRotation;
  if (confirmRotation) {
    wrapper.confirmRotation = async (...args) => {
      calls.push({ method: 'confirmRotation', args: structuredClone(args) });
      if (wrapper.down) throw new Error('connection lost');
      return confirmRotation.apply(inner, args);
    };
  }
  const getSealedSuccessor = inner.getSealedSuccessor;
  if (getSealedSuccessor) {
    wrapper.getSealedSuccessor = async (sid) => {
      calls.push({ method: 'getSealedSuccessor', args: [sid] });
      if (wrapper.down) throw new Error('connection lost');
      return getSealedSuccessor.call(inner, sid);
    };
  }
  const getAndTouch = inner.getAndTouch;
  if (getAndTouch) {
    wrapper.getAndTouch = async (sid, touch) => {
      const call: StoreCall = { method: 'getAndTouch', args: structuredClone([sid, touch]) };
      calls.push(call);
      if (wrapper.down) throw new Error('connection lost');
      // Whether it wrote: the stored lastActiveAt before (peeked, not counted) and after,
      // both asked in one step, so no parallel call's touch falls between them.
      const [before, after] = await Promise.all([
        inner.get(sid),
        getAndTouch.call(inner, sid, touch),
      ]);
      call.touched = after !== null && after.lastActiveAt !== before?.lastActiveAt;
      return after;
    };
  }
  return wrapper;
}

/** A promise the test opens by hand, to hold a request inside its handler. */
export interface Gate {
  /** Resolves once the held request is inside the handler (its session already resolved). */
  entered: Promise<void>;
  open(): void;
}

export interface AppConfig {
  session?: SessionOptions;
  /** `rememberMe()` options besides the store, users, clock and audit hook. */
  remember?: Pick<RememberMeOptions, 'secret' | 'maxAgeMs' | 'cookieName'>;
  routes?: Omit<SessionRoutesOptions, 'manager'>;
  /** The store to wrap; default a fresh `memoryStore` on the test clock. */
  store?: SessionStore;
  clock?: ManualClock;
}

export interface TestServer {
  base: string;
  clock: ManualClock;
  store: InstrumentedStore;
  events: SessionEvent[];
  rememberEvents: RememberEvent[];
  manager: SessionMiddleware['manager'];
  remember: RememberMe;
  /** Holds the next `GET|POST /slow/:name` until opened (`?write=0`: the handler writes nothing). */
  gate(name: string): Gate;
  send(path: string, init?: SendInit): Promise<Reply>;
  /**
   * A GET written byte for byte on a socket, for `Cookie` headers `fetch` refuses to send
   * (control characters, bytes over 0x7f). Returns the status line's code and the raw reply.
   */
  sendRaw(path: string, cookieHeader: string): Promise<{ status: number; raw: string }>;
  close(): Promise<void>;
}

export interface SendInit {
  method?: string;
  /** The session token to send as the session cookie (name chosen by `https`). */
  token?: string | null;
  /** Extra raw cookie pairs, appended to the `Cookie` header. */
  cookies?: string[];
  /** A raw `Cookie` header, replacing the above. */
  cookieHeader?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Simulate HTTPS through a trusted proxy (`X-Forwarded-Proto: https`). */
  https?: boolean;
  /** Add the same-origin + non-simple headers the CSRF guard needs. */
  sameOrigin?: boolean;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
  setCookies: string[];
  /** Set-Cookie lines for the session cookie (plain or `__Host-` name). */
  sessionLines: string[];
  /** The session token this response set, `''` if it cleared it, `undefined` if untouched. */
  token: string | undefined;
  /** The remember-me token this response set, if any. */
  rememberToken: string | undefined;
}

function cookieValue(lines: string[], names: string[]): string | undefined {
  for (const line of lines) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (names.includes(pair.slice(0, eq))) return pair.slice(eq + 1);
  }
  return undefined;
}

/** Builds the audited app from the public API and starts it on 127.0.0.1, port 0. */
export async function startServer(config: AppConfig = {}): Promise<TestServer> {
  const clock = config.clock ?? manualClock(Date.now());
  const store = instrumentedStore(config.store ?? memoryStore({ now: clock.now }));
  const events: SessionEvent[] = [];
  const rememberEvents: RememberEvent[] = [];
  const remember = rememberMe({
    store,
    now: clock.now,
    findUser: (id) => (id.startsWith('disabled') ? null : { name: id }),
    onEvent: (e) => {
      rememberEvents.push(e);
    },
    ...config.remember,
  });
  const sessions = session({
    store,
    now: clock.now,
    reauth: remember,
    trustProxy: true,
    onEvent: (e) => {
      events.push(e);
    },
    ...config.session,
  });
  const gates = new Map<string, { entered: () => void; wait: Promise<void> }>();

  const app = new Hono<SessionEnv>();
  app.use(sessions);
  // Reads the session, never writes it.
  app.get('/api/data', (c) => {
    const s = c.var.session;
    return c.json({ state: s.state, reason: s.reason, userId: s.userId, visits: s.get('visits') });
  });
  app.get('/api/passive', passive(), (c) => c.json({ state: c.var.session.state }));
  app.get('/api/me', requireSession(), (c) => c.json({ userId: c.var.session.userId }));
  // An idempotent change the SDK may repeat on its own: who it ran as, in the answer.
  app.delete('/api/items/:id', requireSession(), (c) =>
    c.json({ deletedBy: c.var.session.userId }),
  );
  app.get('/api/fresh', requireSession({ fresh: FRESH_MS }), (c) => c.json({ ok: true }));
  // The store key (a hash, safe to show): lets the audit look records up.
  app.get('/api/id', (c) => c.json({ id: c.var.session.id }));
  app.get('/api/broken', (c) => c.json({ error: 'app error' }, 400));
  // An anonymous write: creates the session lazily.
  app.post('/visit', (c) => {
    const visits = Number(c.var.session.get('visits') ?? 0);
    c.var.session.set('visits', visits + 1);
    return c.json({ visits: visits + 1 });
  });
  // Per-key writes: concurrent requests on different keys must not lose each other.
  app.post('/note/:key', (c) => {
    c.var.session.set(`note:${c.req.param('key')}`, true);
    return c.json({ ok: true });
  });
  app.get('/note/:key', (c) => c.json({ value: c.var.session.get(`note:${c.req.param('key')}`) }));
  app.post('/login/:user', async (c) => {
    const userId = c.req.param('user');
    await c.var.session.regenerate({ userId, user: { name: userId } });
    if (c.req.query('remember') === '1') await remember.issue(c, userId);
    return c.json({ ok: true, userId });
  });
  // Privilege change (e.g. becoming admin): a new ID, not a new authentication.
  app.post('/elevate', requireSession(), async (c) => {
    await c.var.session.regenerate({ cause: 'privilege-change' });
    c.var.session.set('role', 'admin');
    return c.json({ ok: true });
  });
  // Step-up: the user re-entered their password.
  app.post('/step-up', requireSession(), async (c) => {
    await c.var.session.regenerate({ userId: c.var.session.userId, authenticated: true });
    return c.json({ ok: true });
  });
  // Password change: needs a fresh sign-in, then ends every other session of the user.
  app.post('/account/password', csrfGuard(), requireSession({ fresh: FRESH_MS }), async (c) => {
    const s = c.var.session;
    const revoked = await sessions.manager.revokeUser(s.userId ?? '', { exceptId: s.id });
    return c.json({ revoked });
  });
  // A handler that sets the session cookie itself and also writes: only one line may survive.
  app.post('/meddle', (c) => {
    c.header('Set-Cookie', `${COOKIE}=meddled; Path=/`, { append: true });
    c.var.session.set('meddled', true);
    return c.json({ ok: true });
  });
  app.get('/go', (c) => c.redirect('/api/data'));
  app.on(['GET', 'POST'], '/slow/:name', async (c) => {
    const gate = gates.get(c.req.param('name'));
    gate?.entered();
    await gate?.wait;
    if (c.req.query('write') !== '0') c.var.session.set('slow', c.req.param('name'));
    return c.json({ state: c.var.session.state });
  });
  app.route('/session', sessionRoutes({ ...config.routes, manager: sessions.manager }));

  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function send(path: string, init: SendInit = {}): Promise<Reply> {
    const headers = new Headers(init.headers);
    const name = init.https ? HOST_COOKIE : COOKIE;
    const pairs = [...(init.token ? [`${name}=${init.token}`] : []), ...(init.cookies ?? [])];
    const cookieHeader = init.cookieHeader ?? pairs.join('; ');
    if (cookieHeader) headers.set('Cookie', cookieHeader);
    if (init.https) headers.set('X-Forwarded-Proto', 'https');
    if (init.sameOrigin) {
      headers.set('Origin', base);
      headers.set('Sec-Fetch-Site', 'same-origin');
      headers.set('Session-Request', '1');
    }
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body ?? null,
      redirect: 'manual',
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {}
    const setCookies = res.headers.getSetCookie();
    const sessionLines = setCookies.filter(
      (l) => l.startsWith(`${COOKIE}=`) || l.startsWith(`${HOST_COOKIE}=`),
    );
    return {
      status: res.status,
      headers: res.headers,
      text,
      json,
      setCookies,
      sessionLines,
      token: cookieValue(sessionLines, [COOKIE, HOST_COOKIE]),
      rememberToken: cookieValue(setCookies, [REMEMBER, `__Host-${REMEMBER}`]),
    };
  }

  function sendRaw(path: string, cookieHeader: string) {
    const { port } = server.address() as AddressInfo;
    return new Promise<{ status: number; raw: string }>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('error', reject);
      socket.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        resolve({ status: Number(raw.slice(9, 12)), raw });
      });
      socket.write(
        Buffer.from(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookieHeader}\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      );
    });
  }

  return {
    base,
    clock,
    sendRaw,
    store,
    events,
    rememberEvents,
    manager: sessions.manager,
    remember,
    send,
    gate(name) {
      let entered!: () => void;
      let open!: () => void;
      const enteredP = new Promise<void>((r) => {
        entered = r;
      });
      const wait = new Promise<void>((r) => {
        open = r;
      });
      gates.set(name, { entered, wait });
      return { entered: enteredP, open };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** Signs `user` in from no session and returns the session token. */
export async function login(srv: TestServer, user: string, init: SendInit = {}): Promise<string> {
  const res = await srv.send(`/login/${user}`, { method: 'POST', ...init });
  if (res.status !== 200 || !res.token) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.token;
}

/** The store key (a hash) of the session a token belongs to; `null` if none is live. */
export async function sidOf(srv: TestServer, token: string, init: SendInit = {}) {
  const res = await srv.send('/api/id', { ...init, token });
  return (res.json.id as string | null | undefined) ?? null;
}
