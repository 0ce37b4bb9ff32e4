import type { FakeServer } from '../testing/index.js';

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
