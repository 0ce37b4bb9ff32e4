import { expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

it('a response replayed from the HTTP cache (old Session-Deadline) does not delay the idle warning', async () => {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  // The browser's HTTP cache: `/api/config` is served with `Cache-Control: max-age=3600`
  // (an app's own choice), so later fetches get the stored response, headers and all.
  const cache = new Map<string, Response>();
  const fetcher: typeof fetch = async (input, init) => {
    const r = new Request(input as RequestInfo, init);
    const hit = cache.get(r.url);
    if (hit) return hit.clone();
    const res = await server.fetch(r);
    if (r.url.includes('/api/config')) cache.set(r.url, res.clone());
    return res;
  };
  const tab = browser.openTab({ fetch: fetcher });
  const step = async (ms: number) => {
    browser.clock.advance(ms);
    await flush(20);
  };
  await step(0);
  const t0 = browser.clock.now();
  await tab.client.fetch('/api/config'); // t = 0: reaches the server, idle deadline at 10:00
  await step(0);
  const seen: string[] = [];
  for (const type of ['warning', 'expired'] as const)
    tab.client.on(type, () => seen.push(`${type} at ${(browser.clock.now() - t0) / 1000}s`));
  await step(7.5 * MIN);
  // The person is idle; the app re-reads its config, served from the HTTP cache (no request
  // reaches the server, so nothing is extended: the server's idle deadline stays t0 + 10 min).
  await tab.client.fetch('/api/config');
  await step(0);
  const shown = tab.client.getSnapshot().idleExpiresAt! - t0;
  for (let i = 0; i < 6; i++) await step(0.5 * MIN); // to 10:30
  expect({ shown, state: tab.client.getSnapshot().state, seen }).toEqual({
    shown: 10 * MIN, // got 17.5 min: the cached header's `now` (t0) taken as a clock sample
    state: 'expired', // got 'active' until 12:30
    seen: ['warning at 480s', 'expired at 600s'], // got [] (then 'expired at 750s', no warning ever)
  });
  tab.close();
});
