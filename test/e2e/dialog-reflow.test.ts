import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS, WARN_MS } from './env.js';
import { signIn, worldPerTest } from './world.js';

// WCAG 2.2 1.4.10 Reflow (320 CSS px, no loss of content) and 1.4.4 Resize Text (200%).
// docs/dialog-and-script-tag.md: translated words through `strings` / `data-strings-*`.
const start = worldPerTest();

/** The dialog's buttons (and link) that stick out of the dialog or the screen. */
const cutOff = (page: Page) =>
  page.evaluate(() => {
    const d = document.querySelector<HTMLDialogElement>('dialog.lifeline-dialog[open]')!;
    const box = d.getBoundingClientRect();
    const bad: string[] = [];
    for (const el of d.querySelectorAll<HTMLElement>('.lifeline-title, .lifeline-button')) {
      const r = el.getBoundingClientRect();
      if (r.left < Math.max(box.left, 0) - 0.5 || r.right > Math.min(box.right, innerWidth) + 0.5)
        bad.push(
          `"${el.textContent}" ${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`,
        );
    }
    // Content that sticks out sideways must at least be reachable by scrolling.
    if (d.scrollWidth > d.clientWidth + 1) bad.push('dialog scrolls sideways');
    return bad;
  });

it('keeps every button of the warning on a 375 px phone with the browser text size at 200%', async () => {
  const world = await start(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await tab!.setViewportSize({ width: 375, height: 740 });
  // The browser's own text-size setting (Chrome: Settings > Appearance > Font size).
  const cdp = await world.context.newCDPSession(tab!);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
  await signIn(tab!);
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  expect(await cutOff(tab!)).toEqual([]);
});

it('keeps both buttons of the warning at 320 px with German words (data-strings-*)', async () => {
  const world = await start(DEMO_ENV);
  // The one-tag page with the dialog's words translated through the tag's attributes.
  await world.context.route('**/plain', async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(
      'data-endpoint=',
      'data-strings-stay="Angemeldet bleiben" data-strings-sign-out="Abmelden" data-endpoint=',
    );
    await route.fulfill({ response: res, body: html });
  });
  const login = await world.context.request.post('/login', {
    headers: { Origin: world.server.url },
    data: { username: 'demo', password: 'demo' },
  });
  expect(login.status()).toBe(200);
  const page = await world.context.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/plain');
  await page.waitForFunction(() => window.Lifeline?.client.getSnapshot().state === 'active');
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await page.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  expect(await page.getByRole('button', { name: 'Abmelden' }).count()).toBe(1);
  expect(await cutOff(page)).toEqual([]);
});
