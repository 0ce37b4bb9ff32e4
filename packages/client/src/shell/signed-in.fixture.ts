import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A simulated browser and a fake server with a live session (idle 10 min, absolute 1 h):
 * `open()` a tab on it, `step(ms)` moves the clock and lets every tab react.
 */
export function signedInBrowser() {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs: 10 * MIN,
    absoluteTimeoutMs: 60 * MIN,
  });
  server.signIn();
  const open = () => browser.openTab({ fetch: server.fetch });
  const step = async (ms: number) => {
    browser.clock.advance(ms);
    await flush(20);
  };
  return { browser, server, open, step };
}
