import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore, type SessionStore } from '@lifeline/server';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import { createDemoApp } from './app.js';
import { loadConfig } from './config.js';
import { demo, MIN, ORIGIN } from './test-client.js';

describe('demo: lifecycle', () => {
  it('never moves the idle deadline for /api/notifications, while /api/me does', async () => {
    const d = demo();
    await d.login();
    const { idleExpiresAt } = await d.status();
    d.advance(10 * MIN);
    expect((await d.send('GET', '/api/notifications')).status).toBe(200);
    expect((await d.status()).idleExpiresAt).toBe(idleExpiresAt);
    await d.send('GET', '/api/me');
    expect((await d.status()).idleExpiresAt).toBeGreaterThan(idleExpiresAt);
  });

  it('expires an idle session despite polling, with session_expired', async () => {
    const d = demo({ idleTimeoutMs: 5 * MIN });
    await d.login();
    for (let i = 0; i < 5; i++) {
      d.advance(MIN + 1);
      await d.send('GET', '/api/notifications');
    }
    const res = await d.send('GET', '/api/notifications');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_expired', reason: 'idle-timeout' });
  });

  it('signs back in silently with remember-me after the session expired', async () => {
    const d = demo();
    await d.login(true);
    d.advance(31 * MIN);
    expect((await d.send('GET', '/api/me')).status).toBe(401);
    const reauth = await d.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    expect(reauth.status).toBe(200);
    const me = await d.send('GET', '/api/me');
    expect(await me.json()).toMatchObject({ userId: 'demo' });
    // The account's data must not sit in a shared or browser cache after the session ends.
    expect(me.headers.get('Cache-Control')).toBe('no-store');
  });

  it('ends the user’s sessions everywhere when a stolen remember-me cookie is replayed', async () => {
    const victim = demo();
    await victim.login(true);
    const stolen = victim.jar.get('lifeline_remember')!;
    victim.advance(31 * MIN);
    // The victim comes back first: the credential rotates.
    await victim.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    expect((await victim.send('GET', '/api/me')).status).toBe(200);
    // The thief replays the old copy against the same server, once the replaced cookie's
    // grace window for parallel uses (10 s) is over.
    victim.advance(10_000);
    const replay = await victim.app.request(`${ORIGIN}/session/reauth`, {
      method: 'POST',
      headers: {
        'Session-Request': '1',
        'Sec-Fetch-Site': 'same-origin',
        Cookie: `lifeline_remember=${stolen}`,
      },
    });
    expect(replay.status).toBe(401);
    const me = await victim.send('GET', '/api/me');
    expect(await me.json()).toMatchObject({ code: 'session_revoked' });
  });

  it('logs out: the API refuses the session and remember-me no longer signs back in', async () => {
    const d = demo();
    await d.login(true);
    const res = await d.send('POST', '/session/logout', { headers: { 'Session-Request': '1' } });
    expect(await res.json()).toMatchObject({ state: 'none', reason: 'logged-out' });
    expect(d.jar.size).toBe(0);
    expect((await d.send('GET', '/api/me')).status).toBe(401);
    const reauth = await d.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    expect(reauth.status).toBe(401);
  });

  it("shows a signed-in visitor their own account's lifecycle events, without tokens or ids", async () => {
    const d = demo();
    await d.login(true);
    d.advance(31 * MIN);
    await d.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    const res = await d.send('GET', '/api/events');
    const text = await res.text();
    const { events } = JSON.parse(text);
    const kinds = events.map((e: { source: string; type: string }) => `${e.source}:${e.type}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['remember:issued', 'remember:used', 'session:reauthenticated']),
    );
    expect(events.find((e: { type: string }) => e.type === 'expired')).toMatchObject({
      reason: 'idle-timeout',
    });
    for (const value of d.jar.values()) expect(text).not.toContain(value);
    const allowed = ['at', 'type', 'source', 'reason', 'detail'];
    for (const e of events) expect(allowed).toEqual(expect.arrayContaining(Object.keys(e)));
    // Signed out, the log is not for anyone to read.
    await d.send('POST', '/session/logout', { headers: { 'Session-Request': '1' } });
    expect((await d.send('GET', '/api/events')).status).toBe(401);
  });
});

describe('demo: page support', () => {
  it('tells the page its timeouts and warning lead, from the environment', async () => {
    const config = loadConfig({
      IDLE_TIMEOUT_S: '60',
      ABSOLUTE_TIMEOUT_S: '600',
      WARN_BEFORE_S: '20',
    });
    const app = createDemoApp(config);
    expect(await (await app.request('/api/config')).json()).toEqual({
      idleTimeoutS: 60,
      absoluteTimeoutS: 600,
      warnBeforeS: 20,
    });
  });

  it('gives the one-tag page (/plain) the configured warning lead', async () => {
    const config = loadConfig({ IDLE_TIMEOUT_S: '60', WARN_BEFORE_S: '20' });
    const app = createDemoApp(config, { clientScript: 'void 0;' });
    const html = await (await app.request('/plain')).text();
    expect(html).toContain('src="/session/client.js"');
    expect(html).toContain('data-warn-before="20"');
  });
});

describe('demo: errors are problem+json', () => {
  const problem = async (res: Response) => {
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    return res.json();
  };

  it('answers an unknown path with 404 invalid_request, at the top and under /api and /session', async () => {
    const d = demo();
    for (const path of ['/nope', '/api/nope', '/session/nope']) {
      const res = await d.send('GET', path);
      expect(res.status).toBe(404);
      expect(await problem(res)).toMatchObject({ status: 404, code: 'invalid_request' });
    }
  });

  it('answers a missing or oddly named page asset with a 404 problem', async () => {
    const root = mkdtempSync(join(tmpdir(), 'demo-web-'));
    try {
      const app = createDemoApp(loadConfig({}), { webRoot: root });
      for (const path of ['/assets/missing.js', '/assets/.hidden.js']) {
        const res = await app.request(path);
        expect(res.status).toBe(404);
        expect(await problem(res)).toMatchObject({ code: 'invalid_request' });
      }
      const wrong = await app.request('/assets/index.js', { method: 'DELETE' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('Allow')).toBe('GET, HEAD');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('serves page assets, cached for a year, without anyone’s deadlines or cookie', async () => {
    const root = mkdtempSync(join(tmpdir(), 'demo-web-'));
    try {
      mkdirSync(join(root, 'assets'));
      writeFileSync(join(root, 'assets', 'index-abc123.js'), 'export {};');
      const d = demo({}, root);
      await d.login();
      d.advance(20 * MIN); // a touch and a rotation are due
      const asset = await d.send('GET', '/assets/index-abc123.js');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('Session-Deadline')).toBeNull();
      expect(asset.headers.getSetCookie()).toEqual([]);
      // The session itself is untouched by it, and still there for the page.
      expect((await d.send('GET', '/api/me')).headers.get('Session-Deadline')).not.toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('answers a wrong method with 405 invalid_request and Allow, without extending the session', async () => {
    const d = demo();
    await d.login();
    const { idleExpiresAt } = await d.status();
    d.advance(10 * MIN);
    const cases: [string, string, string][] = [
      ['GET', '/login', 'POST'],
      ['DELETE', '/', 'GET, HEAD'],
      ['POST', '/plain', 'GET, HEAD'],
      ['PUT', '/api/me', 'GET, HEAD'],
      ['POST', '/api/notifications', 'GET, HEAD'],
      ['GET', '/api/cart', 'POST'],
      ['DELETE', '/api/events', 'GET, HEAD'],
      ['PATCH', '/api/config', 'GET, HEAD'],
      ['GET', '/session/logout', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await d.send(method, path);
      expect([method, path, res.status]).toEqual([method, path, 405]);
      expect(res.headers.get('Allow')).toBe(allow);
      expect(await problem(res)).toMatchObject({ status: 405, code: 'invalid_request' });
    }
    expect((await d.status()).idleExpiresAt).toBe(idleExpiresAt);
  });

  it('answers an unexpected error with 500 internal_error, logging it but never sending its message or stack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const d = demo();
      const error = new Error('cannot open /srv/secrets/db.key for user=admin');
      d.app.get('/boom', () => {
        throw error;
      });
      const res = await d.send('GET', '/boom');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        type: 'urn:lifeline:problem:internal_error',
        title: 'Something went wrong on our side',
        status: 500,
        code: 'internal_error',
      });
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(text).not.toMatch(/secrets|admin|at /);
      expect(logged).toHaveBeenCalledWith('GET /boom failed:', error);
    } finally {
      logged.mockRestore();
    }
  });

  it('logs nothing for a cookie-less re-auth during a store outage, answering 503 each time', async () => {
    let time = 1_700_000_000_000;
    const now = () => time;
    const inner = memoryStore({ now });
    let down = false;
    const store = new Proxy(inner, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          down ? Promise.reject(new Error('connection lost')) : value.apply(target, args);
      },
    }) as SessionStore;
    const app = createDemoApp(loadConfig({}), { now, store });
    const headers = { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' };
    const login = await app.request(`${ORIGIN}/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'demo', password: 'demo', remember: true }),
    });
    const remember = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0]!)
      .find((pair) => pair.startsWith('lifeline_remember='))!;
    time += 31 * MIN; // the session expired: the page re-authenticates without its cookie
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    down = true;
    try {
      for (let i = 0; i < 5; i++) {
        const res = await app.request(`${ORIGIN}/session/reauth`, {
          method: 'POST',
          headers: { ...headers, 'Session-Request': '1', Cookie: remember },
        });
        expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([
          503,
          'store_unavailable',
        ]);
      }
      expect(logged).not.toHaveBeenCalled();
    } finally {
      down = false;
      logged.mockRestore();
    }
  });

  it("answers a route's HTTPException with its own 4xx status as invalid_request, not a 500", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const d = demo();
      d.app.get('/claims/:id', () => {
        throw new HTTPException(403, { message: 'not your claim' });
      });
      const res = await d.send('GET', '/claims/7');
      expect(res.status).toBe(403);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await problem(res)).toMatchObject({
        status: 403,
        code: 'invalid_request',
        detail: 'not your claim',
      });
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});
