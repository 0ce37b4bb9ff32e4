import { describe, expect, it } from 'vitest';
import { renderPage } from './page.js';
import { demo, JSON_HEADERS, MIN } from './test-client.js';

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

  it("answers a JSON login with a status body whose canReauth says whether 'remember' issued a credential", async () => {
    const d = demo();
    expect(await (await d.login(true)).json()).toMatchObject({ canReauth: true });
    // Signing in again without the box forgets that credential: the body says so too.
    expect(await (await d.login(false)).json()).toMatchObject({ canReauth: false });
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

  it('brings a plain form sign-in back to its returnTo, and only to a path on this origin', async () => {
    const page = await (
      await demo().send('GET', '/plain?returnTo=%2Forders%2F42%3Fstep%3D2')
    ).text();
    expect(page).toContain('<input type="hidden" name="returnTo" value="/orders/42?step=2">');
    const cases: Array<[string, string]> = [
      ['/orders/42?step=2', '/orders/42?step=2'],
      ['//evil.example/', '/'],
      ['/\\evil.example/', '/'],
      ['https://evil.example/', '/'],
    ];
    for (const [returnTo, location] of cases) {
      const res = await demo().send('POST', '/login', {
        body: new URLSearchParams({ username: 'demo', password: 'demo', returnTo }),
      });
      expect(res.status, returnTo).toBe(303);
      expect(res.headers.get('Location'), returnTo).toBe(location);
    }
    const failed = await demo().send('POST', '/login', {
      body: new URLSearchParams({ username: 'demo', password: 'nope', returnTo: '/orders/42' }),
    });
    expect(failed.status).toBe(401);
    expect(await failed.text()).toContain('name="returnTo" value="/orders/42"');
  });

  it('brings a form sign-in on /plain back to /plain, not to the page at /', async () => {
    const d = demo();
    const page = await (await d.send('GET', '/plain')).text();
    const returnTo = /name="returnTo" value="([^"]*)"/.exec(page)?.[1];
    expect(returnTo).toBe('/plain');
    const res = await d.send('POST', '/login', {
      body: new URLSearchParams({ username: 'demo', password: 'demo', returnTo: returnTo! }),
    });
    expect(res.headers.get('Location')).toBe('/plain');
  });

  it('answers a wrong password on the sign-in-again form with that form and the error, not the signed-in page', async () => {
    const d = demo();
    await d.login();
    const res = await d.send('POST', '/login', {
      body: new URLSearchParams({ username: 'demo', password: 'wrong', returnTo: '/plain' }),
    });
    expect(res.status).toBe(401);
    const page = await res.text();
    // The signed-in page here read as if the sign-in had worked, while the absolute
    // deadline it was meant to move stayed where it was.
    expect(page).toContain('Wrong username or password.');
    expect(page).toContain('<form method="post" action="/login">');
    expect(page).toContain('name="returnTo" value="/plain"');
    expect(page).not.toContain('Signed in as');
  });

  it('shows the form over a live session when a sign-in link asks, and that sign-in moves the absolute deadline', async () => {
    const d = demo();
    await d.login();
    const first = await d.status();
    expect(await (await d.send('GET', '/plain')).text()).toContain('Signed in as');

    const again = await (await d.send('GET', '/plain?returnTo=%2Fplain')).text();
    expect(again).toContain('<form method="post" action="/login">');
    expect(again).toContain('Sign in again to keep working');
    expect(again).not.toContain('Signed in as');
    // Its script tag runs the client without the dialog, whose warning would cover the form.
    const tagged = renderPage({
      status: first,
      signInAgain: true,
      clientScript: true,
      warnBeforeS: 20,
      nonce: 'n',
    });
    expect(tagged).toMatch(/<script src="\/session\/client.js"[^>]* data-dialog="false"/);

    d.advance(MIN);
    const res = await d.send('POST', '/login', {
      body: new URLSearchParams({ username: 'demo', password: 'demo', returnTo: '/plain' }),
    });
    expect(res.headers.get('Location')).toBe('/plain');
    const fresh = await d.status();
    expect(fresh.state).toBe('active');
    expect(fresh.absoluteExpiresAt).toBe(first.absoluteExpiresAt + MIN);
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

  it('starts a new cart when the stored one is not a list of names, instead of a 500', async () => {
    for (const stored of [5, { a: 1 }, 'book', [1, 2], null]) {
      const d = demo();
      await d.login();
      const { sid, record } = (await d.store.listByUser('demo'))[0]!;
      await d.store.update(sid, { set: { cart: stored } }, record.absoluteExpiresAt);
      const res = await d.postJson('/api/cart', { item: 'pen' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ cart: ['pen'] });
    }
  });
});
