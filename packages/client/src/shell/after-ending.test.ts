import { describe, expect, it } from 'vitest';
import {
  createFakeServer,
  createSimulatedBrowser,
  type FakeServer,
  flush,
  type SimulatedTab,
} from '../testing/index.js';
import { lateAnswers } from './late-answers.fixture.js';

const MIN = 60_000;

/** A browser and a server where the person is signed in; `step` moves time and lets it settle. */
function signedIn(canReauth = true) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs: 10 * MIN,
    absoluteTimeoutMs: 60 * MIN,
    canReauth,
  });
  server.signIn();
  const step = async (ms: number) => {
    browser.clock.advance(ms);
    await flush(20);
  };
  return { browser, server, step };
}

/**
 * The person signs out in `tab` during a brief outage, so the logout fails, and the app
 * moves on (or the person closes the tab): the tab's own retry is gone.
 */
async function signOutThenClose(
  tab: SimulatedTab,
  server: FakeServer,
  step: (ms: number) => Promise<void>,
) {
  server.breakWith(503);
  expect(await tab.client.logout()).toBe(false);
  await step(0);
  tab.close();
  server.breakWith(null);
  await step(MIN);
}

/**
 * A tab whose session expired; the person signs in again (a login page in another tab, or
 * an in-page form followed by refresh()). An app request that left before the new sign-in
 * (so it carried no live session) is answered 401 after the tab learned of the new session.
 */
function setup(reauth: 'endpoint' | false) {
  const { browser, server } = signedIn(false);
  // /api/slow is answered by the server when it arrives, but the answer reaches the page late.
  const { fetch, release } = lateAnswers(server, (url) => url.includes('/api/slow'));
  const open = () => browser.openTab({ fetch, reauth });
  return { browser, server, open, release };
}

describe('a new session learned of after an ending', () => {
  for (const reauth of [false, 'endpoint'] as const) {
    it(`is not signed out by a stale 401 of a request sent before the sign-in (reauth: ${reauth})`, async () => {
      const { browser, server, open, release } = setup(reauth);
      const a = open();
      const b = open();
      browser.clock.advance(0);
      await flush(20);
      // The session ends on the server; tab a learns of it (and tells b).
      server.end('idle-timeout');
      await a.client.refresh();
      await flush(20);
      expect(a.client.getSnapshot().state).toBe('expired');
      browser.clock.advance(1000);
      // An app request leaves with no live session; its 401 is slow to arrive.
      const slow = a.client.fetch('/api/slow').catch((e: unknown) => e);
      await flush(20);
      browser.clock.advance(1000);
      // The person signs in again; tab b (say a reloaded login page) learns of it, tells a.
      server.signIn();
      await b.client.refresh();
      await flush(20);
      expect(a.client.getSnapshot().state).toBe('active');
      expect(b.client.getSnapshot().state).toBe('active');
      browser.clock.advance(1000);
      // The stale 401 arrives.
      release();
      await slow;
      await flush(20);
      expect(server.live()).toBe(true);
      expect([a.client.getSnapshot().state, b.client.getSnapshot().state]).toEqual([
        'active',
        'active',
      ]);
      a.close();
      b.close();
    });
  }
});

