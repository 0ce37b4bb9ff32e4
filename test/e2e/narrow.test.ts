import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The visible claim-form fields that stick out of their step or overlap the one before. */
const misplacedFields = (page: Page) =>
  page.evaluate(() => {
    const bad: string[] = [];
    for (const set of document.querySelectorAll<HTMLFieldSetElement>('#claim fieldset')) {
      if (set.hidden) continue;
      const box = set.getBoundingClientRect();
      let previous: DOMRect | null = null;
      for (const field of set.querySelectorAll<HTMLElement>('input, textarea')) {
        const r = field.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
          bad.push(`${field.getAttribute('name')} sticks out`);
        if (previous && Math.abs(previous.top - r.top) < 1 && r.left < previous.right - 0.5) {
          bad.push(`${field.getAttribute('name')} overlaps the field before`);
        }
        previous = r;
      }
    }
    return bad;
  });

it('fits every step of the claim form inside its card on a phone-sized screen', async () => {
  world = await startWorld(DEMO_ENV);
  const page = await world.context.newPage();
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/');
  await page.waitForSelector('body[data-session="signed-out"]');
  await signIn(page);
  for (const step of [1, 2, 3]) {
    await expect.poll(() => page.locator(`fieldset[data-step="${step}"]`).isVisible()).toBe(true);
    expect(await misplacedFields(page), `step ${step}`).toEqual([]);
    if (step < 3) await page.click('#next');
  }
  // Nothing scrolls sideways either.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
