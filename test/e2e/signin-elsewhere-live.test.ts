import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, startWorld, type World, workUntilAbsoluteWarning } from './world.js';

// As absolute.test.ts: two minutes in all, the absolute warning at 1:40.
const ENV = { ...DEMO_ENV, ABSOLUTE_TIMEOUT_S: '120' };

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

// The sign-in form the absolute warning's "Sign in again" opens (over the live session)
// stays until a sign-in moves the absolute deadline; one in another tab does, and the form
// stayed, saying the session was near its maximum length, with no dialog for the new one.
it('leaves the sign-in page the absolute warning led to once another tab signs in', async () => {
  world = await startWorld(ENV);
  const [a] = await world.openTabs(1);
  await signIn(a!);
  const [b] = await world.openTabs(1);
  await expectState([a!, b!], 'active');
  const first = await world.status();
  await workUntilAbsoluteWarning(world, a!, [b!]);
  // In B the person follows the warning's "Sign in again", then does the same in A and signs in there.
  await b!.getByRole('button', { name: 'Sign in again' }).click();
  await b!.waitForURL(/\?returnTo=/);
  await b!.locator('#signin-form').waitFor({ state: 'visible' });
  await a!.getByRole('button', { name: 'Sign in again' }).click();
  await a!.waitForURL(/\?returnTo=/);
  const form = a!.locator('#signin-form');
  await form.waitFor({ state: 'visible' });
  await form.locator('input[name="password"]').fill('demo');
  await form.locator('button[type="submit"]').click();
  await a!.locator('#signed-in').waitFor({ state: 'visible' });
  expect((await world.status()).absoluteExpiresAt!).toBeGreaterThan(first.absoluteExpiresAt!);
  await expectState([b!], 'active');
  // Observed: B still shows the form and "Your session is close to its maximum length".
  await expect.poll(() => b!.locator('#signed-in').isVisible(), { timeout: 2000 }).toBe(true);
  expect(new URL(b!.url()).search).toBe('');
});
