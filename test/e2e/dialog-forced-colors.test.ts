import { expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS, WARN_MS } from './env.js';
import { signIn, worldPerTest } from './world.js';

// Windows High Contrast / forced colors: the browser replaces every background with the one
// system Canvas colour, so the page behind a modal and the modal itself look the same. Only
// a border (or outline), drawn in CanvasText, shows where the dialog starts (WCAG 1.4.11).
const start = worldPerTest();

it('draws the warning dialog with a visible edge in forced-colors mode', async () => {
  const world = await start(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  await tab!.emulateMedia({ forcedColors: 'active' });
  const edge = await tab!.evaluate(() => {
    const cs = getComputedStyle(document.querySelector('dialog.lifeline-dialog')!);
    const border = cs.borderTopStyle !== 'none' && Number.parseFloat(cs.borderTopWidth) > 0;
    const outline = cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) > 0;
    return { border, outline, bg: cs.backgroundColor };
  });
  expect(edge.border || edge.outline, JSON.stringify(edge)).toBe(true);
});
