import { describe, expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

describe('back online with a "Stay signed in" still owed', () => {
  it('sends the owed extension when the network comes back, not after the backoff', async () => {
    const { browser, server, open } = signedInBrowser();
    const tab = open();
    await browser.clock.advanceAsync(0);
    await flush();
    const deadline = tab.client.getSnapshot().idleExpiresAt!;
    // Into the warning window (it starts 2 min before the deadline).
    await browser.clock.advanceAsync(deadline - 110_000 - browser.clock.now());
    await flush();
    expect(tab.client.getSnapshot().state).toBe('warning');
    server.breakWith('network'); // the Wi-Fi drops
    expect(await tab.client.extend()).toBe(false); // "Stay signed in", 110 s before the end
    await browser.clock.advanceAsync(70_000); // retried with backoff, all failing
    server.breakWith(null); // the network is back, 40 s before the deadline
    tab.window.dispatch('online');
    await browser.clock.advanceAsync(45_000); // past the old deadline
    await flush();
    expect(server.live()).toBe(true);
    expect(tab.client.getSnapshot().state).toBe('active');
    tab.close();
  });

  it('has a follower send its owed extension when the network comes back', async () => {
    const { browser, server, open } = signedInBrowser();
    const [a, b] = [open(), open()];
    await browser.clock.advanceAsync(0);
    await flush();
    expect(b.client.getSnapshot().isLeader).toBe(false);
    const deadline = b.client.getSnapshot().idleExpiresAt!;
    await browser.clock.advanceAsync(deadline - 110_000 - browser.clock.now());
    await flush();
    server.breakWith('network');
    expect(await b.client.extend()).toBe(false); // "Stay signed in" in the follower
    await browser.clock.advanceAsync(70_000);
    server.breakWith(null);
    for (const tab of [a, b]) tab.window.dispatch('online');
    await browser.clock.advanceAsync(45_000);
    await flush();
    expect(server.live()).toBe(true);
    expect(b.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });

  it('has refresh() resolve true once the owed request that went in its place is answered', async () => {
    const { browser, server, open } = signedInBrowser();
    const tab = open();
    await browser.clock.advanceAsync(0);
    await flush();
    server.breakWith('network'); // offline
    expect(await tab.client.extend()).toBe(false); // "Stay signed in" fails: retry owed
    server.breakWith(null); // back online, the server is reachable
    const refreshed = await tab.client.refresh();
    await browser.clock.advanceAsync(0);
    await flush();
    // The server answered (the owed extension went out instead of GET /status) ...
    expect(server.calls.get('/session/extend')).toBe(2);
    expect(refreshed).toBe(true);
    tab.close();
  });
});
