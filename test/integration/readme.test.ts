import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { app } from '../../docs/examples/server.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const ORIGIN = 'http://localhost';

/** Cookie jar of one browser: keeps the latest value per cookie name. */
function browser() {
  const jar = new Map<string, string>();
  return async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Origin', ORIGIN);
    headers.set('Sec-Fetch-Site', 'same-origin');
    if (jar.size > 0) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await app.request(`${ORIGIN}${path}`, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === '') jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), value);
    }
    return res;
  };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

describe('README examples', () => {
  it('quotes the example files verbatim, so the README cannot drift from tested code', () => {
    const readme = read('../../README.md');
    expect(readme).toContain(read('../../docs/examples/server.ts'));
    expect(readme).toContain(read('../../docs/examples/client.ts'));
  });

  it('server example: sign in, reach a protected route, and get a calm 401 without a session', async () => {
    const visit = browser();
    expect((await visit('/api/me')).status).toBe(401);
    const wrong = await visit('/login', json({ username: 'ada', password: 'wrong' }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('Content-Type')).toBe('application/problem+json');
    // A body that is not the credentials is the client's error, never a 500.
    for (const body of ['{', '[]', JSON.stringify({ username: 'ada' })]) {
      const bad = await visit('/login', { ...json(null), body });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'invalid_request' });
    }
    expect(
      (await visit('/login', json({ username: 'ada', password: 'correct horse' }))).status,
    ).toBe(200);
    const me = await visit('/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ name: 'Ada Lovelace' });
    // The client example's addToCart: the cart grows in the session.
    expect(await (await visit('/api/cart', json({ item: 'tea' }))).json()).toEqual({
      cart: ['tea'],
    });
    const cart = await visit('/api/cart', json({ item: 'cake' }));
    expect(await cart.json()).toEqual({ cart: ['tea', 'cake'] });
    expect((await visit('/api/cart', json({ item: ' ' }))).status).toBe(400);
    for (let i = 2; i < 50; i++) await visit('/api/cart', json({ item: `item ${i}` }));
    const full = await visit('/api/cart', json({ item: 'one too many' }));
    expect(full.status).toBe(400);
    expect(await full.json()).toMatchObject({ code: 'invalid_request', detail: 'cart is full' });
    const status = await (await visit('/session/status')).json();
    expect(status).toMatchObject({
      state: 'active',
      canReauth: true,
      user: { name: 'Ada Lovelace' },
    });
  });

  it('server example: remember-me signs back in silently after the session cookie is gone', async () => {
    const visit = browser();
    await visit('/login', json({ username: 'ada', password: 'correct horse' }));
    const reauth = await visit('/session/reauth', json({}));
    expect(reauth.status).toBe(200);
    expect(await reauth.json()).toMatchObject({ state: 'active' });
    expect((await visit('/api/me')).status).toBe(200);
  });
});
