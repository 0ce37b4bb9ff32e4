import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COOKIE,
  HOST_COOKIE,
  login,
  MINUTE,
  type Reply,
  startServer,
  type TestServer,
} from './harness.js';

// HTTPS: no certificate here, so "over HTTPS" means a trusted proxy (`trustProxy: true`)
// forwarding `X-Forwarded-Proto: https`, the way TLS usually ends in production.

const DAY = 24 * 60 * MINUTE;
const MAX_AGE_CAP_S = 34_560_000; // 400 days

/** A Set-Cookie line split into its name, value and attributes (lower-cased keys). */
function parse(line: string) {
  const [pair = '', ...rest] = line.split(';').map((p) => p.trim());
  const eq = pair.indexOf('=');
  const attrs = new Map<string, string>();
  for (const a of rest) {
    const i = a.indexOf('=');
    attrs.set((i === -1 ? a : a.slice(0, i)).toLowerCase(), i === -1 ? '' : a.slice(i + 1));
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs };
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ session: { rotationInterval: 15 * MINUTE, idleTimeout: 30 * MINUTE } });
});
afterAll(() => srv.close());

describe('Cookie attributes', () => {
  it('3.3.1, 3.3.3, 3.3.4 / item 7: over HTTPS the cookie is __Host-, Secure, HttpOnly, Path=/ with no Domain', async () => {
    const lines: string[] = [];
    const collect = (r: Reply) => {
      lines.push(...r.sessionLines);
      return r;
    };
    const token = collect(await srv.send('/login/https-user', { method: 'POST', https: true }))
      .token as string;
    collect(await srv.send('/visit', { method: 'POST', https: true, token }));
    srv.clock.advance(15 * MINUTE + 1);
    const next = collect(await srv.send('/api/data', { https: true, token })).token as string;
    expect(next).not.toBe(token);
    collect(
      await srv.send('/session/logout', {
        method: 'POST',
        https: true,
        token: next,
        sameOrigin: true,
      }),
    );
    expect(lines.length).toBe(3); // set, rotate, clear
    for (const line of lines) {
      const c = parse(line);
      expect(c.name).toBe(HOST_COOKIE);
      expect(c.attrs.has('secure')).toBe(true);
      expect(c.attrs.has('httponly')).toBe(true);
      expect(c.attrs.get('path')).toBe('/');
      expect(c.attrs.has('domain')).toBe(false);
    }
    // The plain-named cookie is not accepted over HTTPS (a subdomain could have planted it).
    const plain = await srv.send('/api/me', { cookies: [`${COOKIE}=${next}`], https: true });
    expect(plain.status).toBe(401);
  });

  it('item 7: over HTTPS every cookie Lifeline sets is __Host- and Secure, the remember-me credential too', async () => {
    // rememberMe() is left at its defaults (no trustProxy of its own): it follows session().
    const signIn = await srv.send('/login/https-remembered?remember=1', {
      method: 'POST',
      https: true,
    });
    const credential = signIn.rememberToken as string;
    const reauth = await srv.send('/session/reauth', {
      method: 'POST',
      https: true,
      sameOrigin: true,
      cookies: [`__Host-lifeline_remember=${credential}`],
    });
    expect(reauth.status).toBe(200);
    const logout = await srv.send('/session/logout', {
      method: 'POST',
      https: true,
      sameOrigin: true,
      token: reauth.token as string,
      cookies: [`__Host-lifeline_remember=${reauth.rememberToken}`],
    });
    const lines = [signIn, reauth, logout].flatMap((r) => r.setCookies);
    // Set and rotated (session and credential) at sign-in and re-auth, both cleared at
    // logout with the renewal receipt (docs/design-decisions.md).
    expect(lines.length).toBe(7);
    expect(lines.filter((l) => l.startsWith('__Host-lifeline-renewed=')).length).toBe(1);
    for (const line of lines) {
      const c = parse(line);
      expect(c.name.startsWith('__Host-'), line).toBe(true);
      expect(c.attrs.has('secure'), line).toBe(true);
      expect(c.attrs.has('httponly'), line).toBe(true);
    }
  });

  it('item 7 (development): on plain http the name has no prefix and no Secure; X-Forwarded-Proto counts only when trusted', async () => {
    const dev = await srv.send('/visit', { method: 'POST' });
    const c = parse(dev.sessionLines[0] ?? '');
    expect(c.name).toBe(COOKIE);
    expect(c.attrs.has('secure')).toBe(false);
    expect(c.attrs.has('httponly')).toBe(true);
    const untrusting = await startServer({ session: { trustProxy: false } });
    try {
      const res = await untrusting.send('/visit', { method: 'POST', https: true });
      expect(parse(res.sessionLines[0] ?? '').name).toBe(COOKIE);
    } finally {
      await untrusting.close();
    }
  });

  it('3.3.2 / item 8: SameSite is always explicit: Lax by default, Strict when configured, None only with Secure', async () => {
    const lax = await srv.send('/visit', { method: 'POST' });
    expect(parse(lax.sessionLines[0] ?? '').attrs.get('samesite')).toBe('Lax');
    const strictSrv = await startServer({ session: { cookie: { sameSite: 'Strict' } } });
    const noneSrv = await startServer({ session: { cookie: { sameSite: 'None', secure: true } } });
    try {
      const lines = [
        ...(await strictSrv.send('/visit', { method: 'POST' })).sessionLines,
        ...(await noneSrv.send('/visit', { method: 'POST' })).sessionLines,
      ];
      expect(lines.map((l) => parse(l).attrs.get('samesite'))).toEqual(['Strict', 'None']);
      const none = parse(lines[1] ?? '');
      expect(none.attrs.has('secure')).toBe(true);
      expect(none.name).toBe(HOST_COOKIE);
      // Cleared cookies say SameSite too.
      const token = await login(strictSrv, 'strict');
      const out = await strictSrv.send('/session/logout', {
        method: 'POST',
        token,
        sameOrigin: true,
      });
      expect(parse(out.sessionLines[0] ?? '').attrs.get('samesite')).toBe('Strict');
    } finally {
      await strictSrv.close();
      await noneSrv.close();
    }
    await expect(startServer({ session: { cookie: { sameSite: 'None' } } })).rejects.toThrow(
      /cookie\.sameSite/,
    );
  });

  it('3.3.5, RFC 6265bis / item 9: name + value fit in 4096 bytes and Max-Age never exceeds 400 days', async () => {
    const long = await startServer({
      session: {
        idleTimeout: 400 * DAY,
        absoluteTimeout: 400 * DAY,
        cookie: { name: 'n'.repeat(64) },
      },
    });
    try {
      const token = await long.send('/login/long-lived?remember=1', {
        method: 'POST',
        https: true,
      });
      expect(token.setCookies.length).toBe(2);
      for (const line of token.setCookies) {
        const c = parse(line);
        expect(new TextEncoder().encode(`${c.name}=${c.value}`).length).toBeLessThanOrEqual(4096);
        const maxAge = Number(c.attrs.get('max-age'));
        expect(maxAge).toBeGreaterThan(0);
        expect(maxAge).toBeLessThanOrEqual(MAX_AGE_CAP_S);
        expect(c.attrs.has('expires')).toBe(false);
      }
      const own = token.setCookies.find((l) => l.startsWith(`__Host-${'n'.repeat(64)}=`));
      expect(Number(parse(own ?? '').attrs.get('max-age'))).toBe(MAX_AGE_CAP_S);
    } finally {
      await long.close();
    }
  });

  it('honojs/hono #4445 / item 10: at most one Set-Cookie per session cookie name, even when a request slides, rotates and the handler sets one', async () => {
    const token = await login(srv, 'one-cookie');
    // Past the touch interval and the rotation interval, and the handler writes data and
    // appends its own session-named cookie.
    srv.clock.advance(15 * MINUTE + 1);
    const res = await srv.send('/meddle', { method: 'POST', token });
    expect(res.status).toBe(200);
    const names = res.setCookies.map((l) => parse(l).name);
    expect(names.filter((n) => n === COOKIE || n === HOST_COOKIE)).toHaveLength(1);
    expect(res.token).toMatch(/^[\w-]{43}$/);
    expect(res.token).not.toBe('meddled');
    expect(res.token).not.toBe(token);
    // Every kind of response: create, login over an anonymous session, logout.
    const anon = await srv.send('/visit', { method: 'POST' });
    const logged = await srv.send('/login/one-cookie', { method: 'POST', token: anon.token });
    const out = await srv.send('/session/logout', {
      method: 'POST',
      token: logged.token,
      sameOrigin: true,
    });
    for (const r of [anon, logged, out]) expect(r.sessionLines).toHaveLength(1);
  });

  it('14.3.2 / item 11: every response that sets, rotates or clears the cookie, and every /status, has Cache-Control: no-store', async () => {
    const replies: Reply[] = [];
    const keep = (r: Reply) => {
      replies.push(r);
      return r;
    };
    const anon = keep(await srv.send('/visit', { method: 'POST' }));
    const token = keep(await srv.send('/login/no-store', { method: 'POST', token: anon.token }))
      .token as string;
    srv.clock.advance(15 * MINUTE + 1);
    const next = keep(await srv.send('/api/data', { token })).token as string;
    keep(await srv.send('/session/status', { token: next }));
    keep(await srv.send('/session/status'));
    keep(await srv.send('/session/extend', { method: 'POST', token: next, sameOrigin: true }));
    keep(await srv.send('/session/logout', { method: 'POST', token: next, sameOrigin: true }));
    keep(await srv.send('/session/status', { token: next }));
    const setting = replies.filter((r) => r.sessionLines.length > 0);
    expect(setting.length).toBe(4); // create, login, rotate, clear
    for (const r of replies) {
      const sets = r.sessionLines.length > 0;
      const isStatus = 'state' in r.json && 'idleTimeoutMs' in r.json;
      if (sets || isStatus) expect(r.headers.get('Cache-Control')).toBe('no-store');
    }
  });
});
