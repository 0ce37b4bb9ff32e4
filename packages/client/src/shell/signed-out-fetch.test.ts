import { describe, expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

describe('the fetch wrapper after the person signed out', () => {
  it('does not silently sign them back in when a request meets a 401', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    // The app's own silent re-auth (say a token refresh against an identity provider whose
    // session outlives this one): it can always get a fresh session.
    let reauths = 0;
    const reauth = async () => {
      reauths++;
      server.signIn();
      return true;
    };
    const tab = browser.openTab({ fetch: server.fetch, reauth });
    browser.clock.advance(0);
    await flush(20);
    // The person clicks "Sign out"; the app's background poll keeps running.
    await tab.client.logout();
    await flush(20);
    expect(tab.client.getSnapshot().state).toBe('signed-out');
    browser.clock.advance(MIN);
    const poll = await tab.client.fetch('/api/notifications').catch((e: unknown) => e);
    await flush(20);
    expect(poll).toBeInstanceOf(SessionExpiredError);
    expect(reauths).toBe(0);
    expect(server.live()).toBe(false);
    expect(tab.client.getSnapshot().state).toBe('signed-out');
    tab.close();
  });
});
