// @vitest-environment node
import { expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

// Before ceb2e76, in Node every origin was the page's; `url` only resolved relative URLs
// (old docs: "a tab's client.fetch('/api/me') resolves against it"). A suite that calls its
// server by absolute URL (http://localhost:PORT) with the default url now silently loses
// the session handling: no re-auth on a 401 session problem, no deadline headers.
it('default url + absolute localhost app URL still gets session handling', async () => {
  const browser = createSimulatedBrowser(); // default url http://app.test/
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 600_000 });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch, endpoint: 'http://localhost:3000/session' });
  await flush();
  server.end('idle-timeout');
  const res = await tab.client.fetch('http://localhost:3000/api/me');
  expect(server.calls.get('/session/reauth')).toBe(1); // 0 now
  expect(res.status).toBe(200); // 401 now
});

// The app's fetch used to receive the client's session requests as strings; now it gets
// URL objects: string stubs (`input.startsWith`, `===`, toHaveBeenCalledWith('/session/status'))
// break.
it("the app's fetch still receives the session routes as strings", async () => {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now });
  server.signIn();
  const kinds: string[] = [];
  const tab = browser.openTab({
    fetch: (input, init) => {
      kinds.push(typeof input);
      return server.fetch(input, init);
    },
  });
  await flush();
  expect(kinds[0]).toBe('string'); // 'object' (a URL) now
  tab.close();
});
