import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Where Debian's (and CI's) Chromium lives. Playwright's own browser download is never used. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Throws a message that says how to fix it when Chromium is missing, so a machine without
 * it fails the end-to-end suite loudly instead of skipping it.
 */
export function assertChromium(path: string = CHROMIUM_PATH): void {
  if (existsSync(path)) return;
  throw new Error(
    `Chromium was not found at ${path}. The end-to-end tests drive a real browser: ` +
      'install Debian\'s package with "sudo apt-get install chromium" ' +
      '(or set CHROMIUM_PATH to a Chromium binary).',
  );
}

/**
 * A host name Chromium resolves to 127.0.0.1 when launched with `insecureHost`: a page
 * served from it over http is not a secure context (unlike localhost or 127.0.0.1), as on
 * an intranet or a phone on the LAN, so it has no `navigator.locks`.
 */
export const INSECURE_HOST = 'lifeline.test';

/**
 * Launches one headless Chromium; every test opens its tabs in one context of it. With
 * `backForwardCache`, without the flag Playwright adds to turn that cache off; with
 * `insecureHost`, resolving `INSECURE_HOST` to this machine.
 */
export async function launchChromium({
  backForwardCache = false,
  insecureHost = false,
} = {}): Promise<Browser> {
  assertChromium();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: insecureHost ? [...ARGS, `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`] : ARGS,
    ...(backForwardCache && { ignoreDefaultArgs: ['--disable-back-forward-cache'] }),
  });
}

/** A Chromium whose tabs a test can send to the background (see `launchChromiumWithTabs`). */
export interface TabbedChromium {
  /** The browser as launched; closing it ends the process and the context below. */
  browser: Browser;
  /** The browser's default context: each new page is a tab of one window. */
  context: BrowserContext;
}

/**
 * Launches one headless Chromium whose pages are tabs a person can leave: only the tab in
 * front is visible, and `page.bringToFront()` (a tab switch) or minimising the window hides
 * the others, each with a real `visibilitychange` (`document.visibilityState` 'hidden').
 *
 * A context made by `browser.newContext()` cannot do that: Playwright turns on focus
 * emulation in each of its pages, which Chromium implements by counting the page as
 * captured, and a captured page stays visible whatever happens to its tab or window. So the
 * pages live in the browser's default context instead, reached over a second, CDP
 * connection with `noDefaults`, which leaves focus emulation off there. Its pages keep every
 * other switch of `launchChromium()`: background timers are not throttled, so a test that
 * wants a hidden tab's timers held back must hold them itself.
 */
export async function launchChromiumWithTabs(): Promise<TabbedChromium> {
  assertChromium();
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...ARGS, `--remote-debugging-port=${port}`],
  });
  try {
    const tabs = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { noDefaults: true });
    const context = tabs.contexts()[0];
    if (!context) throw new Error("Chromium's default context was not found");
    return { browser, context };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** A local TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
