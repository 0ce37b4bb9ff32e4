import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS, WARN_MS } from './env.js';
import { signIn, worldPerTest } from './world.js';

// A page's own modal from a UI library left open while the person went away (a settings
// sheet, a form). docs/dialog-and-script-tag.md, "Size": the warning must still be usable.
const start = worldPerTest();

/** What sits under the middle of the warning's "Stay signed in" button. */
const underStay = (page: Page) =>
  page.evaluate(() => {
    const b = document.querySelector('.lifeline-primary')!.getBoundingClientRect();
    return document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2)?.textContent ?? null;
  });

/**
 * Opens a modal the way Headless UI and Radix do: every other child of <body> goes inert
 * and aria-hidden, and focus moves into the modal.
 */
const openLibraryModal = (page: Page) =>
  page.evaluate(() => {
    const portal = document.createElement('div');
    portal.innerHTML = '<div role="dialog" aria-modal="true"><input id="inner"></div>';
    for (const el of document.body.children) {
      el.setAttribute('inert', '');
      el.setAttribute('aria-hidden', 'true');
    }
    document.body.append(portal);
    document.getElementById('inner')!.focus();
  });

it('can be reached, heard and clicked over a modal that made the rest of <body> inert and hidden (Headless UI, Radix)', async () => {
  const world = await start(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  // The library's modal opens: every other child of <body> (the closed warning, mounted
  // at load, among them) goes inert and aria-hidden.
  await openLibraryModal(tab!);
  const before = (await world.status()).idleExpiresAt!;
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  expect({
    focused: await tab!.evaluate(() => document.activeElement?.textContent),
    // What a screen reader is given.
    inAccessibilityTree: await tab!.getByRole('button', { name: 'Stay signed in' }).count(),
    under: await underStay(tab!),
  }).toEqual({ focused: 'Stay signed in', inAccessibilityTree: 1, under: 'Stay signed in' });
  await tab!.getByRole('button', { name: 'Stay signed in' }).click();
  await expect.poll(async () => (await world.status()).idleExpiresAt).toBeGreaterThan(before);
});

it('can be clicked over a modal that turned pointer events off on <body> (Radix)', async () => {
  const world = await start(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await tab!.evaluate(() => {
    document.body.style.pointerEvents = 'none';
  });
  const before = (await world.status()).idleExpiresAt!;
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  expect(await underStay(tab!)).toBe('Stay signed in');
  const box = (await tab!.locator('.lifeline-primary').boundingBox())!;
  await tab!.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect.poll(async () => (await world.status()).idleExpiresAt).toBeGreaterThan(before);
  // Closed once the extension's answer reaches the page.
  await expect
    .poll(() =>
      tab!.evaluate(
        () => document.querySelector<HTMLDialogElement>('dialog.lifeline-dialog')!.open,
      ),
    )
    .toBe(false);
});

it('stays reachable when a page modal marks the rest of <body> inert after the warning opened', async () => {
  const world = await start(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  // The app opens its own modal while the warning shows (a push notification, a timer).
  await openLibraryModal(tab!);
  // The same warning goes on (no new mode, so it is not shown afresh).
  await world.advance(2_000);
  expect({
    inert: await tab!.evaluate(
      () => document.querySelector<HTMLDialogElement>('dialog.lifeline-dialog')!.inert,
    ),
    inAccessibilityTree: await tab!.getByRole('button', { name: 'Stay signed in' }).count(),
  }).toEqual({ inert: false, inAccessibilityTree: 1 });
});
