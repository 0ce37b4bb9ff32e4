import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { slowReauthBrowser } from './slow-reauth.fixture.js';

const MIN = 60_000;

/**
 * A signed-in tab whose app re-authenticates with its own silent sign-in (an identity
 * provider's iframe or popup) that takes 30 s. Its `fetch` honours a request's signal, as
 * a browser's does.
 */
async function slowReauthTab() {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const honoursSignal: typeof fetch = async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    request.signal.throwIfAborted();
    return server.fetch(request);
  };
  const reauth = async () => {
    await new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, 30_000));
    server.signIn();
    return true;
  };
  const tab = browser.openTab({ fetch: honoursSignal, reauth });
  await browser.clock.advanceAsync(0);
  await flush();
  return { browser, server, tab };
}

describe("the fetch wrapper and the caller's AbortSignal", () => {
  it('rejects with the abort at once when the caller aborts while the re-auth runs, and sends no replay', async () => {
    const { browser, server, tab } = await slowReauthTab();
    server.end('idle-timeout');
    const controller = new AbortController();
    let outcome = 'pending';
    tab.client.fetch('/api/search?q=a', { signal: controller.signal }).then(
      (r) => {
        outcome = `resolved ${r.status}`;
      },
      (e: Error) => {
        outcome = e.name;
      },
    );
    await browser.clock.advanceAsync(1_000); // the 401 came back; the re-auth is running
    controller.abort(); // the person typed on: the app cancels this search
    await flush();
    // Plain fetch settles at once on abort; the wrapper waits the whole re-auth out.
    expect(outcome).toBe('AbortError');
    await browser.clock.advanceAsync(40_000);
    await flush();
    expect(server.calls.get('/api/search')).toBe(1); // never replayed
    tab.close();
  });

  it("bounds the call by the caller's own timeout signal", async () => {
    const { browser, server, tab } = await slowReauthTab();
    server.end('idle-timeout');
    const controller = new AbortController();
    // What AbortSignal.timeout(5_000) does, on the virtual clock.
    browser.clock.timers.setTimeout(
      () => controller.abort(new DOMException('t', 'TimeoutError')),
      5_000,
    );
    let outcome = 'pending';
    tab.client.fetch('/api/report', { signal: controller.signal }).then(
      () => {
        outcome = 'resolved';
      },
      (e: Error) => {
        outcome = e.name;
      },
    );
    await browser.clock.advanceAsync(6_000);
    await flush();
    expect(outcome).toBe('TimeoutError');
    await browser.clock.advanceAsync(40_000);
    tab.close();
  });

  it('sends no replay and ends nothing when the fetch in use ignores the signal', async () => {
    // An app's `fetch` option that rebuilds the request (dropping the signal), or the
    // testing kit's fake server.
    const { browser, server, open, settle } = slowReauthBrowser();
    const tab = open();
    await settle();
    const events: string[] = [];
    tab.client.on('expired', () => events.push('expired'));
    tab.client.on('reauthenticated', () => events.push('reauthenticated'));
    server.end('idle-timeout');
    const controller = new AbortController();
    const outcome = tab.client.fetch('/api/search?q=a', { signal: controller.signal }).then(
      (r) => `resolved ${r.status}`,
      (e: Error) => e.name,
    );
    await browser.clock.advanceAsync(1_000);
    controller.abort();
    await flush();
    expect(await outcome).toBe('AbortError');
    await browser.clock.advanceAsync(40_000);
    await flush();
    expect(server.calls.get('/api/search')).toBe(1);
    expect(events).toEqual(['reauthenticated']);
    tab.close();
  });
});
