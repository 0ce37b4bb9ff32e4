import { describe, expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

describe('a third tab under a frozen leader while a follower extends for activity just before the warning', () => {
  it('shows the warning in no tab only to clear it again (tabs agree)', async () => {
    const { browser, open, stepAsync: step } = signedInBrowser();
    const [a, b, c] = [open(), open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    const seen: string[] = [];
    for (const [name, tab] of [
      ['b', b],
      ['c', c],
    ] as const) {
      for (const type of ['warning', 'warning-cleared'] as const) {
        tab.client.on(type, () => seen.push(`${name} ${type}`));
      }
    }
    a.freeze(); // the leader's tab is frozen in the background
    await step(warnAt - browser.clock.now() - 200);
    b.act(); // 200 ms before the warning: b waits for the frozen leader, then extends itself
    await step(30_000);
    expect(b.client.getSnapshot().state).toBe('active');
    // Activity kept the session: no tab flashed a warning the person did not need.
    expect(seen).toEqual([]);
    for (const t of [a, b, c]) t.close();
  });
});

describe('a sign-in asked for after a sign-out, while a background re-auth waits for the lock', () => {
  it('keeps the session the person asked for', async () => {
    const { browser, server, step } = signedInBrowser();
    const wait = (ms: number) =>
      new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, ms));
    // The app's silent sign-in (an identity provider's iframe): takes 2 s, in every tab.
    const reauth = async () => {
      await wait(2_000);
      server.signIn();
      return true;
    };
    const open = () => browser.openTab({ fetch: server.fetch, reauth });
    const [a, c] = [open(), open()];
    await step(1_000);
    server.end('idle-timeout'); // the session expired on the server
    void c.client.reauthenticate(); // c re-auths (holds the lock) ...
    await step(0);
    // ... while a background request in a meets the 401 and queues for the lock
    const background = a.client.fetch('/api/data').catch((e: unknown) => e);
    await step(500);
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
