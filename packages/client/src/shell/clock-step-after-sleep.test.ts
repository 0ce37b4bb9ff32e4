import { afterEach, expect, it, vi } from 'vitest';
import {
  createFakeServer,
  createSimulatedBrowser,
  createVirtualClock,
  flush,
} from '../testing/index.js';

const MIN = 60_000;

afterEach(() => vi.restoreAllMocks());

// defaultNow() = max(Date.now(), timeOrigin + performance.now()) is meant never to run back
// when the computer's clock is set back (clock.ts). But the monotonic clock does not count
// sleep on Linux/macOS, so after the laptop slept the wall clock leads, and a later
// set-back runs defaultNow() back by up to the sleep it missed. The times the client keeps
// (last activity for the throttle, last extension) then lie in the future: activity is
// dropped and the keepalive stops for the step, so a person working is signed out.
it('keeps a working person signed in when the clock is set back some time after a sleep', async () => {
  const clock = createVirtualClock();
  const skew = { stepBack: 0, sleepMissed: 0 };
  vi.spyOn(Date, 'now').mockImplementation(() => clock.now() - skew.stepBack);
  const origin = performance.timeOrigin;
  vi.spyOn(performance, 'now').mockImplementation(() => clock.now() - skew.sleepMissed - origin);
  const browser = createSimulatedBrowser({ clock });
  const server = createFakeServer({ now: clock.now, idleTimeoutMs: 5 * MIN });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch, now: undefined });
  await clock.advanceAsync(0);
  await flush();
  const work = async (ms: number) => {
    for (let t = 0; t < ms; t += 10_000) {
      tab.act();
      await clock.advanceAsync(10_000);
    }
    await flush();
  };
  // Three short lid closes over the morning (2 min each, not counted by performance.now()).
  for (let i = 0; i < 3; i++) {
    skew.sleepMissed += 2 * MIN;
    clock.sleep(2 * MIN);
    tab.hide();
    tab.show();
    await work(MIN);
  }
  expect(tab.client.getSnapshot().state).toBe('active');
  skew.stepBack = 5 * MIN; // the clock was 5 min fast; NTP corrects it
  await work(10 * MIN);
  expect(server.live()).toBe(true);
  expect(tab.client.getSnapshot().state).toBe('active');
  tab.close();
});
