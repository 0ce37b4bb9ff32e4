import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A simulated browser and a fake server with a live session (idle 10 min, absolute 1 h):
 * `open()` a tab on it, `step(ms)` moves the clock and lets every tab react. With
 * `latency`, each request reaches the server that many ms after it is sent; step then with
 * `stepAsync(ms)`, which answers requests at the time they arrive (`advanceAsync`).
 */
export function signedInBrowser({
  latency = 0,
  delays,
}: {
  latency?: number;
  /** Per route, ms before the request reaches the server and before its answer arrives. */
  delays?: (path: string) => { up: number; down: number };
} = {}) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs: 10 * MIN,
    absoluteTimeoutMs: 60 * MIN,
  });
  server.signIn();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, ms));
  const slow: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const { up, down } = delays?.(new URL(url, 'http://app.test').pathname) ?? {
      up: latency,
      down: 0,
    };
    await wait(up);
    const res = await server.fetch(input, init);
    await wait(down);
    return res;
  };
  const open = () => browser.openTab({ fetch: latency || delays ? slow : server.fetch });
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
