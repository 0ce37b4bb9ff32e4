import { afterEach, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { missingFeature } from './missing-feature.fixture.js';

const MIN = 60_000;
// Remove AbortSignal.timeout, as in Safari before 16 / Chrome before 103.
const timeout = missingFeature(AbortSignal, 'timeout');
const realSet = globalThis.setTimeout;
const realClear = globalThis.clearTimeout;
afterEach(() => {
  globalThis.setTimeout = realSet;
  globalThis.clearTimeout = realClear;
});

it('destroy() leaves no global timer behind where AbortSignal.timeout is missing', async () => {
  timeout.remove();
  // Track the long global timers (the kit and flush() use only short ones).
  const pending = new Set<unknown>();
  globalThis.setTimeout = ((fn: () => void, ms?: number, ...rest: unknown[]) => {
    const id: unknown = realSet(
      () => {
        pending.delete(id);
        fn();
      },
      ms,
      ...rest,
    );
    if ((ms ?? 0) >= 1000) pending.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id: unknown) => {
    pending.delete(id);
    realClear(id as never);
  }) as typeof clearTimeout;

  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch });
  await browser.clock.advanceAsync(0);
  await flush();
  expect(tab.client.getSnapshot().state).toBe('active'); // the first /status answered
  tab.close(); // destroy()
  expect(browser.clock.pending()).toBe(0); // the kit's own timers: none
  // The /status call's stand-in for AbortSignal.timeout is still armed (10 s), after the
  // call settled and after destroy().
  const left = pending.size;
  for (const id of pending) realClear(id as never);
  expect(left).toBe(0);
});
