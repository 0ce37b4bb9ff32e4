import { afterEach, expect, it, vi } from 'vitest';
import { flush } from '../testing/index.js';
import { pageOnDefaultClock } from './default-clock.fixture.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

afterEach(() => {
  vi.restoreAllMocks();
});

it('keeps an active person signed in after the computer clock is set back an hour', async () => {
  const { clock, skew, server, tab } = pageOnDefaultClock();
  await clock.advanceAsync(0);
  await flush();
  await clock.advanceAsync(5 * MIN);
  skew.stepBack = HOUR; // the clock was an hour fast, and is corrected
  // The person keeps working: an action every 10 s for 40 minutes.
  for (let t = 0; t < 40 * MIN; t += 10_000) {
    tab.act();
    await clock.advanceAsync(10_000);
  }
  await flush();
  expect(server.live()).toBe(true);
  expect(server.calls.get('/session/extend')).toBeGreaterThan(20);
  expect(tab.client.getSnapshot().state).toBe('active');
  tab.close();
});

it('still ends at the deadline after a sleep that only the wall clock counted', async () => {
  const { clock, skew, server, tab } = pageOnDefaultClock();
  await clock.advanceAsync(0);
  await flush();
  skew.sleepMissed = HOUR;
  clock.sleep(HOUR);
  tab.window.dispatch('focus');
  await clock.advanceAsync(2_000);
  await flush();
  expect(server.live()).toBe(false);
  expect(tab.client.getSnapshot()).toMatchObject({ state: 'expired', lastReason: 'idle-timeout' });
  tab.close();
});
