import { describe, expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

describe("an app's own re-auth function and a sign-out in another tab", () => {
  it('ends the session the function signed in to when the person signed out meanwhile', async () => {
    const { browser, server, open, step } = signedInBrowser();
    let finish = () => {};
    const a = browser.openTab({
      fetch: server.fetch,
      // The app's own silent sign-in (an identity provider's iframe, say): slow.
      reauth: () =>
        new Promise<boolean>((resolve) => {
          finish = () => {
            server.signIn();
            resolve(true);
          };
        }),
    });
    const b = open();
    await step(1_000);
    server.end('idle-timeout');
    const reauthed = a.client.reauthenticate();
    await step(1_000);
    expect(await b.client.logout()).toBe(true); // the person signs out in b meanwhile
    await step(1_000);
    finish(); // the app's re-auth finishes after the sign-out
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
    const { browser, server, step } = signedInBrowser();
    const wait = (ms: number) =>
      new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, ms));
    const a = browser.openTab({
      fetch: server.fetch,
      // The app's own sign-in (an identity provider's popup): takes a while.
      reauth: async () => {
        await wait(2_000);
        server.signIn();
        return true;
      },
    });
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
