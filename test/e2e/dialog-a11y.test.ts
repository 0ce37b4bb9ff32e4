import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { AXE_SOURCE } from './axe.js';
import { DEMO_ENV, IDLE_MS, WARN_MS } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the open dialog (evaluated through the DevTools protocol, so the page's
 * CSP allows it) and returns the violations, after checking axe really examined something.
 */
async function audit(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: string): Promise<{ violations: AxeViolation[]; passes: unknown[] }> };
      }
    ).axe;
    const { violations, passes } = await axe.run('dialog.lifeline-dialog');
    if (passes.length < 5) throw new Error(`axe checked too little: ${passes.length} rules passed`);
    return violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((n) => ({ target: n.target })),
    }));
  });
}

async function warnedTab(w: World): Promise<Page> {
  const [tab] = await w.openTabs(1);
  await signIn(tab!);
  await tab!.focus('#next');
  await w.advance(IDLE_MS - WARN_MS + 2_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  return tab!;
}

it('passes an axe-core audit in the idle warning and in the signed-out notice', async () => {
  world = await startWorld(DEMO_ENV);
  const tab = await warnedTab(world);
  expect(await audit(tab)).toEqual([]);
  await world.advance(WARN_MS);
  await expect
    .poll(() => tab.locator('dialog.lifeline-dialog').getAttribute('data-mode'))
    .toBe('ended');
  expect(await audit(tab)).toEqual([]);
});

it('works by keyboard alone: focus on "Stay signed in", Tab moves between its buttons, Enter extends, focus returns', async () => {
  world = await startWorld(DEMO_ENV);
  const tab = await warnedTab(world);
  const focused = () => tab.evaluate(() => document.activeElement?.textContent ?? '');
  expect(await focused()).toBe('Stay signed in');
  expect(await tab.getAttribute('dialog.lifeline-dialog', 'role')).toBe('alertdialog');
  await tab.keyboard.press('Shift+Tab');
  expect(await focused()).toBe('Sign out');
  await tab.keyboard.press('Tab');
  expect(await focused()).toBe('Stay signed in');
  const before = await world.status();
  await tab.keyboard.press('Enter');
  await tab.locator('dialog.lifeline-dialog').waitFor({ state: 'hidden', timeout: 3000 });
  expect(await tab.evaluate(() => document.activeElement?.id)).toBe('next');
  expect((await world.status()).idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt!);
});

it('treats Escape as "stay": the dialog closes and the session is extended', async () => {
  world = await startWorld(DEMO_ENV);
  const tab = await warnedTab(world);
  const before = await world.status();
  await tab.keyboard.press('Escape');
  await tab.locator('dialog.lifeline-dialog').waitFor({ state: 'hidden', timeout: 3000 });
  await expectState([tab], 'active');
  expect((await world.status()).idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt!);
});

// Chromium lets a page cancel a close request only after a click or key press since the
// last one it cancelled: a second Escape closes the dialog whatever the page says. With the
// extension failing, the session still warns, and so must the dialog.
it('keeps the warning up after an Escape the browser would not let it cancel, while the extension fails', async () => {
  world = await startWorld(DEMO_ENV);
  const tab = await warnedTab(world);
  await tab.route('**/session/extend', (r) => r.abort('internetdisconnected'));
  await tab.keyboard.press('Escape');
  await tab.waitForTimeout(300);
  await tab.keyboard.press('Escape');
  await tab.waitForTimeout(1000);
  const open = () =>
    tab.locator('dialog.lifeline-dialog').evaluate((d: HTMLDialogElement) => d.open);
  for (let i = 0; i < 5; i++) {
    await world.advance(1_000);
    await expectState([tab], 'warning');
    expect(await open(), `${i + 1} s later`).toBe(true);
  }
});

it('keeps the warning clear of the screen edges on a phone-sized screen', async () => {
  world = await startWorld(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await tab!.setViewportSize({ width: 375, height: 740 });
  await signIn(tab!);
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  const box = await tab!.locator('dialog.lifeline-dialog[open]').boundingBox({ timeout: 3000 });
  expect(box).not.toBeNull();
  // At least 1rem on either side, as the page's own cards keep.
  expect(box!.x).toBeGreaterThanOrEqual(16);
  expect(375 - (box!.x + box!.width)).toBeGreaterThanOrEqual(16);
});
