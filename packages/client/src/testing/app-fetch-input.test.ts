// @vitest-environment node
// docs/client.md, createSimulatedBrowser: the app's `fetch` gets the client's own session
// requests as an absolute string, and a call through `client.fetch` as a `Request` (the
// wrapper makes one to replay its body), so an app's stub can read `input.url` from it.
import { expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

it('gives the app fetch session requests as strings and client.fetch calls as Requests', async () => {
  const browser = createSimulatedBrowser({ url: 'https://app.example/' });
  const server = createFakeServer({ now: browser.clock.now });
  server.signIn();
  const inputs: unknown[] = [];
  const tab = browser.openTab({
    fetch: (input, init) => {
      inputs.push(input);
      return server.fetch(input, init);
    },
  });
  await flush();
  await tab.client.fetch('/api/me');
  expect(inputs[0]).toBe('https://app.example/session/status');
  expect(inputs[1]).toBeInstanceOf(Request);
  expect((inputs[1] as Request).url).toBe('https://app.example/api/me');
  tab.close();
});
