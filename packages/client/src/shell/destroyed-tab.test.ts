import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { twoTabsSlowReauth } from './late-answers.fixture.js';

const MIN = 60_000;

describe('destroy() and what was queued before it', () => {
  it('a destroyed tab whose re-auth waited on the lock sends no /reauth of its own', async () => {
    const { browser, server, slow, a, b } = await twoTabsSlowReauth();
    server.end('idle-timeout');
    // b re-authenticates and holds the lock; a's attempt waits behind it.
    const bDone = b.client.reauthenticate();
    await flush(5);
    const aDone = a.client.reauthenticate();
    await flush(5);
    a.close(); // the tab is closed (or its component unmounted) while it waits
    slow.release();
    await Promise.all([aDone, bDone]);
    await flush(20);
    expect(server.calls.get('/session/reauth')).toBe(1);
    expect(browser.locks.active()).toBe(0);
    b.close();
  });

  it('refresh() after destroy() sends nothing', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now });
    server.signIn();
    const a = browser.openTab({ fetch: server.fetch });
    browser.clock.advance(0);
    await flush(20);
    a.close();
    const before = server.calls.get('/session/status');
    await a.client.refresh();
    expect(server.calls.get('/session/status')).toBe(before);
  });
});

describe('destroy() while an app re-auth function runs', () => {
  it("gives the re-auth lock back at once: another tab's re-auth does not wait for it", async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    // An SPA unmounts the client while its silent sign-in (an iframe) hangs; the tab stays.
    const unmounted = browser.openTab({
      fetch: server.fetch,
      reauth: () => new Promise<boolean>(() => {}),
    });
    const other = browser.openTab({ fetch: server.fetch });
    await browser.clock.advanceAsync(0);
    server.end('idle-timeout');
    void unmounted.client.reauthenticate();
    await flush(20);
    expect(browser.locks.active()).toBe(1);
    unmounted.client.destroy();
    await flush(20);
    expect(browser.locks.active()).toBe(0);
    let signedIn: boolean | undefined;
    void other.client.reauthenticate().then((ok) => (signedIn = ok));
    await flush(20);
    expect(signedIn).toBe(true);
    unmounted.close();
    other.close();
  });
});

describe('coming back online', () => {
  it('an "online" event costs the server what one tab does', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    const tabs = [0, 1, 2, 3].map(() => browser.openTab({ fetch: server.fetch }));
    browser.clock.advance(0);
    await flush(20);
    const before = server.calls.get('/session/status') ?? 0;
    browser.clock.advance(30_000);
    // The network comes back: the browser fires `online` in every tab.
    for (const t of tabs) t.window.dispatch('online');
    await flush(20);
    expect((server.calls.get('/session/status') ?? 0) - before).toBe(1);
    for (const t of tabs) t.close();
  });
});
