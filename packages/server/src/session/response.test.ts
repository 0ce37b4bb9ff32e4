import { setCookie } from 'hono/cookie';
import { etag } from 'hono/etag';
import { describe, expect, it } from 'vitest';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

describe('the session cookie on the response', () => {
  it('is the only Set-Cookie of its name even when a handler also set it', async () => {
    const t = testApp();
    t.app.post('/sneaky', (c) => {
      setCookie(c, 'lifeline', 'forged');
      setCookie(c, 'theme', 'dark');
      c.var.session.set('k', 'v');
      return c.text('ok');
    });
    const res = await t.app.request('/sneaky', { method: 'POST' });
    const lines = res.headers.getSetCookie();
    expect(lines.filter((l) => l.startsWith('lifeline='))).toHaveLength(1);
    expect(sessionCookie(res)).not.toBe('forged');
    expect(lines.some((l) => l.startsWith('theme=dark'))).toBe(true);
  });

  it('strips a handler’s session cookie even when the middleware sets none', async () => {
    const t = testApp();
    t.app.get('/sneaky', (c) => {
      setCookie(c, 'lifeline', 'forged');
      return c.text('ok');
    });
    expect((await t.app.request('/sneaky')).headers.getSetCookie()).toEqual([]);
  });

  it('uses __Host-, Secure, HttpOnly, Path=/, SameSite and no Domain over HTTPS', async () => {
    const t = testApp();
    const res = await t.app.request('https://app.example/login/ada', { method: 'POST' });
    const [line] = res.headers.getSetCookie();
    expect(line).toMatch(
      /^__Host-lifeline=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/,
    );
    const token = sessionCookie(res, '__Host-lifeline')!;
    // Over HTTPS only the prefixed name is read.
    const plain = await t.app.request('https://app.example/read', withCookie(token));
    expect(await plain.json()).toMatchObject({ state: 'none' });
    const hosted = await t.app.request(
      'https://app.example/read',
      withCookie(token, {}, '__Host-lifeline'),
    );
    expect(await hosted.json()).toMatchObject({ state: 'active' });
  });

  it('trusts X-Forwarded-Proto only when trustProxy is set', async () => {
    const headers = { 'X-Forwarded-Proto': 'https' };
    const untrusted = await testApp().app.request('/login/ada', { method: 'POST', headers });
    expect(untrusted.headers.getSetCookie()[0]).toMatch(/^lifeline=.*SameSite=Lax$/);
    const trusted = await testApp({ trustProxy: true }).app.request('/login/ada', {
      method: 'POST',
      headers,
    });
    expect(trusted.headers.getSetCookie()[0]).toMatch(/^__Host-lifeline=.*; Secure$/);
  });

  it('uses SameSite=Strict when configured', async () => {
    const res = await testApp({ cookie: { sameSite: 'Strict' } }).app.request('/login/ada', {
      method: 'POST',
    });
    expect(res.headers.getSetCookie()[0]).toContain('SameSite=Strict');
  });

  it('marks responses that set the cookie no-store, and leaves others alone', async () => {
    const t = testApp();
    const login = await t.app.request('/login/ada', { method: 'POST' });
    expect(login.headers.get('Cache-Control')).toBe('no-store');
    const read = await t.app.request('/read', withCookie(sessionCookie(login)!));
    expect(read.headers.get('Cache-Control')).toBeNull();
  });

  it('drops CDN-targeted caching from a response that sets the cookie, which would outrank no-store there', async () => {
    const t = testApp();
    const cdn = {
      'Cache-Control': 'public, max-age=600',
      'CDN-Cache-Control': 'max-age=600',
      'Cloudflare-CDN-Cache-Control': 'max-age=600',
      'Surrogate-Control': 'max-age=600',
    };
    t.app.post('/cart', (c) => {
      c.var.session.set('cart', ['tea']);
      return c.text('added', 200, cdn);
    });
    t.app.get('/cached', (c) => c.text('page', 200, cdn));
    const created = await t.app.request('/cart', { method: 'POST' });
    expect(created.headers.getSetCookie()).toHaveLength(1);
    expect(created.headers.get('Cache-Control')).toBe('no-store');
    for (const name of ['CDN-Cache-Control', 'Cloudflare-CDN-Cache-Control', 'Surrogate-Control']) {
      expect(created.headers.get(name), name).toBeNull();
    }
    // A response that sets no cookie keeps the app's caching, targeted or not.
    const page = await t.app.request('/cached', withCookie(sessionCookie(created)!));
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(Object.fromEntries(Object.keys(cdn).map((n) => [n, page.headers.get(n)]))).toEqual(cdn);
  });

  it('clears the cookie on destroy() with identical attributes and Clear-Site-Data', async () => {
    const t = testApp({ clearSiteData: ['cookies', 'storage'] });
    const login = await t.app.request('https://app.example/login/ada', { method: 'POST' });
    const token = sessionCookie(login, '__Host-lifeline')!;
    const res = await t.app.request(
      'https://app.example/logout',
      withCookie(token, { method: 'POST' }, '__Host-lifeline'),
    );
    // The renewal receipt goes with it (docs/design-decisions.md).
    expect(res.headers.getSetCookie()).toEqual([
      '__Host-lifeline=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure',
      '__Host-lifeline-renewed=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure',
    ]);
    expect(res.headers.get('Clear-Site-Data')).toBe('"cookies", "storage"');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: 'destroyed', reason: 'logged-out' }),
    );
  });

  it('sends Clear-Site-Data "cookies" only by default, never "cache"', async () => {
    const t = testApp();
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    const res = await t.app.request('/logout', withCookie(token, { method: 'POST' }));
    expect(res.headers.get('Clear-Site-Data')).toBe('"cookies"');
  });

  it('keeps the cookie work on a response with immutable headers', async () => {
    const t = testApp();
    t.app.post('/go', async (c) => {
      await c.var.session.regenerate({ userId: 'ada' });
      return Response.redirect('https://app.example/home', 303);
    });
    const res = await t.app.request('/go', { method: 'POST' });
    expect(res.status).toBe(303);
    expect(sessionCookie(res)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('Location')).toBe('https://app.example/home');
  });

  it('answers a response with immutable headers that sets no cookie, with or without a session', async () => {
    const t = testApp();
    // Response.redirect() (like a proxied fetch() response) has immutable headers.
    t.app.get('/away', () => Response.redirect('https://app.example/home', 302));
    const anonymous = await t.app.request('/away');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('Session-Deadline')).toBeNull();
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    const live = await t.app.request('/away', withCookie(token));
    expect(live.status).toBe(302);
    expect(live.headers.get('Location')).toBe('https://app.example/home');
    expect(live.headers.get('Session-Deadline')).toMatch(/^idle=\d+, absolute=\d+, now=\d+$/);
    expect(live.headers.getSetCookie()).toEqual([]);
  });
});

