import { describe, expect, it } from 'vitest';
import { createDemoApp } from './app.js';
import { type DemoConfig, loadConfig } from './config.js';

const MIN = 60_000;
const ORIGIN = 'http://localhost';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** The demo app with a hand-driven clock and a cookie-keeping, same-origin client. */
function demo(overrides: Partial<DemoConfig> = {}) {
  let time = 1_700_000_000_000;
  const app = createDemoApp({ ...loadConfig({}), ...overrides }, { now: () => time });
  const jar = new Map<string, string>();
  async function send(method: string, path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('Sec-Fetch-Site')) headers.set('Sec-Fetch-Site', 'same-origin');
    if (!headers.has('Origin')) headers.set('Origin', ORIGIN);
    if (jar.size > 0) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await app.request(`${ORIGIN}${path}`, { ...init, method, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const name = pair.slice(0, pair.indexOf('='));
      if (/Max-Age=0(;|$)/.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(name.length + 1));
    }
    return res;
  }
  const postJson = (path: string, body: unknown) =>
    send('POST', path, { body: JSON.stringify(body), headers: JSON_HEADERS });
  const login = (remember = false) =>
    postJson('/login', { username: 'demo', password: 'demo', remember });
  const status = async () => (await send('GET', '/session/status')).json();
  return { app, jar, send, postJson, login, status, advance: (ms: number) => (time += ms) };
}

describe('demo: signing in and using the API', () => {
  it('logs in with JSON, then reads /api/me and fills the cart kept in the session', async () => {
    const d = demo();
    const res = await d.login();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: 'active', user: { username: 'demo' } });
    expect(await (await d.send('GET', '/api/me')).json()).toEqual({
      userId: 'demo',
      user: { username: 'demo', name: 'Demo User' },
    });
    expect(await (await d.postJson('/api/cart', { item: 'book' })).json()).toEqual({
      cart: ['book'],
    });
    expect(await (await d.postJson('/api/cart', { item: ' pen ' })).json()).toEqual({
      cart: ['book', 'pen'],
    });
  });

  it('logs in with a plain HTML form and redirects to the page', async () => {
    const d = demo();
    const res = await d.send('POST', '/login', {
      body: new URLSearchParams({ username: 'demo', password: 'demo', remember: 'on' }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/');
    expect(d.jar.has('lifeline_remember')).toBe(true);
    const page = await (await d.send('GET', '/')).text();
    expect(page).toContain('Signed in as Demo User');
  });

  it('serves the sign-in page when signed out, under a nonce-based CSP and no-store', async () => {
    const res = await demo().send('GET', '/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/login">');
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('answers wrong credentials with 401: a problem for JSON, the page with a message for a form', async () => {
    const d = demo();
    const json = await d.postJson('/login', { username: 'demo', password: 'nope' });
    expect(json.status).toBe(401);
    expect(await json.json()).toMatchObject({ code: 'invalid_request', status: 401 });
    const form = await d.send('POST', '/login', {
      body: new URLSearchParams({ username: 'demo', password: 'nope' }),
    });
    expect(form.status).toBe(401);
    expect(await form.text()).toContain('Wrong username or password.');
    expect(d.jar.has('lifeline')).toBe(false);
  });
});

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
    expect(await (await d.send('GET', '/api/me')).json()).toMatchObject({ userId: 'demo' });
  });

  it('ends the user’s sessions everywhere when a stolen remember-me cookie is replayed', async () => {
    const victim = demo();
    await victim.login(true);
    const stolen = victim.jar.get('lifeline_remember')!;
    victim.advance(31 * MIN);
    // The victim comes back first: the credential rotates.
    await victim.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    expect((await victim.send('GET', '/api/me')).status).toBe(200);
    // The thief replays the old copy against the same server.
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

  it('logs lifecycle events with reasons for the page, without tokens', async () => {
    const d = demo();
    await d.login(true);
    await d.send('POST', '/session/logout', { headers: { 'Session-Request': '1' } });
    const res = await d.send('GET', '/api/events');
    const text = await res.text();
    const { events } = JSON.parse(text);
    const kinds = events.map((e: { source: string; type: string }) => `${e.source}:${e.type}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['session:created', 'remember:issued', 'session:destroyed']),
    );
    for (const value of d.jar.values()) expect(text).not.toContain(value);
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
});

describe('demo: bad input', () => {
  it('answers malformed login bodies with 4xx problems', async () => {
    const d = demo();
    const cases: Array<[RequestInit, number]> = [
      [{ body: '{"username":"demo"}', headers: JSON_HEADERS }, 400],
      [{ body: '{"username":"demo","password":"demo","admin":true}', headers: JSON_HEADERS }, 400],
      [{ body: '{oops', headers: JSON_HEADERS }, 400],
      [
        { body: 'demo:demo', headers: { 'Content-Type': 'text/plain', 'Session-Request': '1' } },
        415,
      ],
      [{ body: new URLSearchParams({ username: 'demo', password: 'x'.repeat(5000) }) }, 413],
      [{ body: new URLSearchParams({ username: 'demo' }) }, 400],
    ];
    for (const [init, status] of cases) {
      const res = await d.send('POST', '/login', init);
      expect(res.status).toBe(status);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    }
  });

  it('refuses a cross-site login form (login CSRF)', async () => {
    const res = await demo().send('POST', '/login', {
      body: new URLSearchParams({ username: 'demo', password: 'demo' }),
      headers: { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.test' },
    });
    expect(res.status).toBe(403);
  });

  it('validates cart items and refuses forged or anonymous cart posts', async () => {
    const d = demo();
    expect((await d.postJson('/api/cart', { item: 'x' })).status).toBe(401);
    await d.login();
    for (const body of [{}, { item: '' }, { item: 'x', qty: 2 }, { item: 'x'.repeat(101) }]) {
      expect((await d.postJson('/api/cart', body)).status).toBe(400);
    }
    const forged = await d.send('POST', '/api/cart', {
      body: new URLSearchParams({ item: 'x' }),
    });
    expect(forged.status).toBe(403);
  });
});
