// @vitest-environment node
// Node (documented: "Pass `fetch` to use it in Node") has the real AbortSignal.timeout.
import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

describe('request time limits the browser and Node both accept', () => {
  it.each([[{ requestTimeout: 1500.5 }], [{ requestTimeout: 2 ** 33 }]])(
    '%o is either refused where the client is made or works',
    async (opts) => {
      const browser = createSimulatedBrowser();
      const server = createFakeServer({ now: browser.clock.now });
      server.signIn();
      let tab: ReturnType<typeof browser.openTab>;
      try {
        tab = browser.openTab({ fetch: server.fetch, ...opts });
      } catch (error) {
        expect(String(error)).toMatch(/"requestTimeout"/);
        return;
      }
      const errors: unknown[] = [];
      tab.client.on('error', (e) => errors.push(e.error));
      browser.clock.advance(0);
      await flush(20);
      expect(errors).toEqual([]);
      expect(tab.client.getSnapshot().state).toBe('active');
      tab.close();
    },
  );
});
