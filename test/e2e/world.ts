import type { SessionSnapshot } from '@lifeline/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { INSECURE_HOST, launchChromium, launchChromiumWithTabs } from './browser.js';
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
  /**
   * Freezes `tab`: no timer, event or message handler runs in it until the function it
   * resolves to resumes it. The Page Lifecycle freeze (`Page.setWebLifecycleState`) needs a
   * tab that can be hidden, which a context of `browser.newContext()` never is (only a world
   * with `tabsCanHide` has such tabs: see hidden.test.ts), so this pauses the tab's script
   * in the debugger instead: like a frozen tab it keeps its Web Locks and
   * answers nothing, and unlike one it loses the cross-tab messages sent meanwhile (it
   * must catch up from the server, the harder case). While it is frozen `advance()`
   * leaves its clock alone (Playwright's clock would wait for it, or run its timers); on
   * resume its clock catches up, so its overdue timers fire at once, as after a freeze.
   * Open no new tab between a freeze and its resume: Playwright would replay its clock
   * without the time the other tabs skipped.
   */
  freeze(tab: Page): Promise<() => Promise<void>>;
  /** The server's view of the session, read passively (it never extends the idle time). */
  status(): Promise<ServerStatus>;
  close(): Promise<void>;
}

/**
 * The world of each test in the file, closed after the test (also when it fails):
 * `const start = worldPerTest();` at the top, then `const world = await start(env)`.
 */
export function worldPerTest() {
  let current: World | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (...args: Parameters<typeof startWorld>) => {
    current = await startWorld(...args);
    return current;
  };
}

/**
 * Starts the world with the demo's environment variables (short timeouts). With
 * `realClock`, the pages keep the browser's own clock (which reads fractions of a
 * millisecond, unlike Playwright's); `advance()` and `freeze()` need the controlled one.
 * With `tabsCanHide`, the pages are tabs of one window, as in a person's browser: each new
 * one comes to the front and hides the others (`page.bringToFront()` switches back; see
 * `launchChromiumWithTabs`); that context has no base URL, so give its pages whole URLs
 * (`world.server.url`). Without it every page stays visible whatever a test does. With
 * `insecure`, the pages open the demo at `INSECURE_HOST` over http: not a secure context.
 */
export async function startWorld(
  env: Record<string, string>,
  {
    realClock = false,
    tabsCanHide = false,
    insecure = false,
  }: { realClock?: boolean; tabsCanHide?: boolean; insecure?: boolean } = {},
): Promise<World> {
  const server = await startDemo(env);
  const origin = insecure ? server.url.replace('127.0.0.1', INSECURE_HOST) : server.url;
  const { browser, context } = tabsCanHide
    ? await launchChromiumWithTabs()
    : await launchChromium({ insecureHost: insecure }).then(async (browser) => ({
        browser,
        context: await browser.newContext({ baseURL: origin }),
      }));
  if (!realClock) await context.clock.install();
  /** Frozen tabs, with the time their clock has yet to catch up on. */
  const frozen = new Map<Page, number>();
  const moveClocks = async (ms: number) => {
    if (frozen.size === 0) return context.clock.fastForward(ms);
    for (const [tab, behind] of frozen) frozen.set(tab, behind + ms);
    await Promise.all(
      context.pages().map((tab) => (frozen.has(tab) ? null : fastForward(tab, ms))),
    );
  };
  const world: World = {
    server,
    browser,
    context,
    async openTabs(n, path = '/') {
      const pages: Page[] = [];
      for (let i = 0; i < n; i++) {
        const page = await context.newPage();
        await page.goto(new URL(path, origin).href);
        await page.waitForSelector('body[data-session]:not([data-session="unknown"])');
        pages.push(page);
      }
      return pages;
    },
    advance: (ms) => server.advance(ms, () => moveClocks(ms)),
    async freeze(tab) {
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Debugger.enable');
      // The pause takes hold when the tab next runs script (its clock's timer, within 0.1 s).
      const paused = new Promise<void>((resolve) => cdp.once('Debugger.paused', () => resolve()));
      await cdp.send('Debugger.pause');
      await paused;
      frozen.set(tab, 0);
      return async () => {
        await cdp.send('Debugger.resume');
        await cdp.detach();
        const behind = frozen.get(tab) ?? 0;
        frozen.delete(tab);
        await fastForward(tab, behind);
      };
    },
    async status() {
      const headers: Record<string, string> = { 'Session-Passive': '1' };
      // Node cannot resolve INSECURE_HOST: ask 127.0.0.1 with that host's cookies.
      if (insecure) {
        const cookies = await context.cookies(origin);
        headers.Cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      }
      const res = await context.request.get(`${server.url}/session/status`, { headers });
      return (await res.json()) as ServerStatus;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
  return world;
}

/**
 * Moves one tab's clock (Playwright's `clock` moves every tab of the context) through the
 * clock controller Playwright installs in the page, not a public API: it throws if a
 * Playwright upgrade moved it. It reads the time first, so that the real time since the
 * controller last looked (all of a frozen tab's) is not lost.
 */
export async function fastForward(tab: Page, ms: number): Promise<void> {
  await tab.evaluate(async (by) => {
    const clock = (globalThis as { __pwClock?: { controller: PageClock } }).__pwClock;
    if (!clock) throw new Error("Playwright's in-page clock controller was not found");
    Date.now();
    await clock.controller.fastForward(by);
  }, ms);
}

interface PageClock {
  fastForward(ms: number): Promise<void>;
}

/** The tab's session snapshot, as the demo page exposes it to tests. */
export function snapshot(tab: Page): Promise<SessionSnapshot> {
  return tab.evaluate(() =>
    (
      window as unknown as { lifelineDemo: { client: { getSnapshot(): SessionSnapshot } } }
    ).lifelineDemo.client.getSnapshot(),
  );
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

/**
 * Works (types) in `tab` through 10-second steps until the absolute warning is open there
 * and in `others`. With `ABSOLUTE_TIMEOUT_S: '120'` it opens 20 s before the limit, at 1:40:
 * the limit does not care that the person is active, so it opens while they type.
 */
export async function workUntilAbsoluteWarning(
  world: World,
  tab: Page,
  others: Page[] = [],
): Promise<void> {
  await tab.click('input[name="purpose"]');
  for (let i = 0; i < 10; i++) {
    await tab.keyboard.type('w');
    await tab.waitForTimeout(100);
    await world.advance(10_000);
  }
  for (const t of [tab, ...others]) {
    await t
      .locator('dialog.lifeline-dialog[data-mode="absolute"][open]')
      .waitFor({ timeout: 3000 });
  }
}
