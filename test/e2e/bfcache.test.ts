import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { type DemoServer, startDemo } from './demo-server.js';
import { DEMO_ENV } from './env.js';

let browser: Browser | undefined;
let server: DemoServer | undefined;
afterEach(async () => {
  await browser?.close();
  await server?.close();
  [browser, server] = [undefined, undefined];
});

/** An app page with the one-tag install, cacheable like most apps' pages. */
const APP_PAGE = `<!doctype html><html lang="en"><head><title>App</title>
<script src="/session/client.js" data-warn-before="20" defer></script></head>
<body><a id="away" href="/elsewhere">Elsewhere</a></body></html>`;

/**
 * The demo with `/app` (APP_PAGE) and `/elsewhere` (no SDK), a Chromium that keeps pages in
 * its back/forward cache, and a context signed in as the demo user.
 */
async function signedInWithBackForwardCache(): Promise<{ context: BrowserContext; url: string }> {
  const demo = await startDemo(DEMO_ENV);
  server = demo;
  browser = await launchChromium({ backForwardCache: true });
  const context = await browser.newContext({ baseURL: demo.url });
  const html = (body: string) => ({ status: 200, contentType: 'text/html', body });
  await context.route('**/app', (route) => route.fulfill(html(APP_PAGE)));
  await context.route('**/elsewhere', (route) => route.fulfill(html('<p>No SDK here</p>')));
  const login = await context.request.post('/login', {
    headers: { Origin: demo.url },
    data: { username: 'demo', password: 'demo' },
  });
  expect(login.status()).toBe(200);
  return { context, url: demo.url };
}

it('keeps a page with the SDK in the back/forward cache, and re-checks the session when it comes back', async () => {
  const { context, url } = await signedInWithBackForwardCache();

  const page = await context.newPage();
  const state = () => page.evaluate(() => window.Lifeline?.client.getSnapshot().state);
  await page.goto('/app');
  await expect.poll(state).toBe('active');
  await page.evaluate(() => {
    (window as unknown as { kept: number }).kept = 42;
  });
  await page.click('#away');
  await page.waitForURL('**/elsewhere');
  // Signed out elsewhere while the page sat in the cache.
  const logout = await context.request.post('/session/logout', {
    headers: { Origin: url, 'Session-Request': '1' },
  });
  expect(logout.status()).toBe(200);

  await page.goBack({ waitUntil: 'commit' });
  // The same document came back (not a reload), and it learned of the sign-out at once.
  expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(42);
  await expect.poll(state).not.toBe('active');
});

it('hands leadership to another tab while the leading page sits in the back/forward cache, and follows it when restored', async () => {
  const { context } = await signedInWithBackForwardCache();

  const [first, second] = [await context.newPage(), await context.newPage()];
  const leads = (page: Page) => page.evaluate(() => window.Lifeline?.client.getSnapshot().isLeader);
  await first.goto('/app');
  await expect.poll(() => leads(first)).toBe(true);
  await second.goto('/app');
  await expect
    .poll(() => second.evaluate(() => window.Lifeline?.client.getSnapshot().state))
    .toBe('active');
  expect(await leads(second)).toBe(false);
  await first.evaluate(() => {
    (window as unknown as { kept: number }).kept = 42;
  });

  await first.click('#away');
  await first.waitForURL('**/elsewhere');
  // Nobody posts on the channel meanwhile, so nothing makes Chromium drop the cached page.
  await expect.poll(() => leads(second), { timeout: 5000 }).toBe(true);

  await first.goBack({ waitUntil: 'commit' });
  expect(await first.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(42);
  await expect
    .poll(() => first.evaluate(() => window.Lifeline?.client.getSnapshot().state))
    .toBe('active');
  // One leader: the tab that took over keeps leading, the restored page follows.
  await first.waitForTimeout(500);
  expect([await leads(first), await leads(second)]).toEqual([false, true]);
});
