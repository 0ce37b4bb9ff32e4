import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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
 * Launches one headless Chromium; every test opens its tabs in one context of it. With
 * `backForwardCache`, without the flag Playwright adds to turn that cache off.
 */
export async function launchChromium({ backForwardCache = false } = {}): Promise<Browser> {
  assertChromium();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    ...(backForwardCache && { ignoreDefaultArgs: ['--disable-back-forward-cache'] }),
  });
}
