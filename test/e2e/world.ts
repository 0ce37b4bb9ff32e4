import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { type DemoServer, startDemo } from './demo-server.js';

/** The parts of `GET /session/status` the tests read. */
export interface ServerStatus {
  state: string;
  idleExpiresAt?: number;
  absoluteExpiresAt?: number;
  reason?: string;
}

/**
 * One demo server and one Chromium context whose pages share cookies like tabs of one
 * browser, with one clock for both: `advance()` moves the server's clock and every tab's
 * (Playwright's clock control), like a laptop waking up after `ms` of sleep.
 */
export interface World {
  server: DemoServer;
  browser: Browser;
  context: BrowserContext;
  /** Opens `n` tabs on `path` and waits until each knows its session state. */
  openTabs(n: number, path?: string): Promise<Page[]>;
  advance(ms: number): Promise<void>;
  /** The server's view of the session, read passively (it never extends the idle time). */
  status(): Promise<ServerStatus>;
  close(): Promise<void>;
}

/** Starts the world with the demo's environment variables (short timeouts). */
export async function startWorld(env: Record<string, string>): Promise<World> {
  const server = await startDemo(env);
  const browser = await launchChromium();
  const context = await browser.newContext({ baseURL: server.url });
  await context.clock.install();
  const world: World = {
    server,
    browser,
    context,
    async openTabs(n, path = '/') {
      const pages: Page[] = [];
      for (let i = 0; i < n; i++) {
        const page = await context.newPage();
        await page.goto(path);
        await page.waitForSelector('body[data-session]:not([data-session="unknown"])');
        pages.push(page);
      }
      return pages;
    },
    advance: (ms) => server.advance(ms, () => context.clock.fastForward(ms)),
    async status() {
      const res = await context.request.get('/session/status', {
        headers: { 'Session-Passive': '1' },
      });
      return (await res.json()) as ServerStatus;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
  return world;
}

/** Signs in through the demo's form in `page` and waits until the app shows. */
export async function signIn(page: Page, { remember = false } = {}): Promise<void> {
  await page.fill('#signin-form input[name="username"]', 'demo');
  await page.fill('#signin-form input[name="password"]', 'demo');
  if (remember) await page.check('#signin-form input[name="remember"]');
  await page.click('#signin-form button[type="submit"]');
  await page.waitForSelector('body[data-session="active"]');
}

/** Waits until every page shows `state` (body[data-session]). */
export async function expectState(pages: Page[], state: string, timeout = 5000): Promise<void> {
  await Promise.all(
    pages.map((p) => p.waitForSelector(`body[data-session="${state}"]`, { timeout })),
  );
}
