import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS, WARN_MS } from './env.js';
import { expectState, signIn, workUntilAbsoluteWarning, worldPerTest } from './world.js';

// The warning opens over a page the dialog does not control: while the person types, and
// under the page's own CSS.
const start = worldPerTest();

const dialogIn = (tab: Page) => tab.locator('dialog.lifeline-dialog');

it('a person typing when the absolute warning opens does not dismiss it with their next space', async () => {
  const world = await start({ ...DEMO_ENV, ABSOLUTE_TIMEOUT_S: '120' });
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await expectState([tab!], 'active');
  await workUntilAbsoluteWarning(world, tab!);
  const open = tab!.locator('dialog.lifeline-dialog[data-mode="absolute"][open]');
  await tab!.keyboard.type(' please find', { delay: 30 });
  // Still open, and no "Save my work first" recorded for every tab.
  expect(await open.count()).toBe(1);
  expect(await tab!.evaluate(() => localStorage.getItem('lifeline-dismissed'))).toBeNull();
});

it('keys typed on the absolute warning do not scroll the page behind it, away from the field', async () => {
  const world = await start({ ...DEMO_ENV, ABSOLUTE_TIMEOUT_S: '120' });
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  // A page long enough to scroll.
  await tab!.evaluate(() => {
    const tall = document.createElement('div');
    tall.style.height = '5000px';
    document.body.append(tall);
  });
  await workUntilAbsoluteWarning(world, tab!);
  const before = await tab!.evaluate(() => scrollY);
  await tab!.keyboard.type(' please find a', { delay: 30 });
  await tab!.keyboard.press('PageDown');
  await tab!.keyboard.press('ArrowDown');
  expect(await tab!.evaluate(() => scrollY)).toBe(before);
});

it("keeps its ink, its link's colours and a focus ring under the page's own element rules", async () => {
  const world = await start(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  // Rules a page may well have (a dark theme, Bootstrap's link hover, a reset), ahead of the
  // dialog's sheet as a page's own sheets are.
  await tab!.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      'h2{color:#fff} p{color:#ddd} a:hover,a:visited{color:#0056b3} :focus{outline:0}',
    );
    document.adoptedStyleSheets = [sheet, ...document.adoptedStyleSheets];
  });
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor();
  const inks = await tab!.evaluate(() =>
    ['.lifeline-dialog', '.lifeline-title', '.lifeline-body', '.lifeline-clock'].map(
      (s) => getComputedStyle(document.querySelector(s)!).color,
    ),
  );
  expect(new Set(inks).size).toBe(1);
  // The keyboard's place is visible on the dialog's buttons.
  await tab!.keyboard.press('Tab');
  await tab!.keyboard.press('Shift+Tab');
  const ring = await tab!.evaluate(() => {
    const focused = document.activeElement!;
    return [
      focused.matches('.lifeline-button:focus-visible'),
      getComputedStyle(focused).outlineStyle,
    ];
  });
  expect(ring).toEqual([true, 'solid']);
  // Signed out: the notice's "Sign in again" link keeps its colours under the pointer.
  await world.advance(WARN_MS);
  await dialogIn(tab!).and(tab!.locator('[data-mode="ended"]')).waitFor();
  await tab!.hover('a.lifeline-primary');
  const [ink, ground] = await tab!.evaluate(() => {
    const link = getComputedStyle(document.querySelector('a.lifeline-primary')!);
    return [link.color, link.backgroundColor];
  });
  const paper = await tab!.evaluate(
    () => getComputedStyle(document.querySelector('.lifeline-dialog')!).backgroundColor,
  );
  // The link is the dialog's paper on its accent, as without the page's rule.
  expect(ink).toBe(paper);
  expect(ground).not.toBe(ink);
  // An app's override, one class more than the dialog's rule as documented, still applies.
  await tab!.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('.lifeline-dialog .lifeline-primary{background:green;color:black}');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  expect(
    await tab!.evaluate(() => {
      const link = getComputedStyle(document.querySelector('a.lifeline-primary')!);
      return [link.color, link.backgroundColor];
    }),
  ).toEqual(['rgb(0, 0, 0)', 'rgb(0, 128, 0)']);
});