describe('a sign-out and what comes after it', () => {
  it('a logout retried after the person signed in again does not end the new session', async () => {
    const { browser, server, step } = signedIn();
    const a = browser.openTab({ fetch: server.fetch });
    const b = browser.openTab({ fetch: server.fetch });
    await step(0);
    // The server is unreachable when the person signs out; the logout is retried with backoff.
    server.breakWith(503);
    await a.client.logout();
    await step(0);
    expect(a.client.getSnapshot().state).toBe('signed-out');
    for (let i = 0; i < 16; i++) await step(1000);
    const failedLogouts = server.calls.get('/session/logout');
    server.breakWith(null);
    // Back online, the person signs in again (a fresh session) and tab b learns of it.
    await step(2_000);
    server.signIn();
    await b.client.refresh();
    await step(0);
    expect(b.client.getSnapshot().state).toBe('active');
    expect(a.client.getSnapshot().state).toBe('active');
    // Minutes later, with nobody signing out, the new session must still be there.
    await step(2 * MIN);
    // (the old session's logout never reached the server while it was down)
    expect(failedLogouts).toBeGreaterThan(1);
    expect(server.live()).toBe(true);
    expect(b.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });

  it('a late logout answer does not end the session signed in to since, in a tab opened on it', async () => {
    const { browser, server, step } = signedIn();
    // The logout reaches the server at once; its answer reaches the page late.
    const { fetch, release } = lateAnswers(server, (url) => url.endsWith('/session/logout'));
    const a = browser.openTab({ fetch });
    await step(0);
    const out = a.client.logout();
    await step(1000);
    expect(server.live()).toBe(false);
    // The person signs in again (a login page in a new tab), and a new tab opens on it.
    server.signIn();
    await step(1000);
    const c = browser.openTab({ fetch: server.fetch });
    await step(0);
    release();
    expect(await out).toBe(true);
    await step(5000);
    await c.client.fetch('/api/notifications');
    await step(2000);
    expect(c.client.getSnapshot().state).toBe('active');
    expect(server.live()).toBe(true);
    expect(server.calls.get('/session/logout')).toBe(1);
    a.close();
    c.close();
  });

  it('a logout that failed in a tab closed since is sent again when the session shows up alive', async () => {
    const { browser, server, step } = signedIn();
    const leader = browser.openTab({ fetch: server.fetch });
    const a = browser.openTab({ fetch: server.fetch });
    await step(0);
    await signOutThenClose(a, server, step);
    expect(server.live()).toBe(true);
    // The app is opened again: the new page finds the session alive, and the leader, which
    // saw the sign-out, sends it again.
    const next = browser.openTab({ fetch: server.fetch });
    await step(0);
    await step(1000);
    expect(server.live()).toBe(false);
    expect(leader.client.getSnapshot().state).toBe('signed-out');
    // ...and tells the new page, which showed that session, within the second.
    expect(next.client.getSnapshot()).toMatchObject({
      state: 'signed-out',
      lastReason: 'logged-out',
    });
    leader.close();
    next.close();
  });

  it('a logout sent again after the person signed in anew leaves the new session alive', async () => {
    const { browser, server, step } = signedIn();
    const { fetch, release } = lateAnswers(server, (url) => url.includes('/api/slow'));
    const leader = browser.openTab({ fetch });
    const a = browser.openTab({ fetch });
    await step(0);
    await signOutThenClose(a, server, step);
    // An app request leaves with the old cookie (the old session still alive); its answer,
    // with the old session's deadlines, arrives after the person has signed in anew.
    const slow = leader.client.fetch('/api/slow');
    await step(1000);
    server.signIn();
    expect(await leader.client.refresh()).toBe(true);
    release();
    await slow;
    await step(0);
    await step(1000);
    expect(server.live()).toBe(true);
    expect(leader.client.getSnapshot().state).toBe('active');
    leader.close();
  });

  it('a sign-out while a re-auth is on its way ends the re-auth session too', async () => {
    const { browser, server, step } = signedIn();
    const { fetch, release } = lateAnswers(server, (url) => url.endsWith('/session/reauth'));
    const a = browser.openTab({ fetch });
    await step(0);
    await step(MIN); // so the re-auth's session gets another absolute deadline
    // A re-auth is on its way (the server already made its session); the person signs out.
    const reauth = a.client.reauthenticate();
    await flush(20);
    const out = await a.client.logout();
    release();
    await reauth;
    await step(0);
    await step(5000);
    expect(a.client.getSnapshot().state).toBe('signed-out');
    // The person signed out: no session may be left at the server.
    expect({ out, live: server.live() }).toEqual({ out: true, live: false });
    // and the next app request must not show them signed in again
    await a.client.fetch('/api/x').catch(() => {});
    await step(0);
    expect(a.client.getSnapshot().state).toBe('signed-out');
    a.close();
  });

  it('a logout from a tab that did not learn of a new sign-in ends that session', async () => {
    const { browser, server, step } = signedIn();
    const a = browser.openTab({ fetch: server.fetch });
    await step(0);
    expect(await a.client.logout()).toBe(true);
    expect(server.live()).toBe(false);
    await step(MIN);
    // The person signs in again through the app's own form (the client is not told).
    server.signIn();
    await step(1000);
    // ...and clicks "Sign out".
    const out = await a.client.logout();
    await step(1000);
    expect({ out, live: server.live() }).toEqual({ out: true, live: false });
    a.close();
  });

  it('a failing logout keeps its backoff while app answers show the session alive', async () => {
    const { browser, server, step } = signedIn();
    let logouts = 0;
    // Only the logout route fails (a store error, a proxy rule); the app routes answer.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/session/logout')) {
        logouts++;
        return new Response('down', { status: 503 });
      }
      return server.fetch(input, init);
    };
    const a = browser.openTab({ fetch });
    await step(0);
    expect(await a.client.logout()).toBe(false);
    await step(0);
    // The app keeps polling its own API, twice a second, for 30 seconds.
    for (let i = 0; i < 60; i++) {
      await a.client.fetch('/api/notifications').catch(() => {});
      await step(500);
    }
    a.close();
    // Backoff from 1 s doubling: about 6 attempts in 30 s.
    expect(logouts).toBeLessThan(10);
  });

  it('logout() resolves false when the server cannot be reached, and the tab retries', async () => {
    const { browser, server, step } = signedIn();
    const tab = browser.openTab({ fetch: server.fetch });
    await step(0);
    server.breakWith(503);
    expect(await tab.client.logout()).toBe(false);
    expect(tab.client.getSnapshot().state).toBe('signed-out');
    server.breakWith(null);
    for (let i = 0; i < 10; i++) await step(1000);
    expect(server.live()).toBe(false);
    tab.close();
  });

  it('sends the logout and extension as keepalive requests, which outlive the page', async () => {
    const { browser, server, step } = signedIn();
    const kept: Record<string, boolean | undefined> = {};
    const tab = browser.openTab({
      fetch: (input, init) => {
        kept[new URL(String(input), 'http://app.test').pathname] = init?.keepalive;
        return server.fetch(input, init);
      },
    });
    await step(0);
    await tab.client.extend();
    await tab.client.logout();
    expect(kept).toEqual({
      '/session/status': false,
      '/session/extend': true,
      '/session/logout': true,
    });
    tab.close();
  });

  it('a re-auth answered after the person signed out does not revive the session view', async () => {
    const { browser, server, step } = signedIn();
    const { fetch, release } = lateAnswers(server, (url) => url.endsWith('/session/reauth'));
    const a = browser.openTab({ fetch });
    await step(0);
    server.end('idle-timeout');
    await a.client.refresh();
    await step(0);
    expect(a.client.getSnapshot().state).toBe('expired');
    // The app tries a silent re-auth; while it is on its way, the person clicks "Sign out".
    const reauth = a.client.reauthenticate();
    await flush(20);
    await a.client.logout();
    await step(0);
    expect(a.client.getSnapshot().state).toBe('signed-out');
    release();
    await reauth;
    await step(0);
    // The person signed out: the tab must not show a live session afterwards.
    expect(a.client.getSnapshot().state).toBe('signed-out');
    a.close();
  });
});

describe('the user claims after an ending', () => {
  it.each([
    ['a sign-out', 'signed-out'],
    ['an expiry', 'expired'],
  ] as const)('are forgotten in every tab after %s', async (_, state) => {
    const { browser, server, step } = signedIn();
    const [a, b] = [
      browser.openTab({ fetch: server.fetch }),
      browser.openTab({ fetch: server.fetch }),
    ];
    await step(0);
    for (const tab of [a, b]) expect(tab.client.getSnapshot().user).toEqual({ name: 'demo' });
    if (state === 'signed-out') await a.client.logout();
    else await step(10 * MIN + 1_000); // the idle timeout passes with nobody there
    await step(1_000);
    for (const tab of [a, b]) {
      expect(tab.client.getSnapshot()).toMatchObject({ state, user: null });
    }
    a.close();
    b.close();
  });
});
