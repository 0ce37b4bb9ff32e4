import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';

const CACHEABLE = { 'Cache-Control': 'public, max-age=600' };

/** A signed-in browser, and app GET routes that issue or forget the remember-me credential. */
async function app() {
  const t = routesTestApp();
  // A "remember this device" link and a "forget this device" one, on pages the app caches.
  t.app.get('/remember-device', async (c) => {
    await t.remember.issue(c, c.var.session.userId ?? 'u1');
    return c.text('remembered', 200, CACHEABLE);
  });
  t.app.get('/forget-device', async (c) => {
    await t.remember.forget(c);
    return c.text('forgotten', 200, CACHEABLE);
  });
  t.app.get('/page', (c) => c.text('page', 200, CACHEABLE));
  const browser = new Browser(t.app);
  await browser.post('/login');
  return { ...t, browser };
}

describe('responses that set or clear the remember-me cookie', () => {
  it('are no-store whatever the handler said: a cache must never hand the credential to someone else', async () => {
    const { browser } = await app();
    const issued = await browser.get('/remember-device');
    expect(issued.headers.getSetCookie()).toHaveLength(1);
    expect(issued.headers.get('Cache-Control')).toBe('no-store');
    const cleared = await browser.get('/forget-device');
    expect(cleared.headers.getSetCookie()[0]).toMatch(/^lifeline_remember=; .*Max-Age=0/);
    expect(cleared.headers.get('Cache-Control')).toBe('no-store');
  });

  it("leave the app's caching alone when they touch no cookie", async () => {
    const { browser } = await app();
    const res = await browser.get('/page');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get('Cache-Control')).toBe(CACHEABLE['Cache-Control']);
  });
});
