import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, workUntilAbsoluteWarning, worldPerTest } from './world.js';

// DESIGN.md: "every tab shows and hides the warning together"; dialog-and-script-tag.md:
// "What it does, in every open tab at once". "Save my work first" closes the absolute
// warning "for this deadline", but only in the tab where it was pressed.
const ENV = { ...DEMO_ENV, ABSOLUTE_TIMEOUT_S: '120' };

const start = worldPerTest();

const absoluteOpen = (tab: Page) =>
  tab.evaluate(() => {
    const d = document.querySelector<HTMLDialogElement>('dialog.lifeline-dialog');
    return Boolean(d?.open && d.dataset.mode === 'absolute');
  });

it('"Save my work first" in one tab closes the absolute warning in every tab, not only there', async () => {
  const world = await start(ENV);
  const [a, b] = await world.openTabs(2);
  await signIn(a!);
  await expectState([a!, b!], 'active');
  // Work (type) in tab A until the absolute warning opens, 20 s before it, in both tabs.
  await workUntilAbsoluteWarning(world, a!, [b!]);
  await a!.getByRole('button', { name: 'Save my work first' }).click();
  await world.advance(500);
  expect(await absoluteOpen(a!)).toBe(false);
  // The person goes to the other tab to save their work there: the modal warning (and its
  // every-second announcement) must be gone there too.
  await expect.poll(() => absoluteOpen(b!), { timeout: 3000 }).toBe(false);
});
