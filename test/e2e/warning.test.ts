import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS, WARN_MS } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function fourSignedInTabs(w: World): Promise<Page[]> {
  const [first] = await w.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await w.openTabs(3))];
  await expectState(tabs, 'active');
  return tabs;
}

const dialogIn = (tab: Page) => tab.locator('dialog.lifeline-dialog');

it('warns in every idle tab before expiry, and "Stay signed in" in one tab closes it in all and moves the server deadline', async () => {
  world = await startWorld(DEMO_ENV);
  const tabs = await fourSignedInTabs(world);
  const before = await world.status();

  await world.advance(IDLE_MS - WARN_MS + 2_000);
  for (const tab of tabs) {
    await dialogIn(tab).waitFor({ state: 'visible', timeout: 5000 });
    await expect.poll(() => dialogIn(tab).getAttribute('data-mode')).toBe('idle');
  }
  await expect
    .poll(() => tabs[0]!.locator('.lifeline-title').textContent())
    .toBe("You'll be signed out soon");

  await tabs[1]!.getByRole('button', { name: 'Stay signed in' }).click();
  for (const tab of tabs) await dialogIn(tab).waitFor({ state: 'hidden', timeout: 2000 });
  const after = await world.status();
  expect(after.state).toBe('active');
  expect(after.idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt!);
  await expectState(tabs, 'active');
});

it('signs every idle tab out at expiry, and what was typed in the form is back after signing in again', async () => {
  world = await startWorld(DEMO_ENV);
  const tabs = await fourSignedInTabs(world);
  const typist = tabs[0]!;
  // Past the activity throttle (1 s a tab) that the sign-in click opened: `fill` sends no
  // keys, so the clicks below are the only activity, and on a fast machine they came inside
  // it and counted for nothing (no extension, 3 runs of 3 on a quiet host).
  await world.advance(1_000);
  await typist.fill('input[name="purpose"]', 'Customer workshop');
  await typist.click('#next');
  await typist.fill('input[name="travel"]', '182.40');
  await typist.click('#next');
  await typist.fill('textarea[name="justification"]', 'Met the Lyon team to plan Q3.');
  // The keepalive extends for that typing (every 20 s here); a jump straight into the warning
  // window would be a sleep, after which the leader extends for it all the same.
  const w = world;
  const typed = (await w.status()).idleExpiresAt!;
  await w.advance(20_000);
  await expect.poll(async () => (await w.status()).idleExpiresAt).toBeGreaterThan(typed);

  // Nobody touches anything: the warning, then the end, in every tab.
  await world.advance(IDLE_MS - WARN_MS + 1_000);
  for (const tab of tabs) await dialogIn(tab).waitFor({ state: 'visible', timeout: 5000 });
  await world.advance(WARN_MS);
  await expectState(tabs, 'expired');
  for (const tab of tabs) {
    await expect
      .poll(() => tab.locator('.lifeline-title').textContent())
      .toBe('You have been signed out');
  }
  expect((await world.status()).state).toBe('none');

  // The notice links back to where the person was; signing in brings the draft back.
  const link = typist.getByRole('link', { name: 'Sign in again' });
  expect(await link.getAttribute('href')).toContain('returnTo=');
  await link.click();
  await typist.waitForSelector('body[data-session="expired"], body[data-session="signed-out"]');
  await signIn(typist);
  expect(await typist.inputValue('textarea[name="justification"]')).toBe(
    'Met the Lyon team to plan Q3.',
  );
  expect(await typist.inputValue('input[name="purpose"]')).toBe('Customer workshop');
  expect(await typist.inputValue('input[name="travel"]')).toBe('182.40');
  await expect.poll(() => typist.locator('fieldset[data-step="3"]').isVisible()).toBe(true);
  await expectState(tabs, 'active');
});

it('reaches every tab within 2 s when one tab signs out', async () => {
  world = await startWorld(DEMO_ENV);
  const tabs = await fourSignedInTabs(world);
  await tabs[3]!.click('#sign-out');
  const started = Date.now();
  await expectState(tabs, 'signed-out', 2000);
  expect(Date.now() - started).toBeLessThan(2000);
  for (const tab of tabs.slice(0, 3)) {
    await expect.poll(() => tab.locator('.lifeline-body').textContent()).toMatch(/another tab/);
  }
  expect(await dialogIn(tabs[3]!).isVisible()).toBe(false);
  expect((await world.status()).state).toBe('none');
});

const DRAFT_KEY = 'lifeline-demo:claim-draft';
const savedDraft = (tab: Page) => tab.evaluate((key) => localStorage.getItem(key), DRAFT_KEY);

/** Types into the first two steps of the claim form and waits for the draft to be saved. */
async function typeClaim(tab: Page): Promise<void> {
  await tab.fill('input[name="purpose"]', 'Customer workshop');
  await tab.click('#next');
  await tab.fill('input[name="travel"]', '182.40');
  await expect.poll(() => savedDraft(tab)).toContain('182.40');
}

/** After a sign-out: no draft, an empty form on step 1, also once someone signs in again. */
async function expectClaimGone(tab: Page): Promise<void> {
  await expect.poll(() => savedDraft(tab)).toBeNull();
  await signIn(tab);
  expect(await tab.inputValue('input[name="purpose"]')).toBe('');
  expect(await tab.inputValue('input[name="travel"]')).toBe('');
  await expect.poll(() => tab.locator('fieldset[data-step="1"]').isVisible()).toBe(true);
}

