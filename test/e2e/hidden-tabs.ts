import type { SessionClient } from '@lifeline/client';
import type { Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { DEMO_ENV } from './env.js';
import { signIn, startWorld, type World } from './world.js';

// Tabs a person leaves and comes back to, for the hidden-tab tests: in the background of
// their window, `document.visibilityState` 'hidden', told by a real `visibilitychange`
// (see `launchChromiumWithTabs` in browser.ts).

/** The demo page's global a test reaches the client through. */
export type Demo = { lifelineDemo: { client: SessionClient } };

/**
 * For a test file: a function that starts the demo world with tabs that hide and one tab
 * on the app, signed in (then `prepare`d), closed after each test.
 */
export function signedInTabs(
  prepare?: (tab: Page) => Promise<void>,
): (options?: { remember?: boolean }) => Promise<[World, Page]> {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  return async ({ remember = false } = {}) => {
    world = await startWorld(DEMO_ENV, { tabsCanHide: true });
    const [tab] = await world.openTabs(1);
    await signIn(tab!, { remember });
    await prepare?.(tab!);
    return [world, tab!];
  };
}

/** Sends `tab` to the background the way a person does, by opening another tab, and waits until the page knows. */
export async function leave(w: World, tab: Page): Promise<void> {
  await w.context.newPage();
  await expect.poll(() => tab.evaluate(() => document.visibilityState)).toBe('hidden');
}

/** Switches back to `tab` and waits until the page knows it is visible. */
export async function comeBack(tab: Page): Promise<void> {
  await tab.bringToFront();
  await expect.poll(() => tab.evaluate(() => document.visibilityState)).toBe('visible');
}

/**
 * Moves the server's clock and every tab's wall clock on by `ms` without running one timer,
 * as for a tab in the background whose timers the browser held back (Chrome wakes a hidden
 * tab's chained timers at most once a minute, and may freeze the tab outright). Only what
 * the tab hears from outside, such as becoming visible again, can bring its view up to date.
 */
export async function passWithTimersHeld(w: World, tab: Page, ms: number): Promise<void> {
  await w.server.advance(ms, async () => {
    const now = await tab.evaluate(() => Date.now());
    await w.context.clock.setSystemTime(now + ms);
  });
}
