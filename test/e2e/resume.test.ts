import { afterEach, expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

// A browser waking from sleep resumes every frozen tab at once. Each tab used to ask the
// server for the status on `resume`: N requests for N tabs. Now the leader asks for all
// of them, as on `online` (a follower's request would change nothing the leader's does not).
it('tabs resumed together from a freeze ask the server once', async () => {
  world = await startWorld(DEMO_ENV, { realClock: true, tabsCanHide: true });
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await world.openTabs(2))];
  await expectState(tabs, 'active');
  const cdps = await Promise.all(tabs.map((tab) => world!.context.newCDPSession(tab)));
  for (const cdp of cdps) await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await first!.waitForTimeout(1000);
  world.server.resetCounts();
  for (const cdp of cdps) await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await first!.waitForTimeout(2000);
  expect(world.server.sessionRequests()).toBe(1);
  await expectState(tabs, 'active');
});
