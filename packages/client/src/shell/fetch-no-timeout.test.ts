import { expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { missingFeature } from './missing-feature.fixture.js';

const MIN = 60_000;
const timeout = missingFeature(AbortSignal, 'timeout');

// Safari before 16 and Chrome before 103 have no AbortSignal.timeout (the project supports
// older ones still: fetch-old-signal.test.ts). The docs promise that an app's re-auth
// function that ignores its signal is not waited on past 6 x requestTimeout.
it('bounds an app re-auth function that never settles where AbortSignal.timeout is missing', async () => {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const reauth = () => new Promise<boolean>(() => {}); // an IdP iframe that never answers
  const tab = browser.openTab({ fetch: server.fetch, reauth, requestTimeout: 5 });
  await browser.clock.advanceAsync(0);
  await flush();
  timeout.remove();
  expect(AbortSignal.timeout).toBeUndefined();
  server.end('idle-timeout');
  let outcome = 'pending';
  tab.client.fetch('/api/data').then(
    (r) => {
      outcome = `resolved ${r.status}`;
    },
    (e: Error) => {
      outcome = e.name;
    },
  );
  // 6 x 5 ms is 30 ms; wait ten times that, in real time.
  await new Promise((r) => setTimeout(r, 300));
  await flush();
  expect(outcome).toBe('SessionExpiredError');
  tab.close();
});
