import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { expectState, signIn, snapshot, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const isLeader = (tab: Page) => tab.locator('#tab-role').getAttribute('data-leader');

/** Records every session state `tab` shows from now on (body[data-session]) other than active. */
async function recordStates(tab: Page): Promise<() => Promise<string[]>> {
  await tab.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statesSeen: string[] }).statesSeen = seen;
    // Old values too: a state shown and left within one task still counts.
    new MutationObserver((records) => {
      const states = [...records.map((r) => r.oldValue), document.body.dataset.session];
      for (const state of states) if (state !== 'active') seen.push(state ?? '');
    }).observe(document.body, {
      attributes: true,
      attributeFilter: ['data-session'],
      attributeOldValue: true,
    });
  });
  return () => tab.evaluate(() => (window as unknown as { statesSeen: string[] }).statesSeen);
}

// The leader tab is frozen (no script runs in it; it keeps its Web Lock, so no other tab
// takes over) while a person types in the follower for two idle timeouts. The follower must
// send the keepalive itself when the warning would show, and once the leader resumes every
// tab must agree with the server, with nobody warned or signed out on the way.
it('a frozen leader tab costs latency, never a warning or a sign-out for the person typing in another tab', async () => {
  world = await startWorld(DEMO_ENV);
  const [leader] = await world.openTabs(1);
  await signIn(leader!);
  const [follower] = await world.openTabs(1);
  const tabs = [leader!, follower!];
  await expectState(tabs, 'active');
  await expect.poll(() => Promise.all(tabs.map(isLeader))).toEqual(['true', 'false']);
  const before = await world.status();

  const statesSeen = await Promise.all(tabs.map(recordStates));
  const resume = await world.freeze(leader!);
  await follower!.click('input[name="purpose"]');
  // 12 × 10 s = two idle timeouts of typing; the warning would show 40 s after sign-in.
  for (let i = 0; i < 12; i++) {
    await follower!.keyboard.type('ab');
    await follower!.waitForTimeout(150);
    await world.advance(10_000);
    expect(await follower!.locator('dialog[open]').count()).toBe(0);
  }
  await follower!.waitForTimeout(500);

  // The frozen leader keeps its Web Lock: the follower is still a follower, and extended itself.
  expect(await isLeader(follower!)).toBe('false');
  await expectState([follower!], 'active');
  expect(await statesSeen[1]!()).toEqual([]);
  const during = await world.status();
  expect(during.state).toBe('active');
  expect(during.idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt! + IDLE_MS);

  // Resumed, the leader finds its deadline long past: it asks the server, never signs out.
  await resume();
  await expectState(tabs, 'active');
  const deadlines = () =>
    Promise.all(tabs.map(async (tab) => (await snapshot(tab)).idleExpiresAt ?? 0));
  // Every tab shows the server's deadline, to the second the page displays.
  await expect
    .poll(async () => {
      const [a, b] = await deadlines();
      return Math.abs(a! - b!) < 1000 && Math.abs(a! - during.idleExpiresAt!) < 1000;
    })
    .toBe(true);
  expect(await Promise.all(tabs.map(isLeader))).toEqual(['true', 'false']);
  for (const seen of statesSeen) expect(await seen()).toEqual([]);
  for (const tab of tabs) expect(await tab.locator('dialog[open]').count()).toBe(0);
  expect(await follower!.inputValue('input[name="purpose"]')).toBe('ab'.repeat(12));
  expect((await world.status()).state).toBe('active');
});
