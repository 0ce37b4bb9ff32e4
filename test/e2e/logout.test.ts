import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('finishes a sign-out whose tab closed before the server got it, and tells the page opened since', async () => {
  world = await startWorld(DEMO_ENV);
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const [leader, second] = [first!, ...(await world.openTabs(1))];
  await expectState([leader, second!], 'active');
  // The person signs out in the second tab while the server is briefly unreachable for it,
  // and closes that tab at once.
  await world.context.route('**/session/logout', (route) => route.fulfill({ status: 503 }));
  await second!.click('#sign-out');
  await expectState([leader, second!], 'signed-out');
  await second!.close();
  await world.context.unroute('**/session/logout');
  expect((await world.status()).state).toBe('active'); // the sign-out never reached it

  // The app is opened again: the page finds the session alive, the leader sends the logout
  // again (naming that session), and the page learns it is signed out.
  const [next] = await world.openTabs(1);
  await expect.poll(async () => (await world!.status()).state, { timeout: 5000 }).toBe('none');
  await expectState([next!, leader], 'signed-out');
});

it("tells every tab of a sign-in and a sign-out within a second, on the browser's own clock", async () => {
  // The browser's clock reads fractions of a millisecond; the other e2e tests run on
  // Playwright's, which reads whole ones.
  world = await startWorld(DEMO_ENV, { realClock: true });
  const [a, b] = await world.openTabs(2);
  // Any one reading may land on a whole millisecond (Chromium coarsens to 100 µs), so take
  // several, a timer tick apart.
  const readings = await a!.evaluate(async () => {
    const seen: number[] = [performance.timeOrigin];
    for (let i = 0; i < 20; i++) {
      seen.push(performance.now());
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return seen;
  });
  expect(readings.some((reading) => reading % 1 !== 0)).toBe(true);
  await signIn(a!);
  await expectState([b!], 'active', 1000);
  await b!.click('#sign-out');
  await expectState([a!], 'signed-out', 1000);
});
