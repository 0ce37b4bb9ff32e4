import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('keeps all four tabs signed in while a person types in one of them for longer than the idle timeout', async () => {
  world = await startWorld(DEMO_ENV);
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await world.openTabs(3))];
  await expectState(tabs, 'active');
  const before = await world.status();

  const typist = tabs[2]!;
  await typist.click('input[name="purpose"]');
  // 12 × 10 s = two idle timeouts, typing between the jumps.
  for (let i = 0; i < 12; i++) {
    await typist.keyboard.type('ab');
    await typist.waitForTimeout(150);
    await world.advance(10_000);
  }
  await typist.waitForTimeout(500);

  await expectState(tabs, 'active');
  for (const tab of tabs) expect(await tab.locator('dialog[open]').count()).toBe(0);
  const after = await world.status();
  expect(after.state).toBe('active');
  expect(after.idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt! + IDLE_MS);
  expect(await typist.inputValue('input[name="purpose"]')).toBe('ab'.repeat(12));
});
