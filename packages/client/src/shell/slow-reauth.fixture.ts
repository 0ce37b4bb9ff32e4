import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A signed-in simulated browser whose app re-auth function answers after `ms` of virtual
 * time, signing in again (`succeeds`) or declining. `open()` opens a tab on it; `settle()`
 * lets the tabs opened so far learn their session.
 */
export function slowReauthBrowser({ ms = 30_000, succeeds = true } = {}) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const reauth = async () => {
    await new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, ms));
    if (succeeds) server.signIn();
    return succeeds;
  };
  const open = () => browser.openTab({ fetch: server.fetch, reauth });
  const settle = async () => {
    await browser.clock.advanceAsync(0);
    await flush();
  };
  return { browser, server, open, settle };
}
