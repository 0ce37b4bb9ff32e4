import type { EndReason, SessionStatus } from '../wire.js';
import { DEADLINE_HEADER, formatDeadlineHeader, PASSIVE_HEADER } from '../wire.js';
import { isRequest } from './request.js';

export interface FakeServerOptions {
  /** The client's clock; the server's reads this plus `skew`. */
  now: () => number;
  /** Server clock minus client clock, ms. Default `0`. */
  skew?: number;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  /**
   * Whether a sign-in leaves a remember-me credential, so that `/reauth` succeeds until a
   * logout forgets it (as the real server's logout does). Default `true`.
   */
  canReauth?: boolean;
}

/** A stand-in for one browser's view of a Lifeline server: one cookie, one session. */
export interface FakeServer {
  fetch: typeof fetch;
  /** Requests received, by path (e.g. `/session/extend`). */
  calls: Map<string, number>;
  signIn(): void;
  /**
   * Ends the session on the server side only, as an admin revoke or a store eviction would.
   * `'revoked'` also forgets the remember-me credential, as the server's revocations do.
   */
  end(reason: EndReason): void;
  /** Makes the next requests fail: `'network'` rejects, a number answers with that status. */
  breakWith(failure: 'network' | number | null): void;
  live(): boolean;
}

/** The session routes and the one method each takes. */
const ROUTES: Record<string, 'GET' | 'POST'> = {
  '/session/status': 'GET',
  '/session/extend': 'POST',
  '/session/logout': 'POST',
  '/session/reauth': 'POST',
};

/**
 * Makes a fake session server speaking the Lifeline protocol (`/session/*` routes and
 * deadline headers on app routes under `/api/`), for tests without a real server. It
 * refuses what the real one refuses: another method (405), a session POST without the
 * CSRF header or a JSON body (403 `csrf_rejected`), and answers a missing session with the
 * problem code for why it ended.
 */
export function createFakeServer(o: FakeServerOptions): FakeServer {
  const idleMs = o.idleTimeoutMs ?? 30 * 60_000;
  const absMs = o.absoluteTimeoutMs ?? 8 * 3600_000;
  const remembers = o.canReauth ?? true;
  /** A remember-me credential: left by a sign-in, forgotten by a logout. */
  let canReauth = remembers;
  // Whole milliseconds, as a real server sends (and the client accepts): the client's own
  // clock (`defaultNow`) reads fractions.
  const serverNow = () => Math.floor(o.now() + (o.skew ?? 0));
  let session: { idle: number; absolute: number } | null = null;
  let ended: EndReason = 'missing';
  let failure: 'network' | number | null = null;
  const calls = new Map<string, number>();

  const current = () => {
    if (session && serverNow() >= Math.min(session.idle, session.absolute)) {
      // The limit met first, as the real server names it (a session idle past its
      // absolute deadline too ended for idleness).
      ended = session.idle < session.absolute ? 'idle-timeout' : 'absolute-timeout';
      session = null;
    }
    return session;
  };
  const start = () => {
    const t = serverNow();
    canReauth ||= remembers;
    session = { idle: Math.min(t + idleMs, t + absMs), absolute: t + absMs };
  };
  const status = (): SessionStatus => {
    const s = current();
    const base = { now: serverNow(), idleTimeoutMs: idleMs, canReauth };
    if (!s) return { state: 'none', reason: ended, ...base };
    return {
      state: 'active',
      idleExpiresAt: s.idle,
      absoluteExpiresAt: s.absolute,
      user: { name: 'demo' },
      ...base,
    };
  };
  const json = (body: unknown, code = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status: code,
      headers: {
        'content-type': code === 401 ? 'application/problem+json' : 'application/json',
        ...headers,
      },
    });
  const problem = (code: string, status: number, extra: object = {}) =>
    json({ type: `urn:lifeline:problem:${code}`, title: code, status, code, ...extra }, status);
  /** No session: the code says why, as the real server's does. */
  const noSession = () =>
    problem(
      ended.endsWith('timeout')
        ? 'session_expired'
        : ended === 'missing'
          ? 'session_required'
          : 'session_revoked',
      401,
      { reason: ended },
    );

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = isRequest(input)
      ? input
      : new Request(new URL(String(input), 'http://app.test'), init);
    const path = new URL(req.url).pathname;
    calls.set(path, (calls.get(path) ?? 0) + 1);
    if (failure === 'network') throw new TypeError('Failed to fetch');
    if (failure !== null) return new Response('upstream down', { status: failure });
    const method = ROUTES[path];
    if (method && req.method !== method && !(method === 'GET' && req.method === 'HEAD')) {
      return problem('invalid_request', 405, { detail: `use ${method}` });
    }
    const csrfSafe =
      req.headers.get('Session-Request') === '1' ||
      /^application\/json\b/i.test(req.headers.get('content-type') ?? '');
    if (method === 'POST' && !csrfSafe) return problem('csrf_rejected', 403);
    const s = current();
    if (path === '/session/status') return json(status());
    if (path === '/session/extend') {
      if (!s) return noSession();
      s.idle = Math.min(serverNow() + idleMs, s.absolute);
      return json(status());
    }
    if (path === '/session/logout') {
      // As the real server: a logout naming another session leaves the live one alone.
      let meant: { absoluteExpiresAt?: number };
      try {
        meant = JSON.parse((await req.text()) || '{}');
      } catch {
        return problem('invalid_request', 400);
      }
      if (s && meant.absoluteExpiresAt !== undefined && meant.absoluteExpiresAt !== s.absolute) {
        return json(status());
      }
      session = null;
      ended = 'logged-out';
      canReauth = false; // a logout forgets the remember-me credential
      return json(status());
    }
    if (path === '/session/reauth') {
      if (!canReauth) return problem('reauth_failed', 401);
      start();
      return json(status());
    }
    if (!s) return noSession();
    if (req.headers.get(PASSIVE_HEADER) !== '1')
      s.idle = Math.min(serverNow() + idleMs, s.absolute);
    const header = formatDeadlineHeader({ idle: s.idle, absolute: s.absolute, now: serverNow() });
    return json({ ok: true, body: await req.text() }, 200, { [DEADLINE_HEADER]: header });
  };
  return {
    fetch: fetchImpl as typeof fetch,
    calls,
    signIn: start,
    end(reason) {
      session = null;
      ended = reason;
      if (reason === 'revoked') canReauth = false;
    },
    breakWith(f) {
      failure = f;
    },
    live: () => current() !== null,
  };
}
