import {
  memoryStore,
  rememberMe,
  type SessionEvent,
  type SessionOptions,
  SessionOptionsError,
  session,
} from '@lifeline/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  COOKIE,
  FRESH_MS,
  login,
  MINUTE,
  REMEMBER,
  sidOf,
  startServer,
  type TestServer,
} from './harness.js';

const IDLE = 30 * MINUTE;
const ROTATE = 15 * MINUTE;
const DAY = 24 * 60 * MINUTE;

function forged(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ session: { idleTimeout: IDLE, rotationInterval: ROTATE } });
});
afterAll(() => srv.close());

async function alive(token: string, on = srv): Promise<boolean> {
  return (await on.send('/api/data', { token })).json.state === 'active';
}

const reauth = (on: TestServer, token: string | null, remember?: string) =>
  on.send('/session/reauth', {
    method: 'POST',
    token,
    sameOrigin: true,
    cookies: remember ? [`${REMEMBER}=${remember}`] : [],
  });

describe('Re-auth, freshness, abuse', () => {
  it('7.2.4, 7.6.2 / item 38: POST /reauth with a valid remember-me credential issues a brand-new ID and logs reauthenticated; a bad one gets 401 reauth_failed', async () => {
    const signedIn = await srv.send('/login/remembered?remember=1', { method: 'POST' });
    const old = signedIn.token as string;
    const credential = signedIn.rememberToken as string;
    expect(credential).toMatch(/^[\w-]{43}$/);
    const canReauth = await srv.send('/session/status', {
      token: old,
      cookies: [`${REMEMBER}=${credential}`],
    });
    expect(canReauth.json.canReauth).toBe(true);
    const before = srv.events.length;
    const res = await reauth(srv, old, credential);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ state: 'active', user: { name: 'remembered' } });
    const fresh = res.token as string;
    expect(fresh).toMatch(/^[\w-]{43}$/);
    expect(fresh).not.toBe(old);
    expect(res.rememberToken).toMatch(/^[\w-]{43}$/); // the credential rotates on use
    expect(res.rememberToken).not.toBe(credential);
    expect(await alive(old)).toBe(false);
    expect(await alive(fresh)).toBe(true);
    const events = srv.events.slice(before);
    expect(events.some((e) => e.type === 'reauthenticated' && e.userId === 'remembered')).toBe(
      true,
    );

    // After the session expired, the credential still brings the user back.
    srv.clock.advance(IDLE);
    expect(await alive(fresh)).toBe(false);
    const back = await reauth(srv, fresh, res.rememberToken);
    expect(back.status).toBe(200);
    expect(await alive(back.token as string)).toBe(true);

    // Invalid credentials: forged, replayed (rotated away), or none at all.
    for (const bad of [forged(), credential, undefined]) {
      const failed = await reauth(srv, null, bad);
      expect(failed.status).toBe(401);
      expect(failed.json.code).toBe('reauth_failed');
      expect(failed.token === undefined || failed.token === '').toBe(true);
    }
    // The replay of the rotated-away credential is theft: that credential family is gone.
    expect(srv.rememberEvents.some((e) => e.type === 'theft-suspected')).toBe(true);
    expect((await reauth(srv, null, back.rememberToken)).status).toBe(401);
  });

  it('7.5.1, 7.5.3 / item 39: routes marked fresh reject a session whose last authentication is older than the window', async () => {
    let token = await login(srv, 'fresh-user');
    expect((await srv.send('/api/fresh', { token })).status).toBe(200);
    srv.clock.advance(FRESH_MS - 1);
    expect((await srv.send('/api/fresh', { token })).status).toBe(200);
    srv.clock.advance(2);
    // Activity kept the session alive, but it is not fresh.
    expect((await srv.send('/api/me', { token })).status).toBe(200);
    const stale = await srv.send('/api/fresh', { token });
    expect(stale.status).toBe(401);
    expect(stale.json.code).toBe('reauth_required');
    // Periodic rotation does not make it fresh again; only re-authentication does.
    srv.clock.advance(ROTATE);
    const rotated = await srv.send('/api/me', { token });
    token = rotated.token ?? token;
    expect((await srv.send('/api/fresh', { token })).status).toBe(401);
    token = (await srv.send('/step-up', { method: 'POST', token })).token as string;
    expect((await srv.send('/api/fresh', { token })).status).toBe(200);
  });

  it('OWASP detection / item 40: a burst of unknown IDs is logged, one rejected(unknown) event each (no built-in rate limit)', async () => {
    const before = srv.events.length;
    const burst = Array.from({ length: 50 }, () => forged());
    const replies = await Promise.all(burst.map((t) => srv.send('/api/me', { token: t })));
    for (const r of replies) expect(r.status).toBe(401);
    const rejected = srv.events
      .slice(before)
      .filter((e) => e.type === 'rejected' && e.reason === 'unknown');
    expect(rejected).toHaveLength(50);
    // Distinct hashed ids, so a detector can tell guessing (many ids) from one stale cookie.
    expect(new Set(rejected.map((e) => e.sid)).size).toBe(50);
    for (const e of rejected) expect(burst).not.toContain(e.sid);
  });

  it('item 41: a User-Agent change mid-session is logged, and ends the session when configured', async () => {
    const ua = (v: string) => ({ headers: { 'User-Agent': v } });
    const logging = await startServer({ session: { bindUserAgent: 'log' } });
    const revoking = await startServer({ session: { bindUserAgent: 'revoke' } });
    try {
      const t1 = await login(logging, 'ua-user', ua('Browser/1'));
      const moved = await logging.send('/api/me', { token: t1, ...ua('Browser/2') });
      expect(moved.status).toBe(200);
      expect(
        logging.events.some((e) => e.type === 'rejected' && e.reason === 'user-agent-changed'),
      ).toBe(true);

      const t2 = await login(revoking, 'ua-user', ua('Browser/1'));
      expect((await revoking.send('/api/me', { token: t2, ...ua('Browser/1') })).status).toBe(200);
      const ended = await revoking.send('/api/me', { token: t2, ...ua('Browser/2') });
      expect(ended.status).toBe(401);
      expect(ended.json).toMatchObject({ code: 'session_revoked', reason: 'revoked' });
      expect((await revoking.send('/api/me', { token: t2, ...ua('Browser/1') })).status).toBe(401);
      expect(
        revoking.events.some((e) => e.type === 'revoked' && e.detail === 'user-agent-changed'),
      ).toBe(true);
    } finally {
      await logging.close();
      await revoking.close();
    }
  });

  // Kept whole, a 15 KB User-Agent took 15.5 KB a session: one account signing in in a
  // loop filled a memory store's 100k bound with 1.5 GB and ran the process out of heap.
  it('keeps at most 512 characters of a User-Agent, and binding to it still holds', async () => {
    const huge = `Browser/1 ${'x'.repeat(15_000)}`;
    const ua = (v: string) => ({ headers: { 'User-Agent': v } });
    const srv = await startServer({ session: { bindUserAgent: 'revoke' } });
    try {
      const token = await login(srv, 'long-ua', ua(huge));
      const [listed] = await srv.manager.listForUser('long-ua');
      expect(listed?.userAgent).toBe(huge.slice(0, 512));
      expect((await srv.send('/api/me', { token, ...ua(huge) })).status).toBe(200);
      const other = await srv.send('/api/me', { token, ...ua('Browser/2') });
      expect(other.json).toMatchObject({ code: 'session_revoked' });
    } finally {
      await srv.close();
    }
  });

  it('16.3.1 / item 42: every lifecycle event reaches the audit hook with a hashed ID and no token', async () => {
    const audit = await startServer({
      session: { idleTimeout: IDLE, rotationInterval: ROTATE, bindUserAgent: 'log' },
    });
    const tokens: string[] = [];
    const keep = <T extends { token: string | undefined; rememberToken: string | undefined }>(
      r: T,
    ) => {
      for (const t of [r.token, r.rememberToken]) if (t) tokens.push(t);
      return r;
    };
    try {
      const anon = keep(await audit.send('/visit', { method: 'POST' })).token as string; // created
      const login1 = keep(
        await audit.send('/login/audited?remember=1', { method: 'POST', token: anon }),
      ); // created (regenerate)
      let t = login1.token as string;
      keep(await audit.send('/session/extend', { method: 'POST', token: t, sameOrigin: true })); // extended
      audit.clock.advance(ROTATE);
      const t0 = t;
      t = keep(await audit.send('/api/data', { token: t })).token as string; // rotated
      audit.clock.advance(20_000);
      await audit.send('/api/data', { token: t0 }); // rejected: theft-suspected
      await audit.send('/api/data', { token: forged() }); // rejected: unknown
      await audit.send('/api/data', { cookieHeader: `${COOKIE}=nope` }); // rejected: malformed
      await audit.send('/api/data', { cookieHeader: `${COOKIE}=${t}; ${COOKIE}=${t}` }); // duplicate
      await audit.send('/api/data', { token: t, headers: { 'User-Agent': 'Other/1' } }); // ua
      const r = keep(
        await audit.send('/session/reauth', {
          method: 'POST',
          token: t,
          sameOrigin: true,
          cookies: [`${REMEMBER}=${login1.rememberToken}`],
        }),
      ); // reauthenticated
      t = r.token as string;
      const other = keep(await audit.send('/login/audited', { method: 'POST' })).token as string;
      await audit.manager.revoke((await sidOf(audit, other)) as string); // revoked
      const idle = keep(await audit.send('/login/idler', { method: 'POST' })).token as string;
      audit.clock.advance(IDLE);
      await audit.send('/api/data', { token: idle }); // expired
      const last = keep(await audit.send('/login/leaver', { method: 'POST' })).token as string;
      await audit.send('/session/logout', { method: 'POST', token: last, sameOrigin: true }); // destroyed
      const events: SessionEvent[] = audit.events;
      const types = new Set(events.map((e) => e.type));
      for (const type of [
        'created',
        'rotated',
        'extended',
        'expired',
        'revoked',
        'destroyed',
        'reauthenticated',
        'rejected',
      ] as const) {
        expect(types, type).toContain(type);
      }
      const reasons = new Set(events.flatMap((e) => (e.type === 'rejected' ? [e.reason] : [])));
      expect([...reasons].sort()).toEqual(
        ['duplicate', 'malformed', 'theft-suspected', 'unknown', 'user-agent-changed'].sort(),
      );
      expect(events.find((e) => e.type === 'expired')).toMatchObject({ reason: 'idle-timeout' });
      const text = JSON.stringify(events);
      expect(tokens.length).toBeGreaterThan(6);
      for (const tk of tokens) expect(text).not.toContain(tk);
      for (const e of events) {
        expect(typeof e.at).toBe('number');
        if (e.sid !== null) expect(e.sid).toMatch(/^[\w-]{43}$/);
        expect(tokens).not.toContain(e.sid);
      }
    } finally {
      await audit.close();
    }
  });

  it('item 43: during a store outage requests get 503 store_unavailable, the cookie is kept, and the session works again afterwards', async () => {
    const token = await login(srv, 'outage');
    srv.store.down = true;
    try {
      for (const [path, init] of [
        ['/api/me', {}],
        ['/api/data', {}],
        ['/session/status', {}],
        ['/visit', { method: 'POST' }],
        ['/session/extend', { method: 'POST', sameOrigin: true }],
        ['/session/logout', { method: 'POST', sameOrigin: true }],
      ] as const) {
        const res = await srv.send(path, { ...init, token });
        expect(res.status, path).toBe(503);
        expect(res.json.code).toBe('store_unavailable');
        expect(res.sessionLines, path).toEqual([]); // not cleared, not replaced
        expect(res.headers.get('Clear-Site-Data')).toBeNull();
      }
      const newcomer = await srv.send('/login/newcomer', { method: 'POST' });
      expect(newcomer.status).toBe(503);
      expect(newcomer.sessionLines).toEqual([]);
    } finally {
      srv.store.down = false;
    }
    expect((await srv.send('/api/me', { token })).status).toBe(200);
    expect(await alive(token)).toBe(true);
  });

  it('item 43: an outage met inside a handler (a re-auth after the session expired) logs no stack per request', async () => {
    const signedIn = await srv.send('/login/outage-log?remember=1', { method: 'POST' });
    const remember = `${REMEMBER}=${signedIn.rememberToken}`;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    srv.store.down = true;
    try {
      const replies = await Promise.all(
        Array.from({ length: 10 }, () =>
          srv.send('/session/reauth', { method: 'POST', sameOrigin: true, cookies: [remember] }),
        ),
      );
      for (const res of replies) {
        expect([res.status, res.json.code]).toEqual([503, 'store_unavailable']);
        expect(res.headers.get('Retry-After')).toBe('1');
      }
      expect(errors).not.toHaveBeenCalled();
    } finally {
      srv.store.down = false;
      errors.mockRestore();
    }
    const back = await srv.send('/session/reauth', {
      method: 'POST',
      sameOrigin: true,
      cookies: [remember],
    });
    expect(back.status).toBe(200);
  });

  it('item 44: start-up fails with an error naming the option', () => {
    const bad: Array<[string, SessionOptions]> = [
      ['secret', { secret: 'too-short' }],
      ['cookie.sameSite', { cookie: { sameSite: 'None' } }],
      ['cookie.sameSite', { cookie: { sameSite: 'None', secure: 'auto' } }],
      ['absoluteTimeout', { idleTimeout: 60 * MINUTE, absoluteTimeout: 30 * MINUTE }],
      ['rotationGrace', { rotationGrace: 5 * MINUTE }],
      ['absoluteTimeout', { absoluteTimeout: 401 * DAY }], // the cookie's Max-Age
      ['idleTimeout', { idleTimeout: 401 * DAY, absoluteTimeout: 401 * DAY }],
    ];
    for (const [name, options] of bad) {
      let error: unknown;
      try {
        session(options);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(SessionOptionsError);
      expect((error as Error).message, name).toContain(`"${name}"`);
    }
    // The remember-me cookie's lifetime is capped the same way.
    expect(() =>
      rememberMe({ store: memoryStore(), findUser: () => null, maxAgeMs: 401 * DAY }),
    ).toThrow(/maxAgeMs/);
    expect(() =>
      rememberMe({ store: memoryStore(), findUser: () => null, secret: 'short' }),
    ).toThrow(/secret/);
    // And the good defaults start.
    expect(() => session()).not.toThrow();
  });
});
