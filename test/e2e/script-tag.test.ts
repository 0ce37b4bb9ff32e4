import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS, WARN_MS } from './env.js';
import { signIn, startWorld, type World } from './world.js';

let world: World | undefined;

/** Signs the browser context in with a JSON login, without a page. */
async function signInByRequest(w: World): Promise<void> {
  const login = await w.context.request.post('/login', {
    headers: { Origin: w.server.url },
    data: { username: 'demo', password: 'demo' },
  });
  expect(login.status()).toBe(200);
}
/** Opens `path` (the one-tag page) in `n` new tabs and waits until each shows the session. */
async function openSignedInPlain(w: World, n: number, path = '/plain') {
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = await w.context.newPage();
    await page.goto(path);
    await page.waitForFunction(() => window.Lifeline?.client.getSnapshot().state === 'active');
    pages.push(page);
  }
  return pages;
}

afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('starts the client and the dialog from one script tag, and exposes window.Lifeline', async () => {
  world = await startWorld(DEMO_ENV);
  await signInByRequest(world);
  const page = await world.context.newPage();
  await page.goto('/plain');
  await page.waitForFunction(() => window.Lifeline !== undefined);
  const global = await page.evaluate(() => ({
    version: window.Lifeline?.version,
    hasFetch: typeof window.Lifeline?.client.fetch,
    state: window.Lifeline?.client.getSnapshot().state,
  }));
  expect(global).toEqual({ version: '0.1.0', hasFetch: 'function', state: expect.any(String) });
  // The tag carries the demo's data-warn-before (20 s): no warning until that window, then
  // the dialog opens from the tag alone.
  expect(await page.locator('script[data-warn-before="20"]').count()).toBe(1);
  expect(await page.locator('dialog.lifeline-dialog[open]').count()).toBe(0);
  await world.advance(IDLE_MS - WARN_MS + 2_000);
  await page.locator('dialog.lifeline-dialog[data-mode="idle"]').waitFor({ timeout: 5000 });
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await expect
    .poll(() => page.evaluate(() => window.Lifeline?.client.getSnapshot().state))
    .not.toBe('expired');
});

it('runs the demo page through warning and sign-out without a single CSP violation', async () => {
  world = await startWorld(DEMO_ENV);
  await world.context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await world.advance(IDLE_MS - WARN_MS + 1_000);
  await tab!.locator('dialog.lifeline-dialog[open]').waitFor({ timeout: 3000 });
  // The dialog's own stylesheet applied (adoptedStyleSheets), with no inline style allowed.
  expect(
    await tab!.evaluate(() => getComputedStyle(document.querySelector('.lifeline-sr')!).position),
  ).toBe('absolute');
  await world.advance(WARN_MS);
  await tab!.locator('dialog.lifeline-dialog[data-mode="ended"]').waitFor({ timeout: 3000 });
  expect(
    await tab!.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  ).toEqual([]);
});

it("signs every tab out at once from the one-tag page's Sign out, telling the others why", async () => {
  world = await startWorld(DEMO_ENV);
  await signInByRequest(world);
  const snapshot = () => {
    const s = window.Lifeline?.client.getSnapshot();
    return [s?.state, s?.lastReason];
  };
  const tabs = [];
  for (let i = 0; i < 2; i++) {
    const page = await world.context.newPage();
    await page.goto('/plain');
    await expect.poll(() => page.evaluate(snapshot)).toEqual(['active', null]);
    tabs.push(page);
  }
  const [a, b] = tabs as [(typeof tabs)[number], (typeof tabs)[number]];
  await a.locator('#logout').click();
  // The page clock is frozen: tab B has no poll to learn from, only tab A's message.
  await expect
    .poll(() => b.evaluate(snapshot), { timeout: 3000 })
    .toEqual(['signed-out', 'logged-out']);
  expect((await world.status()).state).toBe('none');
});

it("styles the dialog of a tag carrying the page's script nonce under style-src 'self'", async () => {
  world = await startWorld(DEMO_ENV);
  // A strict policy whose nonce is for scripts alone: a <style nonce> would be blocked, a
  // constructable stylesheet is not governed by CSP.
  await world.context.route('**/nonce-page', (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: {
        'Content-Security-Policy':
          "default-src 'self'; script-src 'nonce-r4nd0m'; style-src 'self'",
      },
      body: '<!doctype html><html lang="en"><body><p>Orders</p><script nonce="r4nd0m" src="/session/client.js" defer></script></body></html>',
    }),
  );
  const page = await world.context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/.test(message.text())) violations.push(message.text());
  });
  await page.goto('/nonce-page');
  await page.waitForFunction(() => window.Lifeline !== undefined);
  // The visually hidden live region is only hidden when the dialog's sheet applies.
  expect(
    await page.evaluate(() => getComputedStyle(document.querySelector('.lifeline-sr')!).position),
  ).toBe('absolute');
  expect(violations).toEqual([]);
});

it('loads the one-tag page, signed out and signed in, without a console error', async () => {
  world = await startWorld(DEMO_ENV);
  const page = await world.context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto('/plain');
  await page.fill('input[name="username"]', 'demo');
  await page.fill('input[name="password"]', 'demo');
  await page.click('form button');
  await page.waitForFunction(() => window.Lifeline?.client.getSnapshot().state === 'active');
  // Give the browser time to ask for what the page lacks (a favicon) and report it.
  await page.waitForTimeout(500);
  expect(errors).toEqual([]);
});

