import {
  createFakeServer,
  createSimulatedBrowser,
  type FakeServer,
  flush,
  type SimulatedBrowser,
  type SimulatedTab,
} from '../testing/index.js';

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
  idleTimeoutMs = 10 * MIN,
  appSignInMs,
}: {
  latency?: number;
  /** The server's idle timeout. Default 10 min. */
  idleTimeoutMs?: number;
  /** Per route, ms before the request reaches the server and before its answer arrives. */
  delays?: (path: string) => { up: number; down: number };
  /** Every tab re-authenticates with the app's own silent sign-in, taking this many ms. */
  appSignInMs?: number;
} = {}) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs,
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
  const reauth =
    appSignInMs === undefined ? {} : { reauth: slowAppSignIn(browser, server, appSignInMs) };
  const open = () => browser.openTab({ fetch: latency || delays ? slow : server.fetch, ...reauth });
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

/**
 * The warnings the named tabs show and clear, in order (`"c warning"`): a test of tabs
 * that must agree expects none, or the same in each.
 */
export function recordWarnings(
  tabs: Record<string, SimulatedTab>,
  types: ReadonlyArray<'warning' | 'warning-cleared'> = ['warning', 'warning-cleared'],
): string[] {
  const seen: string[] = [];
  for (const [name, tab] of Object.entries(tabs)) {
    for (const type of types) tab.client.on(type, () => seen.push(`${name} ${type}`));
  }
  return seen;
}

/** An app's own silent sign-in (an identity provider's iframe) that takes `ms` and succeeds. */
export function slowAppSignIn(browser: SimulatedBrowser, server: FakeServer, ms: number) {
  return async () => {
    await new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, ms));
    server.signIn();
    return true;
  };
}

/**
 * An app's own silent sign-in (an identity provider's iframe, say) that signs in only when
 * the test calls `finish()`; `calls` counts the attempts.
 */
export function manualAppSignIn(server: FakeServer) {
  const handle = {
    calls: 0,
    finish: () => {},
    reauth: () => {
      handle.calls++;
      return new Promise<boolean>((resolve) => {
        handle.finish = () => {
          server.signIn();
          resolve(true);
        };
      });
    },
  };
  return handle;
}
