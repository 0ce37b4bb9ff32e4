import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('renewal-receipt');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);
const MIN = 60_000;
const RECEIPT = 'lifeline-renewed';

/** One server instance on the shared Redis, with a privilege change and an anonymous write. */
function instance(start: number) {
  const t = routesTestApp({ store: () => redisStore({ client, prefix }), clockStart: start });
  t.app.post('/elevate', async (c) => {
    await c.var.session.regenerate();
    return c.json({ id: c.var.session.id });
  });
  t.app.post('/cart', (c) => {
    c.var.session.set('cart', 1);
    return c.json({ ok: true });
  });
  t.app.get('/whoami', (c) => c.json({ state: c.var.session.state, id: c.var.session.id }));
  return t;
}

/** Applies a response's `Set-Cookie` lines to `browser`, as it would on arrival. */
function arrive(browser: Browser, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    if (/Max-Age=0(;|$)/.test(line)) browser.cookies.delete(pair.slice(0, eq));
    else browser.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

describe('the renewal receipt on two instances sharing Redis', () => {
  it('keeps the person signed in when a privilege change on one crosses a rotation on the other', async () => {
    const start = Date.now();
    const one = instance(start);
    const two = instance(start);
    const browser = new Browser(one.app);
    await browser.post('/cart');
    await browser.post('/login');
    expect(browser.cookies.has(RECEIPT)).toBe(true);
    one.clock.advance(16 * MIN);
    two.clock.advance(16 * MIN);
    const tab = (a: typeof one) => {
      const b = new Browser(a.app);
      for (const [k, v] of browser.cookies) b.cookies.set(k, v);
      return b;
    };
    const rotation = await tab(one).get('/whoami');
    const renewal = await tab(two).post('/elevate');
    expect(renewal.status).toBe(200);
    const { id } = (await renewal.json()) as { id: string };
    arrive(browser, renewal);
    arrive(browser, rotation);
    one.clock.advance(30_000);
    two.clock.advance(30_000);
    const res = await new Browser(two.app).send('GET', '/whoami', {
      headers: { Cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(await res.json()).toMatchObject({ state: 'active', id });
  });
});
