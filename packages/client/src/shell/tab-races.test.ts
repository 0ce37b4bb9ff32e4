import { describe, expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

describe('a re-auth queued on the lock and a sign-out in another tab', () => {
  it('does not sign the person back in when they signed out while it waited for the lock', async () => {
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
    const [a, b, c] = [open(), open(), open()];
    await step(1_000);
    server.end('idle-timeout'); // the session expired on the server
    const inA = a.client.reauthenticate(); // a re-auths (holds the lock) ...
    await step(0);
    // ... while a background request in c meets the 401 and queues for the lock
    const inC = c.client.fetch('/api/data').catch((e: unknown) => e);
    await step(500);
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

describe('a third tab while a live leader extends for activity just before the warning', () => {
  it('shows no warning in a follower the person is not using', async () => {
    const { browser, open, stepAsync: step } = signedInBrowser({ latency: 300 });
    const [a, b, c] = [open(), open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    const seen: string[] = [];
    for (const [name, tab] of [
      ['a', a],
      ['b', b],
      ['c', c],
    ] as const) {
      for (const type of ['warning', 'warning-cleared'] as const) {
        tab.client.on(type, () => seen.push(`${name} ${type}`));
      }
    }
    await step(warnAt - browser.clock.now() - 200);
    b.act(); // 200 ms before the warning; the leader's extension answers in about 300 ms
    await step(10_000);
    expect(seen).toEqual([]);
    for (const t of [a, b, c]) t.close();
  });
});

describe('a live leader busy with a check when told of activity, on a slow network', () => {
  it('costs one POST /extend for the browser', async () => {
    const { browser, open, stepAsync: step, extensions } = signedInBrowser({ latency: 7_000 });
    const [a, b] = [open(), open()];
    await step(20_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    await step(warnAt - browser.clock.now() - 14_500);
    void a.client.refresh(); // the leader re-checks (an `online`, a resume): answer in 7 s
    await step(500);
    const before = extensions();
    b.act(); // 14 s before the warning: the leader extends once its check is answered
    await step(30_000);
    expect(extensions() - before).toBe(1);
    for (const t of [a, b]) t.close();
  });
});
