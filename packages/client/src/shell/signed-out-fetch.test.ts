import { describe, expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A signed-in tab whose app has its own silent re-auth (say a token refresh against an
 * identity provider whose session outlives this one): it can always get a fresh session.
 * `reauths()` counts its runs.
 */
async function appReauthTab() {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  let runs = 0;
  const reauth = async () => {
    runs++;
    server.signIn();
    return true;
  };
  const tab = browser.openTab({ fetch: server.fetch, reauth });
  browser.clock.advance(0);
  await flush(20);
  return { browser, server, tab, reauths: () => runs };
}

describe('the fetch wrapper after the person signed out', () => {
  it('does not silently sign them back in when a request meets a 401', async () => {
    const { browser, server, tab, reauths } = await appReauthTab();
    // The person clicks "Sign out"; the app's background poll keeps running.
    await tab.client.logout();
    await flush(20);
    expect(tab.client.getSnapshot().state).toBe('signed-out');
    browser.clock.advance(MIN);
    const poll = await tab.client.fetch('/api/notifications').catch((e: unknown) => e);
    await flush(20);
    expect(poll).toBeInstanceOf(SessionExpiredError);
    expect(reauths()).toBe(0);
    expect(server.live()).toBe(false);
    expect(tab.client.getSnapshot().state).toBe('signed-out');
    tab.close();
  });
});

describe('the fetch wrapper after a sign-out, as the real server answers it', () => {
  it('never re-authenticates after logout when later 401s say session_required (cookie cleared)', async () => {
    const { browser, server, tab, reauths } = await appReauthTab();
    const signedOut: string[] = [];
    tab.client.on('signed-out', (e) => signedOut.push(e.reason));
    await tab.client.logout();
    await flush(20);
    // The real server's logout clears the cookie: the next requests carry none, and
    // requireSession() answers 401 session_required, reason "missing".
    server.end('missing');
    browser.clock.advance(MIN);
    const first = await tab.client.fetch('/api/notifications').catch((e: unknown) => e);
    browser.clock.advance(MIN);
    const second = await tab.client.fetch('/api/notifications').catch((e: unknown) => e);
    await flush(20);
    expect(first).toBeInstanceOf(SessionExpiredError);
    expect(second).toBeInstanceOf(SessionExpiredError);
    expect(reauths()).toBe(0); // the person who signed out is not signed back in
    expect(server.live()).toBe(false);
    expect(tab.client.getSnapshot()).toMatchObject({
      state: 'signed-out',
      lastReason: 'logged-out',
    });
    expect(signedOut).toEqual(['logged-out']); // one sign-out, and it says why
    tab.close();
  });

  it('keeps "logged-out" when a re-validation after the sign-out answers "missing" (resume, online)', async () => {
    const { browser, server, tab, reauths } = await appReauthTab();
    await tab.client.logout();
    await flush(20);
    server.end('missing'); // the logout cleared the cookie: /status now says "missing"
    tab.freeze(); // the background tab is frozen, later resumed: it re-validates
    browser.clock.advance(MIN);
    tab.resume();
    await flush(20);
    // The app's background poll meets a 401: the person must not be signed back in.
    const poll = await tab.client.fetch('/api/notifications').catch((e: unknown) => e);
    expect(poll).toBeInstanceOf(SessionExpiredError);
    expect(reauths()).toBe(0);
    expect(tab.client.getSnapshot()).toMatchObject({
      state: 'signed-out',
      lastReason: 'logged-out',
    });
    tab.close();
  });
});