it('stops saying who is signed in on the one-tag page once the session ended in another tab', async () => {
  world = await startWorld(DEMO_ENV);
  await signInByRequest(world);
  const [a, b] = (await openSignedInPlain(world, 2)) as [Page, Page];
  await a.locator('#logout').click();
  await b.locator('dialog.lifeline-dialog[data-mode="ended"]').waitFor({ timeout: 3000 });
  await b.getByRole('button', { name: 'Close' }).click();
  expect(await b.locator('h1').textContent()).toBe('Signed out');
  expect(await b.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  await b.getByRole('link', { name: 'Sign in again' }).click();
  await b.locator('input[name="username"]').waitFor();
});

it('shows who is signed in again on the one-tag page once another tab signed in again', async () => {
  world = await startWorld(DEMO_ENV);
  const [a] = await world.openTabs(1);
  await signIn(a!);
  const [b] = await world.openTabs(1);
  const plain = await world.context.newPage();
  const violations: string[] = [];
  plain.on('console', (message) => {
    if (/Content Security Policy/.test(message.text())) violations.push(message.text());
  });
  await plain.goto('/plain');
  await plain.waitForFunction(() => window.Lifeline?.client.getSnapshot().state === 'active');
  await a!.click('#sign-out');
  await expect.poll(() => plain.locator('#who').textContent()).toBe('Signed out');
  await b!.keyboard.press('Escape'); // the signed-out notice
  await signIn(b!);
  await expect.poll(() => plain.locator('#who').textContent()).toBe('Signed in as Demo User');
  expect(await plain.locator('#logout').isVisible()).toBe(true);
  expect(await plain.locator('#ended').isVisible()).toBe(false);
  expect(violations).toEqual([]);
});

it('brings the person back to the one-tag page after "Sign in again" in its notice', async () => {
  world = await startWorld(DEMO_ENV);
  await signInByRequest(world);
  const [a, b] = (await openSignedInPlain(world, 2, '/plain?tab=2')) as [Page, Page];
  await a.locator('#logout').click();
  const notice = b.locator('dialog.lifeline-dialog[data-mode="ended"]');
  await notice.waitFor({ timeout: 3000 });
  await notice.getByRole('link', { name: 'Sign in again' }).click();
  await b.fill('input[name="username"]', 'demo');
  await b.fill('input[name="password"]', 'demo');
  await b.click('form button');
  // The page's own form, which sends the person back to the page the notice was on.
  await b.waitForURL((url) => url.pathname === '/plain' && url.search === '?tab=2');
  expect(await b.locator('h1').textContent()).toContain('Signed in as');
});

it('hands leadership on when the leading tab closes, with the script-tag bundle', async () => {
  world = await startWorld(DEMO_ENV);
  await signInByRequest(world);
  const tabs = await openSignedInPlain(world, 2);
  const leads = (tab: Page) => tab.evaluate(() => window.Lifeline?.client.getSnapshot().isLeader);
  await expect
    .poll(async () => (await Promise.all(tabs.map(leads))).filter(Boolean).length)
    .toBe(1);
  const leader = (await leads(tabs[0]!)) ? 0 : 1;
  await tabs[leader]!.close();
  await expect.poll(() => leads(tabs[1 - leader]!), { timeout: 5000 }).toBe(true);
});

it('leaves the one-tag sign-in form for the page once another tab signed in', async () => {
  world = await startWorld(DEMO_ENV);
  const plain = await world.context.newPage();
  await plain.goto('/plain');
  await plain.locator('input[name="username"]').waitFor();
  await plain.waitForFunction(() => window.Lifeline !== undefined);
  const [a] = await world.openTabs(1);
  await signIn(a!);
  await expect
    .poll(() => plain.locator('h1').textContent(), { timeout: 5000 })
    .toBe('Signed in as Demo User');
  expect(new URL(plain.url()).pathname).toBe('/plain');
});

it("lets the page's own CSS restyle the dialog, one class more specific as documented", async () => {
  world = await startWorld(DEMO_ENV, { realClock: true });
  // docs/dialog-and-script-tag.md, Styling: the dialog's sheet comes after the page's, so a
  // rule one class (or element) more specific than the dialog's own wins.
  await world.context.route('**/app.css', (route) =>
    route.fulfill({
      contentType: 'text/css',
      body: '.lifeline-dialog .lifeline-title{font-size:40px}dialog.lifeline-dialog{max-width:300px}',
    }),
  );
  await world.context.route('**/styled-page', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><head><link rel="stylesheet" href="/app.css"></head><body><p>Orders</p><script src="/session/client.js" defer></script></body></html>',
    }),
  );
  const page = await world.context.newPage();
  await page.goto('/styled-page');
  await page.waitForFunction(() => document.querySelector('.lifeline-title') !== null);
  const styles = await page.evaluate(() => ({
    title: getComputedStyle(document.querySelector('.lifeline-title')!).fontSize,
    maxWidth: getComputedStyle(document.querySelector('.lifeline-dialog')!).maxWidth,
  }));
  expect(styles).toEqual({ title: '40px', maxWidth: '300px' });
});

it('starts the dialog from a tag in a same-origin srcdoc iframe', async () => {
  world = await startWorld(DEMO_ENV, { realClock: true });
  await signInByRequest(world);
  await world.context.route('**/framed', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><body><iframe srcdoc="<body><p>Orders</p><script src='/session/client.js' data-sign-in-url='/plain'></script></body>"></iframe></body></html>`,
    }),
  );
  const page = await world.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/framed');
  const frame = page.frames()[1]!;
  await frame.waitForLoadState();
  await expect
    .poll(() => frame.evaluate(() => window.Lifeline?.client.getSnapshot().state))
    .toBe('active');
  expect(await frame.locator('dialog.lifeline-dialog').count()).toBe(1);
  expect(errors).toEqual([]);
});
