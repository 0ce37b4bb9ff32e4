import type { EndReason, SessionStatus } from '../wire.js';
import { DEADLINE_HEADER, formatDeadlineHeader, PASSIVE_HEADER } from '../wire.js';

export interface FakeServerOptions {
  /** The client's clock; the server's reads this plus `skew`. */
  now: () => number;
  /** Server clock minus client clock, ms. Default `0`. */
  skew?: number;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  /** Whether `/reauth` succeeds (a remember-me credential exists). Default `true`. */
  canReauth?: boolean;
}

/** A stand-in for one browser's view of a Lifeline server: one cookie, one session. */
export interface FakeServer {
  fetch: typeof fetch;
  /** Requests received, by path (e.g. `/session/extend`). */
  calls: Map<string, number>;
  signIn(): void;
  /** Ends the session on the server side only, as an admin revoke or a store eviction would. */
  end(reason: EndReason): void;
  /** Makes the next requests fail: `'network'` rejects, a number answers with that status. */
  breakWith(failure: 'network' | number | null): void;
  live(): boolean;
}

/**
 * Makes a fake session server speaking the Lifeline protocol (`/session/*` routes and
 * deadline headers on app routes under `/api/`), for tests without a real server.
 */
export function createFakeServer(o: FakeServerOptions): FakeServer {
  const idleMs = o.idleTimeoutMs ?? 30 * 60_000;
  const absMs = o.absoluteTimeoutMs ?? 8 * 3600_000;
  const canReauth = o.canReauth ?? true;
  const serverNow = () => o.now() + (o.skew ?? 0);
  let session: { idle: number; absolute: number } | null = null;
  let ended: EndReason = 'missing';
  let failure: 'network' | number | null = null;
  const calls = new Map<string, number>();

  const current = () => {
    if (session && serverNow() >= Math.min(session.idle, session.absolute)) {
      ended = serverNow() >= session.absolute ? 'absolute-timeout' : 'idle-timeout';
      session = null;
    }
    return session;
  };
  const start = () => {
    const t = serverNow();
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
  const problem = () =>
    json(
      {
        type: 'urn:lifeline:problem:session_expired',
        title: 'Session ended',
        status: 401,
        code: 'session_expired',
        reason: ended,
      },
      401,
    );

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req =
      input instanceof Request
        ? input
        : new Request(new URL(String(input), 'http://app.test'), init);
    const path = new URL(req.url).pathname;
    calls.set(path, (calls.get(path) ?? 0) + 1);
    if (failure === 'network') throw new TypeError('Failed to fetch');
    if (failure !== null) return new Response('upstream down', { status: failure });
    const s = current();
    if (path === '/session/status') return json(status());
    if (path === '/session/extend') {
      if (!s) return problem();
      s.idle = Math.min(serverNow() + idleMs, s.absolute);
      return json(status());
    }
    if (path === '/session/logout') {
      session = null;
      ended = 'logged-out';
      return json(status());
    }
    if (path === '/session/reauth') {
      if (!canReauth)
        return json({ type: 'x', title: 'x', status: 401, code: 'reauth_failed' }, 401);
      start();
      return json(status());
    }
    if (!s) return problem();
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
    },
    breakWith(f) {
      failure = f;
    },
    live: () => current() !== null,
  };
}
