import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('re-authenticates silently with "remember me" when the session expired under an API call, and the call succeeds', async () => {
  world = await startWorld(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!, { remember: true });
  const before = await world.status();
  // Only the server's clock moves: the session ends there while the page still believes
  // it is live, as after a server-side expiry the page has not heard of yet.
  world.server.advanceServerOnly(IDLE_MS + 5_000);
  expect((await world.status()).state).toBe('none');

  await tab!.click('#add-cart');
  await expect.poll(() => tab!.locator('#api-result').textContent()).toBe('Cart: 1 item(s)');
  await expectState([tab!], 'active');
  const after = await world.status();
  expect(after.state).toBe('active');
  expect(after.idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt!);
  await expect.poll(() => tab!.locator('#log').textContent()).toContain('reauthenticated');
});

it('shows the right state at once when the laptop wakes past the deadline, in every tab', async () => {
  world = await startWorld(DEMO_ENV);
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await world.openTabs(2))];
  await expectState(tabs, 'active');

  await tabs[0]!.waitForTimeout(1000);
  world.server.resetCounts();

  // Sleep: no timer runs while the clock jumps five minutes; then everything fires at once.
  await world.advance(5 * 60_000);
  await expectState(tabs, 'expired', 3000);
  for (const tab of tabs) {
    await expect.poll(() => tab.locator('.lifeline-body').textContent()).toMatch(/inactive/);
  }
  // Past the followers' grace: the leader's one check told every tab.
  await tabs[0]!.waitForTimeout(2000);
  expect(world.server.sessionRequests()).toBe(1);
});

it('wakes inside the warning window with the warning up and the right time left, still signed in', async () => {
  world = await startWorld(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await world.advance(45_000);
  await tab!.locator('dialog.lifeline-dialog[data-mode="idle"]').waitFor({ timeout: 3000 });
  await expectState([tab!], 'warning');
  const seconds = await tab!.locator('.lifeline-clock').textContent();
  expect(seconds).toMatch(/^00:1[0-5]$/);
  expect((await world.status()).state).toBe('active');
});
