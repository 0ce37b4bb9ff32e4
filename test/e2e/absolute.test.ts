import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, startWorld, type World, workUntilAbsoluteWarning } from './world.js';

// Two minutes in all: the absolute warning opens 20 s before, at 1:40.
const ENV = { ...DEMO_ENV, ABSOLUTE_TIMEOUT_S: '120' };

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('keeps a person typing when the absolute warning opens on the page, and the warning in front of them', async () => {
  world = await startWorld(ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!); // no "remember me": "Sign in again" goes to the sign-in page
  const url = tab!.url();
  await workUntilAbsoluteWarning(world, tab!);
  // Focus is on the title, no button: the next words of their sentence press nothing.
  expect(await tab!.evaluate(() => document.activeElement?.className)).toBe('lifeline-title');
  const typed = await tab!.inputValue('input[name="purpose"]');
  await tab!.keyboard.type(' to Berlin');
  await tab!.waitForTimeout(500);
  // The page stays, and so does the only warning of a limit that cannot be extended.
  expect(tab!.url()).toBe(url);
  expect(await tab!.locator('dialog.lifeline-dialog[open]').count()).toBe(1);
  // Read, "Save my work first" closes it, and the field is as it was. (Headless Chromium
  // puts focus back on the field but drops keys typed before it is clicked again: a click
  // here, as a person would whose first key did nothing; see docs/design-decisions.md.)
  await tab!.getByRole('button', { name: 'Save my work first' }).click();
  await tab!.click('input[name="purpose"]');
  await tab!.keyboard.press('End');
  await tab!.keyboard.type(' to Berlin');
  expect(await tab!.inputValue('input[name="purpose"]')).toBe(`${typed} to Berlin`);
});

it('words the absolute limit differently, offers no extension, and ends the session at the limit', async () => {
  world = await startWorld(ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await workUntilAbsoluteWarning(world, tab!);
  const dialog = tab!.locator('dialog.lifeline-dialog');
  expect(await dialog.locator('.lifeline-title').textContent()).toBe(
    'Maximum session length reached',
  );
  expect(await tab!.getByRole('button', { name: 'Stay signed in' }).count()).toBe(0);

  await tab!.getByRole('button', { name: 'Save my work first' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await tab!.keyboard.type(' saved');
  await world.advance(25_000);
  await expectState([tab!], 'expired');
  await expect
    .poll(() => dialog.locator('.lifeline-body').textContent())
    .toMatch(/maximum session length reached/i);
  expect((await world.status()).reason).toBe('absolute-timeout');
});

it('"Sign in again" in the absolute warning re-authenticates silently with "remember me"', async () => {
  world = await startWorld(ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!, { remember: true });
  const first = await world.status();
  await workUntilAbsoluteWarning(world, tab!);
  await tab!.getByRole('button', { name: 'Sign in again' }).click();
  await tab!.locator('dialog.lifeline-dialog').waitFor({ state: 'hidden', timeout: 3000 });
  await expectState([tab!], 'active');
  const fresh = await world.status();
  expect(fresh.absoluteExpiresAt!).toBeGreaterThan(first.absoluteExpiresAt!);
  expect(await tab!.inputValue('input[name="purpose"]')).toBe('w'.repeat(10));
});

it('"Sign in again" without "remember me" opens the sign-in form over the live session; signing in there moves the absolute deadline and keeps the draft', async () => {
  world = await startWorld(ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  const first = await world.status();
  await workUntilAbsoluteWarning(world, tab!);
  await tab!.getByRole('button', { name: 'Sign in again' }).click();

  await tab!.waitForURL(/\?returnTo=/);
  const form = tab!.locator('#signin-form');
  await form.waitFor({ state: 'visible' });
  expect(await tab!.locator('#signin-note').textContent()).toMatch(/sign in again/i);
  // The absolute warning would cover the form it asks for.
  expect(await tab!.locator('dialog.lifeline-dialog[open]').count()).toBe(0);

  await form.locator('input[name="password"]').fill('demo');
  await form.locator('button[type="submit"]').click();
  await tab!.locator('#signed-in').waitFor({ state: 'visible' });
  expect(new URL(tab!.url()).search).toBe('');
  const fresh = await world.status();
  expect(fresh.absoluteExpiresAt!).toBeGreaterThan(first.absoluteExpiresAt!);
  expect(await tab!.inputValue('input[name="purpose"]')).toBe('w'.repeat(10));
  await expectState([tab!], 'active');
});