const DEADLINE = /^idle=\d+, absolute=\d+, now=\d+$/;

describe('Session-Deadline on a response a cache may reuse', () => {
  /** Answers `/cached` with `headers`, to a signed-in request. */
  async function cachedRead(headers: Record<string, string>) {
    const t = testApp();
    t.app.get('/cached', (c) => c.json({ ok: true }, 200, headers));
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    return t.app.request('/cached', withCookie(token));
  }

  it.each([
    ['Cache-Control: private, max-age=60', { 'Cache-Control': 'private, max-age=60' }],
    ['Cache-Control: public, max-age=3600', { 'Cache-Control': 'public, max-age=3600' }],
    [
      'private and Last-Modified (heuristic freshness)',
      { 'Cache-Control': 'private', 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' },
    ],
    ['max-age=60 first, max-age=0 repeated', { 'Cache-Control': 'max-age=60, max-age=0' }],
    ['Expires, no Cache-Control', { Expires: 'Wed, 21 Oct 2099 07:28:00 GMT' }],
    ['Last-Modified, no Cache-Control', { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' }],
    // A qualified no-cache holds back only the fields it names.
    [
      'max-age and no-cache="Set-Cookie"',
      { 'Cache-Control': 'max-age=3600, no-cache="Set-Cookie"' },
    ],
    ['s-maxage and no-cache="A, B"', { 'Cache-Control': 's-maxage=3600, no-cache="A, B"' }],
    ['an x-no-cache extension', { 'Cache-Control': 'max-age=60, x-no-cache' }],
    // A CDN's own header outranks Cache-Control at that CDN.
    [
      'no-cache, but CDN-Cache-Control: max-age=600',
      { 'Cache-Control': 'no-cache', 'CDN-Cache-Control': 'max-age=600' },
    ],
    ['Surrogate-Control: max-age=600 alone', { 'Surrogate-Control': 'max-age=600' }],
    [
      'Cloudflare-CDN-Cache-Control: max-age=600 alone',
      { 'Cloudflare-CDN-Cache-Control': 'max-age=600' },
    ],
    [
      'max-age=0 with stale-while-revalidate',
      { 'Cache-Control': 'max-age=0, stale-while-revalidate=60' },
    ],
    // A CDN's "ask" does not bind the browser's cache, which ignores that header.
    [
      'CDN no-store, Expires ahead',
      { 'CDN-Cache-Control': 'no-store', Expires: 'Wed, 21 Oct 2099 07:28:00 GMT' },
    ],
    [
      'Surrogate max-age=0, Last-Modified',
      { 'Surrogate-Control': 'max-age=0', 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' },
    ],
  ])(
    'leaves it off with %s: a copy would replay one person’s deadlines and an old now',
    async (_, headers) => {
      const res = await cachedRead(headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('Session-Deadline')).toBeNull();
      // The app's own caching is left as it was.
      for (const [name, value] of Object.entries(headers))
        expect(res.headers.get(name)).toBe(value);
    },
  );

  it.each([
    ['no caching headers', {}],
    ['Cache-Control: no-cache (every reuse asks the server)', { 'Cache-Control': 'no-cache' }],
    ['Cache-Control: private, no-store', { 'Cache-Control': 'private, no-store' }],
    ['Cache-Control: NO-CACHE, max-age=60', { 'Cache-Control': 'NO-CACHE, max-age=60' }],
    [
      'private, max-age=0, must-revalidate',
      { 'Cache-Control': 'private, max-age=0, must-revalidate' },
    ],
    ['Expires: 0 (invalid: already stale)', { Expires: '0' }],
    ['Pragma: no-cache and Expires: -1', { Pragma: 'no-cache', Expires: '-1' }],
    [
      'Expires in the past, with Last-Modified',
      {
        Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
        'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
      },
    ],
    ['CDN-Cache-Control: no-store alone', { 'CDN-Cache-Control': 'no-store' }],
    ['Surrogate-Control: max-age=0 alone', { 'Surrogate-Control': 'max-age=0' }],
    ['Cache-Control: private alone (no freshness)', { 'Cache-Control': 'private' }],
    ['private, with Expires: 0', { 'Cache-Control': 'private', Expires: '0' }],
    [
      'must-revalidate, with a past Expires',
      { 'Cache-Control': 'must-revalidate', Expires: 'Thu, 01 Jan 1970 00:00:00 GMT' },
    ],
    ['max-age=00', { 'Cache-Control': 'max-age=00' }],
    ['an ETag alone (asked about every time)', { ETag: '"v1"' }],
  ])('sends it with %s', async (_, headers) => {
    const res = await cachedRead(headers);
    expect(res.headers.get('Session-Deadline')).toMatch(/^idle=\d+, absolute=\d+, now=\d+$/);
  });

  it('sends it on a sign-in whose handler marked the response cacheable: the cookie makes it no-store', async () => {
    const t = testApp();
    t.app.post('/cached-login', async (c) => {
      await c.var.session.regenerate({ userId: 'ada' });
      return c.json({ ok: true }, 200, { 'Cache-Control': 'public, max-age=3600' });
    });
    const res = await t.app.request('/cached-login', { method: 'POST' });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Session-Deadline')).toMatch(/^idle=\d+, absolute=\d+, now=\d+$/);
  });

  it('judges a 304 as its 200: a fresh header where every reuse asks, none where a copy is reused', async () => {
    const t = testApp();
    // etag() inside the session middleware: its 304 keeps Cache-Control and Expires.
    t.app.get('/etag', etag(), (c) => c.json({ ok: true }));
    t.app.get('/nc', etag(), (c) => c.json({ ok: true }, 200, { 'Cache-Control': 'no-cache' }));
    t.app.get('/gone', etag(), (c) => c.json({ ok: true }, 200, { Expires: '0' }));
    t.app.get('/fresh', etag(), (c) =>
      c.json({ ok: true }, 200, { 'Cache-Control': 'max-age=60' }),
    );
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    for (const [path, expected] of [
      ['/etag', DEADLINE],
      ['/nc', DEADLINE],
      ['/gone', DEADLINE],
      ['/fresh', null],
    ] as const) {
      const first = await t.app.request(path, withCookie(token));
      const again = await t.app.request(path, {
        headers: { Cookie: `lifeline=${token}`, 'If-None-Match': first.headers.get('ETag') ?? '' },
      });
      expect([path, again.status]).toEqual([path, 304]);
      for (const res of [first, again]) {
        if (expected === null) expect(res.headers.get('Session-Deadline')).toBeNull();
        else expect(res.headers.get('Session-Deadline')).toMatch(expected);
      }
    }
  });

  it('answers with an upstream Cache-Control of 64,000 unclosed quotes (a quadratic parse took over 10 s)', async () => {
    // Fails by the test's time-out, not a timing assertion: the linear parse takes ~1 ms.
    const res = await cachedRead({ 'Cache-Control': '"\\'.repeat(64_000) });
    expect(res.status).toBe(200);
  });

  it.each([300, 301, 308, 410])(
    'leaves it off a bare %i, which browsers keep without freshness',
    async (status) => {
      const t = testApp();
      t.app.get('/moved', (c) => c.json({ moved: true }, status as 410));
      const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
      const res = await t.app.request('/moved', withCookie(token));
      expect(res.status).toBe(status);
      expect(res.headers.get('Session-Deadline')).toBeNull();
    },
  );

  it('sends it on a 410 every reuse of which asks', async () => {
    const t = testApp();
    t.app.get('/gone', (c) => c.json({ gone: true }, 410, { 'Cache-Control': 'no-cache' }));
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    const res = await t.app.request('/gone', withCookie(token));
    expect(res.headers.get('Session-Deadline')).toMatch(DEADLINE);
  });

  it("removes an upstream's Session-Deadline from a cacheable response it passes on", async () => {
    const t = testApp();
    t.app.get(
      '/proxied',
      () =>
        new Response('{}', {
          headers: {
            'Cache-Control': 'max-age=60',
            'Session-Deadline': 'idle=1, absolute=2, now=1',
          },
        }),
    );
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    const res = await t.app.request('/proxied', withCookie(token));
    expect(res.headers.get('Session-Deadline')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('max-age=60');
  });
});
