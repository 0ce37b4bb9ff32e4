// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

afterEach(() => vi.unstubAllGlobals());

// docs/client.md options table: `fetch` defaults to "the globals, read at call time", and
// openTab's options are client options. A DOM test env with msw (which replaces the global
// fetch) opened tabs without `fetch` and worked before ceb2e76; now the kit substitutes a
// fetch that always rejects.
it('openTab() without fetch in a DOM env uses the global fetch (msw-style)', async () => {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now });
  server.signIn();
  const seen: string[] = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(String((input as Request).url ?? input));
    return server.fetch(input, init);
  });
  const tab = browser.openTab();
  await flush();
  expect(seen.length).toBeGreaterThan(0);
  expect(tab.client.getSnapshot().state).toBe('active');
  tab.close();
});
