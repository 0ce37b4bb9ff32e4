import { memoryStore, type SessionStore } from '@lifeline/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COOKIE,
  FRESH_MS,
  HOST_COOKIE,
  login,
  MINUTE,
  REMEMBER,
  sidOf,
  startServer,
  type TestServer,
} from './harness.js';

const IDLE = 30 * MINUTE;

/** A store whose first `parties` `listByUser` calls all wait until the last one arrives. */
function listingBarrier(inner: SessionStore, parties: number): SessionStore {
  const waiting: Array<() => void> = [];
  return {
    ...inner,
    async listByUser(userId) {
      if (waiting.length < parties) {
        await new Promise<void>((release) => {
          waiting.push(release);
          if (waiting.length === parties) for (const go of waiting) go();
        });
      }
      return inner.listByUser(userId);
    },
  };
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({
    session: { idleTimeout: IDLE, rotationInterval: 15 * MINUTE },
    routes: { freshFor: FRESH_MS },
  });
});
afterAll(() => srv.close());

async function alive(token: string, on = srv): Promise<boolean> {
  return (await on.send('/api/data', { token })).json.state === 'active';
}

const logout = (token: string | null, extra: Parameters<TestServer['send']>[1] = {}) =>
  srv.send('/session/logout', { method: 'POST', token, sameOrigin: true, ...extra });

