import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A simulated browser and a fake server with a live session (idle 10 min, absolute 1 h):
 * `open()` a tab on it, `step(ms)` moves the clock and lets every tab react. With
 * `latency`, each request reaches the server that many ms after it is sent; step then with
 * `stepAsync(ms)`, which answers requests at the time they arrive (`advanceAsync`).
 */
export function signedInBrowser({ latency = 0 } = {}) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs: 10 * MIN,
    absoluteTimeoutMs: 60 * MIN,
  });
  server.signIn();
  const slow: typeof fetch = (input, init) =>
    new Promise((resolve, reject) => {
      browser.clock.timers.setTimeout(
        () => server.fetch(input, init).then(resolve, reject),
        latency,
      );
    });
  const open = () => browser.openTab({ fetch: latency ? slow : server.fetch });
  const step = async (ms: number) => {
    browser.clock.advance(ms);
    await flush(20);
  };
  const stepAsync = async (ms: number) => {
    await browser.clock.advanceAsync(ms);
    await flush(20);
  };
  const extensions = () => server.calls.get('/session/extend') ?? 0;
  return { browser, server, open, step, stepAsync, extensions };
}
