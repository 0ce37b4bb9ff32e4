import { vi } from 'vitest';
import { createFakeServer, createSimulatedBrowser, createVirtualClock } from '../testing/index.js';

const MIN = 60_000;

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