it('a sign-out in another tab discards the draft and empties the form the person typed in', async () => {
  world = await startWorld(DEMO_ENV);
  const [typist, other] = await fourSignedInTabs(world);
  await typeClaim(typist!);
  await other!.click('#sign-out');
  await expectState([typist!], 'signed-out');
  await dialogIn(typist!).getByRole('button', { name: 'Close' }).click(); // the notice
  await expectClaimGone(typist!);
});

it('a tab the person had left is blank when they go back to it after a sign-out elsewhere (a shared computer)', async () => {
  world = await startWorld(DEMO_ENV);
  const [left] = await world.openTabs(1);
  await signIn(left!);
  await typeClaim(left!);
  const [other] = await world.openTabs(1);
  await left!.goto('/plain'); // a link followed in that tab: it is not open at the sign-out
  await other!.click('#sign-out');
  await expectState([other!], 'signed-out');
  // Going back, Chromium puts back what the fields held; the next person signs in there.
  await left!.goBack();
  await left!.waitForSelector('body[data-session]:not([data-session="unknown"])');
  await expectClaimGone(left!);
});

it('"Sign out" in the warning discards the draft too; an expiry keeps it (test above)', async () => {
  world = await startWorld(DEMO_ENV);
  const [typist] = await world.openTabs(1);
  await signIn(typist!);
  await typeClaim(typist!);
  await world.advance(IDLE_MS - WARN_MS + 1_000);
  await dialogIn(typist!).waitFor({ state: 'visible', timeout: 5000 });
  await dialogIn(typist!).getByRole('button', { name: 'Sign out' }).click();
  await expectState([typist!], 'signed-out');
  // The dialog says so: on a page with no code of its own, nothing else would.
  await expect.poll(() => dialogIn(typist!).getAttribute('data-mode')).toBe('ended');
  expect(await dialogIn(typist!).locator('.lifeline-body').textContent()).toBe(
    'You signed out, possibly in another tab.',
  );
  await dialogIn(typist!).getByRole('button', { name: 'Close' }).click();
  await expectClaimGone(typist!);
});

it('tells the person their draft is saved also when the server no longer knows the session', async () => {
  world = await startWorld(DEMO_ENV);
  const [typist] = await world.openTabs(1);
  await signIn(typist!);
  await typeClaim(typist!);
  // The session is gone on the server's side (a restart of the memory store, or cookies
  // cleared): the next API call finds none, with the reason `missing`.
  await world.context.clearCookies();
  await typist!.click('#check-notes');
  await expectState([typist!], 'expired');
  await dialogIn(typist!).getByRole('button', { name: 'Close' }).click();
  expect(await typist!.textContent('#signin-note')).toBe(
    'Your session ended. Your draft is saved.',
  );
  expect(await savedDraft(typist!)).toContain('182.40');
});

it('lets a session expire while the page scrolls by itself (a live log): scrolling by script is not the person', async () => {
  world = await startWorld(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await expectState([tab!], 'active');
  // A feed that keeps scrolling itself, as a chat or a live log does.
  await tab!.evaluate(() => {
    const feed = document.createElement('div');
    feed.style.cssText = 'height:60px;overflow:auto';
    feed.append(Object.assign(document.createElement('div'), { style: 'height:5000px' }));
    document.body.append(feed);
    setInterval(() => {
      feed.scrollTop += 10;
    }, 500);
  });
  // Second by second, with a moment of real time after each for the browser to render and
  // deliver the scroll events (a clock jump runs timers without rendering in between).
  for (let s = 0; s < (IDLE_MS - WARN_MS) / 1000 + 1; s++) {
    await world.advance(1_000);
    await tab!.waitForTimeout(20);
  }
  await dialogIn(tab!).waitFor({ state: 'visible', timeout: 5000 });
  await world.advance(WARN_MS);
  await expectState([tab!], 'expired');
});

it('leaves the sign-in page the expiry notice led to once another tab signs in, and warns there', async () => {
  world = await startWorld(DEMO_ENV);
  const [a] = await world.openTabs(1);
  await signIn(a!);
  const [b] = await world.openTabs(1);
  await world.advance(IDLE_MS + 1000);
  await expectState([a!, b!], 'expired');
  // In tab B the person follows the notice's "Sign in again", then signs in in tab A.
  await dialogIn(b!).getByRole('link', { name: 'Sign in again' }).click();
  await b!.waitForURL(/\?returnTo=/);
  await b!.locator('#signin-form').waitFor({ state: 'visible' });
  await dialogIn(a!).getByRole('button', { name: 'Close' }).click(); // the notice
  await signIn(a!);
  // B stayed on the form, saying the session was close to its maximum length, with no dialog.
  await expect.poll(() => b!.locator('#signed-in').isVisible(), { timeout: 2000 }).toBe(true);
  expect(new URL(b!.url()).search).toBe('');
  await world.advance(IDLE_MS - WARN_MS + 1_000);
  await dialogIn(b!).waitFor({ state: 'visible', timeout: 5000 });
});
