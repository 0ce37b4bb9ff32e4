import { describe, expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

describe('a request still owed a retry', () => {
  it('a logout made offline reaches the server once back online, though the online check answered first', async () => {
    const { browser, server, step } = signedInBrowser();
    const tab = browser.openTab({ fetch: server.fetch });
    await step(0);
    // The network is down when the person signs out: the tab shows signed-out and retries.
    server.breakWith('network');
    await tab.client.logout();
    await step(0);
    expect(tab.client.getSnapshot().state).toBe('signed-out');
    await step(20_000); // a few retries, the backoff now at 16 s
    // The network comes back: the browser fires `online` before the next retry is due.
    server.breakWith(null);
    tab.window.dispatch('online');
    await step(0);
    await step(2 * MIN);
    // The session must be gone on the server, not left open behind a signed-out page.
    expect(server.live()).toBe(false);
    tab.close();
  });

  it('a logout whose retry met a failed check still reaches the server', async () => {
    const { browser, server, step } = signedInBrowser();
    const tab = browser.openTab({ fetch: server.fetch });
    await step(0);
    server.breakWith(503);
    await tab.client.logout();
    await step(0);
    // The page comes back from the back/forward cache while the server is still down.
    tab.window.dispatch('pageshow', { persisted: true });
    await step(0);
    server.breakWith(null);
    await step(2 * MIN);
    expect(server.live()).toBe(false);
    tab.close();
  });

  it('"Stay signed in" clicked offline is sent once back online, though the online check answered first', async () => {
    const { browser, server, step } = signedInBrowser();
    const tab = browser.openTab({ fetch: server.fetch });
    await step(0);
    await step(8 * MIN + 1000);
    expect(tab.client.getSnapshot().state).toBe('warning');
    server.breakWith('network');
    await tab.client.extend();
    await step(0);
    server.breakWith(null);
    tab.window.dispatch('online');
    await step(0);
    await step(30_000);
    expect(tab.client.getSnapshot().state).toBe('active');
    expect(server.live()).toBe(true);
    tab.close();
  });
});
