import { describe, expect, it } from 'vitest';
import { type FakeServer, flush, type SimulatedTab } from '../testing/index.js';
import { manualAppSignIn, signedInBrowser } from './signed-in.fixture.js';

describe("an app's own re-auth function and a sign-out in another tab", () => {
  it('ends the session the function signed in to when the person signed out meanwhile', async () => {
    const { browser, server, open, step } = signedInBrowser();
    // The app's own silent sign-in (an identity provider's iframe, say): slow.
    const appSignIn = manualAppSignIn(server);
    const a = browser.openTab({ fetch: server.fetch, reauth: appSignIn.reauth });
    const b = open();
    await step(1_000);
    server.end('idle-timeout');
    const reauthed = a.client.reauthenticate();
    await step(1_000);
    expect(await b.client.logout()).toBe(true); // the person signs out in b meanwhile
    await step(1_000);
    appSignIn.finish(); // the app's re-auth finishes after the sign-out
    expect(await reauthed).toBe(false);
    await step(2_000);
    expect(server.live()).toBe(false);
    for (const tab of [a, b]) {
      expect(tab.client.getSnapshot()).toMatchObject({
        state: 'signed-out',
        lastReason: 'logged-out',
      });
    }
  });

  it('keeps the session of a re-auth that finished before the sign-out was asked for', async () => {
    const { browser, server, open, step } = signedInBrowser();
    const a = browser.openTab({
      fetch: server.fetch,
      reauth: async () => {
        server.signIn();
        return true;
      },
    });
    open();
    await step(1_000);
    server.end('idle-timeout');
    expect(await a.client.reauthenticate()).toBe(true);
    await step(2_000);
    expect(server.live()).toBe(true);
    expect(a.client.getSnapshot().state).toBe('active');
  });

  it('keeps the session of a re-auth begun right after a sign-out in its tab ("switch account")', async () => {
    // The app's own sign-in (an identity provider's popup): takes a while.
    const { server, open, step } = signedInBrowser({ appSignInMs: 2_000 });
    const a = open();
    await step(1_000);
    const out = a.client.logout(); // "Switch account": sign out ...
    const reauthed = a.client.reauthenticate(); // ... then sign in again, in that order
    await flush(); // the attempt begins at once (same millisecond), as in a browser
    await step(1_000);
    expect(await out).toBe(true);
    await step(2_000);
    expect(await reauthed).toBe(true);
    await step(2_000);
    expect(server.live()).toBe(true);
    expect(a.client.getSnapshot().state).toBe('active');
  });
});

/**
 * The session expires on the server; `holder` re-authenticates (holding the lock, for the
 * app's 2 s sign-in) while a background request in `waiter` meets the 401 and queues for it.
 */
async function reauthHeldWhileRequestWaits(
  server: FakeServer,
  step: (ms: number) => Promise<void>,
  holder: SimulatedTab,
  waiter: SimulatedTab,
) {
  server.end('idle-timeout');
  const held = holder.client.reauthenticate();
  await step(0);
  const waiting = waiter.client.fetch('/api/data').catch((e: unknown) => e);
  await step(500);
  return { held, waiting };
}

describe('a re-auth queued on the lock and a sign-out in another tab', () => {
  it('does not sign the person back in when they signed out while it waited for the lock', async () => {
    // The app's silent sign-in (an identity provider's iframe): takes 2 s, in every tab.
    const { server, open, step } = signedInBrowser({ appSignInMs: 2_000 });
    const [a, b, c] = [open(), open(), open()];
    await step(1_000);
    const { held: inA, waiting: inC } = await reauthHeldWhileRequestWaits(server, step, a, c);
    expect(await b.client.logout()).toBe(true); // the person signs out in b meanwhile
    for (let i = 0; i < 10; i++) await step(1_000);
    expect(await inA).toBe(false); // a's attempt is refused: it began before the sign-out
    await inC;
    await step(2_000);
    // The sign-out is honoured: no live session, every tab signed out.
    expect(server.live()).toBe(false);
    expect(c.client.getSnapshot().state).toBe('signed-out');
  });
});

describe('a sign-in asked for after a sign-out, while a background re-auth waits for the lock', () => {
  it('keeps the session the person asked for', async () => {
    // The app's silent sign-in (an identity provider's iframe): takes 2 s, in every tab.
    const { server, open, step } = signedInBrowser({ appSignInMs: 2_000 });
    const [a, c] = [open(), open()];
    await step(1_000);
    const { waiting: background } = await reauthHeldWhileRequestWaits(server, step, c, a);
    expect(await a.client.logout()).toBe(true); // the person signs out in a ...
    await step(100);
    const asked = a.client.reauthenticate(); // ... and signs in again there ("switch account")
    for (let i = 0; i < 10; i++) await step(1_000);
    await background;
    expect(await asked).toBe(true);
    await step(2_000);
    expect(server.live()).toBe(true);
    expect(a.client.getSnapshot().state).toBe('active');
  });
});

describe('a re-auth begun before a sign-out, joined by a call made after it', () => {
  it('does not undo the sign-out with the session the older attempt signed in to', async () => {
    const { browser, server, open, step } = signedInBrowser();
    // The app's silent sign-in (an identity provider's iframe), begun with the old identity.
    const appSignIn = manualAppSignIn(server);
    const a = browser.openTab({ fetch: server.fetch, reauth: appSignIn.reauth });
    const b = open();
    await step(1_000);
    server.end('idle-timeout');
    const background = a.client.reauthenticate(); // e.g. the fetch wrapper's, on a 401
    await step(1_000);
    expect(await b.client.logout()).toBe(true); // the person signs out in b meanwhile
    await step(1_000);
    // Any later call in a (the dialog's button, say) while the old attempt is on its way.
    void a.client.reauthenticate();
    await step(0);
    expect(appSignIn.calls).toBe(1);
    appSignIn.finish(); // the old attempt's sign-in finishes after the sign-out
    // Begun before the sign-out: its session is signed out of too.
    expect(await background).toBe(false);
    await step(2_000);
    expect(server.live()).toBe(false);
    for (const t of [a, b]) t.close();
  });
});

describe('two concurrent 401s in one tab, the session ending between them', () => {
  it('runs the app re-auth function once for the one need, even when it is declined', async () => {
    const { browser, server, open, step } = signedInBrowser();
    let calls = 0;
    let decline = () => {};
    const a = browser.openTab({
      fetch: server.fetch,
      reauth: () => {
        calls++;
        return new Promise<boolean>((resolve) => {
          decline = () => resolve(false);
          // A second prompt would be declined too.
          if (calls > 1) resolve(false);
        });
      },
    });
    const b = open();
    await step(1_000);
    expect(await b.client.logout()).toBe(true); // an earlier sign-out ...
    await step(1_000);
    server.signIn(); // ... then a fresh sign-in on the login page
    void a.client.refresh();
    await step(1_000);
    expect(a.client.getSnapshot().state).toBe('active');
    await step(1_000);
    server.end('idle-timeout');
    const first = a.client.fetch('/api/one').catch(() => 'rejected');
    await step(0);
    expect(calls).toBe(1);
    void a.client.refresh(); // the tab learns the session ended (a poll, say)
    await step(0);
    expect(a.client.getSnapshot().state).not.toBe('active');
    const second = a.client.fetch('/api/two').catch(() => 'rejected');
    await step(0);
    decline(); // the person declines the one re-auth prompt
    await step(1_000);
    await Promise.all([first, second]);
    expect(calls).toBe(1);
    for (const t of [a, b]) t.close();
  });
});
