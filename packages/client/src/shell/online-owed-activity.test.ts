import { describe, expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

describe('back online in a follower that owes an extension for activity typed offline', () => {
  it('under a frozen leader: sends the owed extension on `online`, not at a backoff past the deadline', async () => {
    const { browser, server, open, stepAsync: step, extensions } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const deadline = b.client.getSnapshot().idleExpiresAt!;
    a.freeze(); // the leader's tab is frozen in the background
    await step(MIN);
    server.breakWith('network'); // the Wi-Fi drops
    // The person types in the follower, offline, until the network comes back.
    while (browser.clock.now() < deadline - 50_000) {
      b.act();
      await step(5_000);
    }
    // The follower's own extension failed offline and is owed, its backoff now at a minute.
    expect(b.client.getSnapshot().state).not.toBe('expired');
    const before = extensions();
    server.breakWith(null); // back online, 50 s before the deadline
    b.window.dispatch('online');
    await step(20_000);
    // The owed extension goes out (at once before 84197da; a leader's round trip later would
    // do); nobody else sends it.
    const sentOnOnline = extensions() - before;
    await step(2 * MIN); // past the old deadline
    expect({ sentOnOnline, live: server.live(), state: b.client.getSnapshot().state }).toEqual({
      sentOnOnline: 1,
      live: true,
      state: 'active',
    });
    a.close();
    b.close();
  });

  it('with a live leader whose poll failed offline: the owed extension still goes on `online`', async () => {
    const { browser, server, open, stepAsync: step, extensions } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const deadline = b.client.getSnapshot().idleExpiresAt!;
    await step(4 * MIN + 50_000);
    server.breakWith('network'); // the Wi-Fi drops; the leader's 5-min poll fails and is retried
    await step(15_000);
    // The person types in the follower, offline, until the network comes back.
    while (browser.clock.now() < deadline - 50_000) {
      b.act();
      await step(5_000);
    }
    const before = extensions();
    server.breakWith(null); // back online, 50 s before the deadline
    for (const tab of [a, b]) tab.window.dispatch('online');
    await step(2 * MIN); // past the old deadline
    expect({
      sent: extensions() - before,
      live: server.live(),
      state: b.client.getSnapshot().state,
    }).toEqual({ sent: 1, live: true, state: 'active' });
    a.close();
    b.close();
  });
});
