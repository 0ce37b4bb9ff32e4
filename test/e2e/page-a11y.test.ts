import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { AXE_SOURCE } from './axe.js';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * The text of the demo page that fails WCAG 2 AA contrast (axe-core's color-contrast rule,
 * run through the DevTools protocol so the page's CSP allows it), as `selector: message`.
 */
async function lowContrast(page: Page, include: string[]): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (selectors) => {
    type Node = { target: string[]; any: { message: string }[] };
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{ violations: { nodes: Node[] }[]; passes: { nodes: Node[] }[] }>;
        };
      }
    ).axe;
    const { violations, passes } = await axe.run(
      { include: selectors.map((s) => [s]) },
      { runOnly: ['color-contrast'] },
    );
    if (passes.length === 0 && violations.length === 0) throw new Error('axe checked nothing');
    return violations.flatMap((v) =>
      v.nodes.map((n) => `${n.target.join(' ')}: ${n.any.map((a) => a.message).join('; ')}`),
    );
  }, include);
}

// The absolute warning at 1:40 can be put aside ("Save my work first") with the warning
// pill and its log row still showing, so nothing covers them while axe looks.
const ENV = { ...DEMO_ENV, ABSOLUTE_TIMEOUT_S: '120' };

it('keeps the state pills and the event log readable (WCAG AA contrast): active, leader, warning', async () => {
  world = await startWorld(ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await tab!.waitForSelector('#tab-role.leader');
  expect(await lowContrast(tab!, ['.topbar', '#signed-in'])).toEqual([]);

  await tab!.click('input[name="purpose"]');
  for (let i = 0; i < 10; i++) {
    await tab!.keyboard.type('w');
    await tab!.waitForTimeout(100);
    await world.advance(10_000);
  }
  await tab!.getByRole('button', { name: 'Save my work first' }).click();
  await tab!.locator('dialog.lifeline-dialog').waitFor({ state: 'hidden' });
  await tab!.waitForSelector('#state.warning');
  await tab!.waitForSelector('#log li.warning');
  expect(await lowContrast(tab!, ['#state', '#log'])).toEqual([]);
});

it('keeps the keyboard focus on the page when signing in and out by keyboard alone', async () => {
  world = await startWorld(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  const focused = () =>
    tab!.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  await tab!.focus('#signin-form input[name="password"]');
  await tab!.keyboard.type('demo');
  await tab!.keyboard.press('Enter');
  await tab!.waitForSelector('body[data-session="active"]');
  // The focused sign-in button is hidden now; focus goes to the app, not to <body>.
  await expect.poll(focused).toBe('timeline-title');
  await tab!.keyboard.press('Tab');
  expect(await focused()).toBe('add-cart');

  await tab!.focus('#sign-out');
  await tab!.keyboard.press('Enter');
  await tab!.waitForSelector('body[data-session="signed-out"]');
  await expect.poll(focused).toBe('signin-title');
  await tab!.keyboard.press('Tab');
  expect(await tab!.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username');
});

it('puts the focus on the sign-in heading, not <body>, when the view switched behind the dialog', async () => {
  world = await startWorld(DEMO_ENV);
  const [a] = await world.openTabs(1);
  await signIn(a!);
  const [b] = await world.openTabs(1);
  const focused = (tab: Page) =>
    tab.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  await a!.focus('input[name="purpose"]');
  await a!.keyboard.type('Trip');
  // Five seconds at a time until the warning: the typing's extension may land late.
  const warned = (tab: Page) => tab.locator('dialog.lifeline-dialog[data-mode="idle"][open]');
  for (let s = 0; s < IDLE_MS && !(await warned(b!).isVisible()); s += 5_000) {
    await world.advance(5_000);
  }
  await warned(a!).waitFor();
  // B signs out through the warning by keyboard; A's view switches while its dialog (now
  // the signed-out notice) holds the focus, and A's focused field is hidden behind it.
  await expect.poll(() => focused(b!)).toBe('lifeline-primary'); // "Stay signed in"
  await b!.keyboard.press('Shift+Tab');
  await expect.poll(() => focused(b!)).toBe('lifeline-secondary'); // "Sign out"
  await b!.keyboard.press('Enter');
  // A sign-out and its news to the other tab; a loaded machine (a full run) can take a while.
  await expectState([a!, b!], 'signed-out', 15_000);
  // B's dialog says it signed out, focus on its title; closed, focus goes to the sign-in.
  await b!.locator('dialog.lifeline-dialog[data-mode="ended"][open]').waitFor();
  await expect.poll(() => focused(b!)).toBe('lifeline-title');
  await b!.keyboard.press('Escape');
  await expect.poll(() => focused(b!), { timeout: 5_000 }).toBe('signin-title');
  await a!.locator('dialog.lifeline-dialog[data-mode="ended"][open]').waitFor();
  await a!.keyboard.press('Escape');
  // The `close` event that hands the focus on is a task of its own: a full run can delay it.
  await expect.poll(() => focused(a!), { timeout: 5_000 }).toBe('signin-title');
});
