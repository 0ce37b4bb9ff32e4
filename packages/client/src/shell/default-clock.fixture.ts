import { vi } from 'vitest';
import {
  createFakeServer,
  createSimulatedBrowser,
  createVirtualClock,
  flush,
} from '../testing/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * A page on the client's own default clock, with the computer's wall clock (`Date.now`)
 * `stepBack` ms behind the virtual one and the monotonic clock (`performance.now`) on it,
 * less the ms `sleepMissed` it did not count.
 */
export function pageOnDefaultClock() {
  const clock = createVirtualClock();
  const skew = { stepBack: 0, sleepMissed: 0 };
  vi.spyOn(Date, 'now').mockImplementation(() => clock.now() - skew.stepBack);
  const origin = performance.timeOrigin;
  vi.spyOn(performance, 'now').mockImplementation(() => clock.now() - skew.sleepMissed - origin);
  const browser = createSimulatedBrowser({ clock });
  const server = createFakeServer({ now: clock.now, idleTimeoutMs: 30 * MIN });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch, now: undefined });
  return { clock, skew, server, tab };
}

/**
 * A page on the default clock in its idle warning, a minute before the deadline, after the
 * computer's clock (an hour fast) was corrected just as the person last acted. `mount`
 * puts what is under test on the page first (it sees every change).
 */
export async function warnedAfterClockSetBack(
  mount: (page: ReturnType<typeof pageOnDefaultClock>) => void,
) {
  const page = pageOnDefaultClock();
  mount(page);
  await page.clock.advanceAsync(0);
  await flush();
  page.skew.stepBack = HOUR;
  page.tab.act();
  await page.clock.advanceAsync(29 * MIN); // one minute before the idle deadline
  await flush();
  return page;
}
