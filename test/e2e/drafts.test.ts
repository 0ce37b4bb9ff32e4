import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('keeps what was typed in the claim form in two tabs through an expiry, and shows it in both', async () => {
  world = await startWorld(DEMO_ENV);
  const [a] = await world.openTabs(1);
  await signIn(a!);
  const [b] = await world.openTabs(1);
  await a!.fill('input[name="purpose"]', 'Customer visit');
  await a!.fill('input[name="destination"]', 'Oslo');
  // The other tab's form follows, so the same claim reads the same in both.
  await expect.poll(() => b!.inputValue('input[name="destination"]')).toBe('Oslo');
  await b!.click('#next');
  await b!.fill('input[name="meals"]', '42');
  await expect.poll(() => a!.inputValue('input[name="meals"]')).toBe('42');

  // Nobody touches anything until the session runs out. Five seconds at a time: the leader
  // extends for the typing up to a keepalive spacing later, which moves the deadline.
  for (let s = 0; s < 2 * IDLE_MS && (await world.status()).state === 'active'; s += 5_000) {
    await world.advance(5_000);
  }
  await expectState([a!, b!], 'expired');
  await a!.keyboard.press('Escape'); // the signed-out notice
  await signIn(a!);
  for (const tab of [a!, b!]) {
    expect(await tab.inputValue('input[name="purpose"]')).toBe('Customer visit');
    expect(await tab.inputValue('input[name="destination"]')).toBe('Oslo');
    expect(await tab.inputValue('input[name="meals"]')).toBe('42');
  }
});
