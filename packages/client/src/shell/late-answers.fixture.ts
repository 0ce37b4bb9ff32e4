import {
  createFakeServer,
  createSimulatedBrowser,
  type FakeServer,
  flush,
} from '../testing/index.js';

/**
 * Test support: a `fetch` that `server` answers at once, but whose answers to the requests
 * `gated` picks reach the page only after `release()`: a slow network in one direction,
 * so an answer can arrive after what happened on the server later.
 */
export function lateAnswers(server: FakeServer, gated: (url: string) => boolean) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const res = await server.fetch(input, init);
    if (gated(input instanceof Request ? input.url : String(input))) await gate;
    return res;
  };
  return { fetch, release: () => release() };
}

/**
 * Two tabs on a live session (idle 10 min); the answers to `b`'s re-auth reach it only
 * after `slow.release()`, so `b` holds the re-auth lock until then.
 */
export async function twoTabsSlowReauth() {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * 60_000 });
  server.signIn();
  const slow = lateAnswers(server, (url) => url.endsWith('/session/reauth'));
  const a = browser.openTab({ fetch: server.fetch });
  const b = browser.openTab({ fetch: slow.fetch });
  browser.clock.advance(0);
  await flush(20);
  return { browser, server, slow, a, b };
}
