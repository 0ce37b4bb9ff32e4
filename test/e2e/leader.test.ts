import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const isLeader = (tab: Page) => tab.locator('#tab-role').getAttribute('data-leader');

/** Types for `rounds` × 10 s of world time in `tab`: enough activity for keepalives to flow. */
async function typeFor(w: World, tab: Page, rounds: number): Promise<void> {
  await tab.click('input[name="destination"]');
  for (let i = 0; i < rounds; i++) {
    await tab.keyboard.type('x');
    await tab.waitForTimeout(150);
    await w.advance(10_000);
  }
  await tab.waitForTimeout(500);
}

it('hands polling and keepalive to another tab when the leader tab closes', async () => {
  world = await startWorld(DEMO_ENV);
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await world.openTabs(2))];
  await expectState(tabs, 'active');
  await expect
    .poll(async () => (await Promise.all(tabs.map(isLeader))).filter((l) => l === 'true').length)
    .toBe(1);
  const leader = (await Promise.all(tabs.map(isLeader))).indexOf('true');
  await tabs[leader]!.close();
  const rest = tabs.filter((_, i) => i !== leader);

  await expect
    .poll(async () => (await Promise.all(rest.map(isLeader))).filter((l) => l === 'true').length, {
      timeout: 10_000,
    })
    .toBe(1);

  // The new leader keeps the session alive for a person typing in any remaining tab.
  const before = await world.status();
  await typeFor(world, rest[1]!, 9);
  await expectState(rest, 'active');
  const after = await world.status();
  expect(after.state).toBe('active');
  expect(after.idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt! + IDLE_MS / 2);
});

it('costs the server no more /session/* requests with four tabs than with one', async () => {
  const scenario = async (tabCount: number): Promise<number> => {
    const w = await startWorld(DEMO_ENV);
    try {
      const [first] = await w.openTabs(1);
      await signIn(first!);
      const tabs = [first!, ...(await w.openTabs(tabCount - 1))];
      await expectState(tabs, 'active');
      await first!.waitForTimeout(1000);
      // Count only the steady state: what every tab does while a person works for 2 minutes.
      w.server.resetCounts();
      // The same person in the same first tab; the other tabs just sit open.
      await typeFor(w, first!, 12);
      await expectState(tabs, 'active');
      return w.server.sessionRequests();
    } finally {
      await w.close();
    }
  };
  const one = await scenario(1);
  const four = await scenario(4);
  console.info(`/session/* requests over 2 minutes of typing: 1 tab ${one}, 4 tabs ${four}`);
  expect(one).toBeGreaterThan(0);
  // One keepalive may fall either side of the window's end (its phase follows the sign-in
  // instant), so "the same" allows one request; N tabs polling on their own would be 4×.
  expect(four).toBeLessThanOrEqual(one + 1);
});

it('shares news between tabs without an election on a page that is not a secure context (no Web Locks): every tab leads, none warns a person typing in another, a sign-out reaches all', async () => {
  // Plain http on a host name other than localhost (an intranet, a phone on the LAN).
  world = await startWorld(DEMO_ENV, { insecure: true });
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await world.openTabs(2))];
  await expectState(tabs, 'active');
  expect(
    await tabs[1]!.evaluate(() => [
      isSecureContext,
      typeof BroadcastChannel,
      typeof navigator.locks,
    ]),
  ).toEqual([false, 'function', 'undefined']);
  await expect.poll(() => Promise.all(tabs.map(isLeader))).toEqual(['true', 'true', 'true']);

  const before = await world.status();
  world.server.resetCounts();
  await typeFor(world, tabs[0]!, 12);
  const after = await world.status();
  expect(after.state).toBe('active');
  expect(after.idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt! + IDLE_MS);
  console.info(
    `/session/* requests over 2 minutes of typing, 3 tabs, no election: ${world.server.sessionRequests()}`,
  );
  // The idle tabs hear of the typing and the extensions: no warning anywhere.
  await expectState(tabs, 'active');
  for (const tab of tabs) expect(await tab.locator('dialog[open]').count()).toBe(0);

  await tabs[2]!.click('#sign-out');
  await expectState(tabs, 'signed-out', 2000);
});