describe('Termination and revocation', () => {
  it('7.4.1 / item 28: POST /logout deletes the server record; replaying the old cookie gets 401', async () => {
    const token = await login(srv, 'leaver');
    const sid = (await sidOf(srv, token)) as string;
    const out = await logout(token);
    expect(out.status).toBe(200);
    expect(out.json).toMatchObject({ state: 'none', reason: 'logged-out' });
    const record = await srv.manager.get(sid);
    expect(record?.ended?.reason).toBe('logged-out'); // a data-less tombstone
    expect(record?.data).toEqual({});
    const replay = await srv.send('/api/me', { token });
    expect(replay.status).toBe(401);
    expect(['session_revoked', 'session_expired']).toContain(replay.json.code);
    expect(replay.json.reason).toBe('logged-out');
    expect(replay.token).toBeUndefined();
  });

  it('14.3.1 / item 29: logout expires the cookie with the same name, prefix and path, and sends Clear-Site-Data', async () => {
    for (const https of [false, true]) {
      const set = await srv.send('/login/clearer', { method: 'POST', https });
      const out = await logout(set.token as string, { https });
      expect(out.sessionLines).toHaveLength(1);
      const attrs = (line: string) =>
        line
          .split(';')
          .slice(1)
          .map((a) => a.trim())
          .filter((a) => !a.startsWith('Max-Age'))
          .sort();
      const setLine = set.sessionLines[0] as string;
      const clearLine = out.sessionLines[0] as string;
      expect(clearLine.split('=')[0]).toBe(https ? HOST_COOKIE : COOKIE);
      expect(clearLine.split('=')[0]).toBe(setLine.split('=')[0]);
      expect(attrs(clearLine)).toEqual(attrs(setLine));
      expect(clearLine).toMatch(/; Max-Age=0(;|$)/);
      expect(out.token).toBe('');
      expect(out.headers.get('Clear-Site-Data')).toBe('"cookies"'); // never "cache" by default
    }
    const opted = await startServer({ session: { clearSiteData: ['cookies', 'storage'] } });
    try {
      const token = await login(opted, 'storage');
      const out = await opted.send('/session/logout', {
        method: 'POST',
        token,
        sameOrigin: true,
      });
      expect(out.headers.get('Clear-Site-Data')).toBe('"cookies", "storage"');
    } finally {
      await opted.close();
    }
  });

  it('3.5.1-3.5.3 / item 30: logout and extend are POST only, and cross-site or simple POSTs get 403 csrf_rejected', async () => {
    const token = await login(srv, 'csrf');
    const before = (await srv.send('/session/status', { token })).json;
    // Less than the touch interval (idle / 10): only an extend could move the deadline now.
    srv.clock.advance(MINUTE);
    for (const path of ['/session/logout', '/session/extend']) {
      const get = await srv.send(path, { token });
      expect(get.status).toBe(405);
      expect(get.headers.get('Allow')).toBe('POST');
      expect(get.token).toBeUndefined();
    }
    const cross: Array<[string, Record<string, string>]> = [
      ['bad Origin', { Origin: 'https://evil.example', 'Session-Request': '1' }],
      ['null Origin', { Origin: 'null', 'Session-Request': '1' }],
      ['Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site', 'Session-Request': '1' }],
      ['Sec-Fetch-Site same-site', { 'Sec-Fetch-Site': 'same-site', 'Session-Request': '1' }],
      [
        'cross-site with a same Origin',
        { 'Sec-Fetch-Site': 'cross-site', Origin: srv.base, 'Session-Request': '1' },
      ],
      ['no Origin at all', { 'Content-Type': 'application/json' }],
      [
        'simple form post',
        { Origin: srv.base, 'Content-Type': 'application/x-www-form-urlencoded' },
      ],
      ['simple text post', { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'text/plain' }],
    ];
    for (const path of ['/session/logout', '/session/extend', '/session/reauth']) {
      for (const [label, headers] of cross) {
        const res = await srv.send(path, { method: 'POST', token, headers, body: '{}' });
        expect(res.status, `${path} ${label}`).toBe(403);
        expect(res.json.code).toBe('csrf_rejected');
        expect(res.token).toBeUndefined();
      }
    }
    // Nothing happened: same deadlines, still alive.
    const after = (await srv.send('/session/status', { token })).json;
    expect(after.state).toBe('active');
    expect(after.idleExpiresAt).toBe(before.idleExpiresAt);
  });

  it('item 31: a slow request completing after a concurrent logout does not bring the session back', async () => {
    const token = await login(srv, 'slowpoke');
    const sid = (await sidOf(srv, token)) as string;
    const gate = srv.gate('after-logout');
    const slow = srv.send('/slow/after-logout', { method: 'POST', token });
    await gate.entered;
    expect((await logout(token)).status).toBe(200);
    gate.open();
    const late = await slow;
    expect(late.status).toBeLessThan(500);
    expect(late.token === undefined || late.token === '').toBe(true); // never the old cookie
    expect(await alive(token)).toBe(false);
    const record = await srv.manager.get(sid);
    expect(record?.ended?.reason).toBe('logged-out');
    expect(record?.data).toEqual({}); // the slow write did not land
  });

  it('7.4.3 / item 33: "revoke others" after a password change keeps the current session and kills the rest', async () => {
    const here = await login(srv, 'pw-user');
    const others = [await login(srv, 'pw-user'), await login(srv, 'pw-user')];
    const stranger = await login(srv, 'someone-else');
    const res = await srv.send('/account/password', {
      method: 'POST',
      token: here,
      sameOrigin: true,
    });
    expect(res.json).toEqual({ revoked: 2 });
    expect(await alive(here)).toBe(true);
    for (const t of others) expect(await alive(t)).toBe(false);
    expect(await alive(stranger)).toBe(true);
    // The mounted route does the same with { others: true }.
    const more = [await login(srv, 'pw-user'), await login(srv, 'pw-user')];
    const viaRoute = await srv.send('/session/sessions/revoke', {
      method: 'POST',
      token: here,
      sameOrigin: true,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ others: true }),
    });
    expect(viaRoute.json).toMatchObject({ revoked: 2, currentEnded: false });
    expect(await alive(here)).toBe(true);
    for (const t of more) expect(await alive(t)).toBe(false);
  });

  it("7.4.5 / item 34: an admin API ends one of a user's sessions, or all of them", async () => {
    const a = await login(srv, 'admin-target');
    const b = await login(srv, 'admin-target');
    const c = await login(srv, 'admin-target');
    const bystander = await login(srv, 'bystander');
    await srv.manager.revoke((await sidOf(srv, a)) as string);
    expect(await alive(a)).toBe(false);
    expect(await alive(b)).toBe(true);
    expect((await srv.send('/api/me', { token: a })).json).toMatchObject({
      code: 'session_revoked',
      reason: 'revoked',
    });
    expect(await srv.manager.revokeUser('admin-target')).toBe(2);
    expect(await alive(b)).toBe(false);
    expect(await alive(c)).toBe(false);
    expect(await alive(bystander)).toBe(true);
    expect(
      srv.events.filter((e) => e.type === 'revoked' && e.userId === 'admin-target'),
    ).toHaveLength(3);
  });

  it('7.4.5 / item 34: all sessions of every user end when the id-hashing secrets are replaced, remember-me credentials too', async () => {
    const store = memoryStore({ now: Date.now });
    const before = { session: { secret: 'a'.repeat(32) }, remember: { secret: 'r'.repeat(32) } };
    const first = await startServer({ store, ...before });
    const tokens = [await login(first, 'u1'), await login(first, 'u2')];
    let credential = (await first.send('/login/u3?remember=1', { method: 'POST' })).rememberToken;
    await first.close();
    const reauth = (on: TestServer) =>
      on.send('/session/reauth', {
        method: 'POST',
        sameOrigin: true,
        cookies: [`${REMEMBER}=${credential}`],
      });

    // Only the session key replaced: every session ends, but the credential still signs in.
    const newSession = { secret: 'b'.repeat(32) };
    const halfway = await startServer({ store, session: newSession, remember: before.remember });
    try {
      for (const t of tokens)
        expect((await halfway.send('/api/me', { token: t })).status).toBe(401);
      const back = await reauth(halfway);
      expect(back.status).toBe(200);
      credential = back.rememberToken;
    } finally {
      await halfway.close();
    }
    // Both keys replaced, as the docs say: the credential is unknown too.
    const second = await startServer({
      store,
      session: newSession,
      remember: { secret: 's'.repeat(32) },
    });
    try {
      expect((await reauth(second)).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('7.5.2 / item 35: a user lists their sessions and ends one or all after re-authenticating', async () => {
    const ua = { 'User-Agent': 'Audit/1.0 (Laptop)' };
    const phone = await login(srv, 'lister', { headers: { 'User-Agent': 'Audit/1.0 (Phone)' } });
    srv.clock.advance(MINUTE);
    const laptop = await login(srv, 'lister', { headers: ua });
    const list = await srv.send('/session/sessions', { token: laptop, headers: ua });
    expect(list.status).toBe(200);
    expect(list.headers.get('Cache-Control')).toBe('no-store');
    const sessions = list.json.sessions as Array<Record<string, unknown>>;
    expect(sessions).toHaveLength(2);
    for (const s of sessions) {
      expect(typeof s.id).toBe('string');
      expect(typeof s.createdAt).toBe('number');
      expect(typeof s.lastSeenAt).toBe('number');
      expect(String(s.userAgent)).toMatch(/^Audit\/1\.0 \((Phone|Laptop)\)$/);
      expect(list.text).not.toContain(phone);
      expect(list.text).not.toContain(laptop);
    }
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const phoneId = sessions.find((s) => !s.current)?.id as string;
    const revoke = (token: string, body: unknown) =>
      srv.send('/session/sessions/revoke', {
        method: 'POST',
        token,
        sameOrigin: true,
        headers: { ...ua, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Not fresh enough: the password must be entered again first.
    srv.clock.advance(FRESH_MS * 2);
    const stale = await revoke(laptop, { id: phoneId });
    expect(stale.status).toBe(401);
    expect(stale.json.code).toBe('reauth_required');
    expect(await alive(phone)).toBe(true);
    // After re-authentication (step-up) it works: one session, then all.
    const fresh = (await srv.send('/step-up', { method: 'POST', token: laptop, headers: ua }))
      .token as string;
    expect((await revoke(fresh, { id: phoneId })).json).toMatchObject({ revoked: 1 });
    expect(await alive(phone)).toBe(false);
    const again = await login(srv, 'lister', { headers: { 'User-Agent': 'Audit/1.0 (Phone)' } });
    const all = await revoke(fresh, { all: true });
    expect(all.json).toMatchObject({ revoked: 2, currentEnded: true });
    expect(all.token).toBe(''); // the current cookie is cleared
    expect(await alive(again)).toBe(false);
    expect(await alive(fresh)).toBe(false);
    // Another user's session id is not found, whatever it is.
    const mine = await login(srv, 'lister');
    const theirs = (await sidOf(srv, await login(srv, 'not-lister'))) as string;
    expect((await revoke(mine, { id: theirs })).status).toBe(404);
  });

  it('7.5.2 / item 35: ending one session also deletes that device’s remember-me credential', async () => {
    const phone = await srv.send('/login/one-device?remember=1', { method: 'POST' });
    const credential = phone.rememberToken as string;
    const phoneId = (await sidOf(srv, phone.token as string)) as string;
    const laptop = await login(srv, 'one-device');
    const revoked = await srv.send('/session/sessions/revoke', {
      method: 'POST',
      token: laptop,
      sameOrigin: true,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: phoneId }),
    });
    expect(revoked.json).toEqual({ revoked: 1, currentEnded: false });
    // The phone still sends its credential: it no longer signs the phone back in.
    const back = await srv.send('/session/reauth', {
      method: 'POST',
      sameOrigin: true,
      cookies: [`${REMEMBER}=${credential}`],
    });
    expect(back.status).toBe(401);
    expect(back.json.code).toBe('reauth_failed');
    expect(back.token).toBeUndefined();
    expect(await alive(laptop)).toBe(true);
  });

  it('7.5.2 / item 35: each listed session carries the coarse location the app supplies', async () => {
    // The app decides what "coarse" means: here a CDN-style country header.
    const located = await startServer({
      session: { location: (c) => c.req.header('X-Country') ?? null },
    });
    try {
      const token = await login(located, 'located', {
        headers: { 'User-Agent': 'Audit/1.0', 'X-Country': 'NL' },
      });
      const list = await located.send('/session/sessions', { token });
      const sessions = list.json.sessions as Array<Record<string, unknown>>;
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ location: 'NL', userAgent: 'Audit/1.0' });
    } finally {
      await located.close();
    }
  });

  it('7.5.2 / item 35: a failing location lookup leaves the location unknown, never fails the login', async () => {
    const broken = await startServer({
      session: {
        location: () => {
          throw new Error('GeoIP database missing');
        },
      },
    });
    try {
      const token = await login(broken, 'unlocated');
      const list = await broken.send('/session/sessions', { token });
      expect(list.status).toBe(200);
      expect((list.json.sessions as Array<Record<string, unknown>>)[0]).toMatchObject({
        location: null,
      });
    } finally {
      await broken.close();
    }
  });

  it('7.1.2 / item 36: the concurrent-session limit evicts the oldest, or refuses, as configured', async () => {
    const evicting = await startServer({ session: { maxSessionsPerUser: 2 } });
    const refusing = await startServer({
      session: { maxSessionsPerUser: 2, onSessionLimit: 'refuse' },
    });
    try {
      const [e1, e2] = [await login(evicting, 'limited'), await login(evicting, 'limited')];
      evicting.clock.advance(1000);
      const e3 = await login(evicting, 'limited');
      expect(await alive(e1 as string, evicting)).toBe(false);
      expect(await alive(e2 as string, evicting)).toBe(true);
      expect(await alive(e3, evicting)).toBe(true);
      expect((await evicting.manager.listForUser('limited')).length).toBe(2);

      const [r1, r2] = [await login(refusing, 'limited'), await login(refusing, 'limited')];
      const refused = await refusing.send('/login/limited', { method: 'POST' });
      expect(refused.status).toBe(409);
      expect(refused.json.code).toBe('session_limit');
      expect(refused.token).toBeUndefined();
      expect(await alive(r1 as string, refusing)).toBe(true);
      expect(await alive(r2 as string, refusing)).toBe(true);
    } finally {
      await evicting.close();
      await refusing.close();
    }
  });

  it('7.1.2 / item 36: six parallel logins never leave more live sessions than the limit', async () => {
    for (const onSessionLimit of ['evict-oldest', 'refuse'] as const) {
      // The worst interleaving, forced: all six logins look before any of them creates.
      const store = listingBarrier(memoryStore({ now: Date.now }), 6);
      const on = await startServer({ store, session: { maxSessionsPerUser: 2, onSessionLimit } });
      try {
        const replies = await Promise.all(
          Array.from({ length: 6 }, () => on.send('/login/racer', { method: 'POST' })),
        );
        for (const r of replies) expect([200, 409]).toContain(r.status);
        const live = await on.manager.listForUser('racer');
        expect(live.length, onSessionLimit).toBeLessThanOrEqual(2);
        // Refusing never ends another login's session: every login answered 200 is live.
        const accepted = replies.filter((r) => r.status === 200);
        if (onSessionLimit === 'refuse') expect(live.length).toBe(accepted.length);
        else expect(accepted.length).toBe(6);
      } finally {
        await on.close();
      }
    }
  });
});
