import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * Four tabs, a person typing only in a follower every `every` ms for five idle periods,
 * and optionally the leader tab's own app traffic sliding the deadline through
 * `Session-Deadline` headers (an extension the followers are not told was one).
 */
async function typeInFollower(every: number, leaderTrafficEvery: number | null) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs: MIN,
    absoluteTimeoutMs: 60 * MIN,
  });
  server.signIn();
  const tabs = [0, 1, 2, 3].map(() => browser.openTab({ fetch: server.fetch, warnBefore: 20_000 }));
  await flush(20);
  const [leader, , follower] = tabs;
  expect(follower!.client.getSnapshot().isLeader).toBe(false);
  const seen = new Set<string>();
  for (let t = 0; t < 5 * MIN; t += 1_000) {
    if (t % every === 0) follower!.act();
    if (leaderTrafficEvery && t % leaderTrafficEvery === 0) void leader!.client.fetch('/api/feed');
    browser.clock.advance(1_000);
    await flush(20);
    for (const tab of tabs) seen.add(tab.client.getSnapshot().state);
  }
  for (const tab of tabs) tab.close();
  return [...seen];
}

describe('activity in a follower tab', () => {
  for (const every of [3_000, 9_000, 17_000]) {
    it(`keeps every tab signed in while a person types in a follower every ${every / 1000} s`, async () => {
      expect(await typeInFollower(every, null)).toEqual(['active']);
    });
    it(`does so too when the leader's own API traffic slides the deadline (typing every ${every / 1000} s)`, async () => {
      expect(await typeInFollower(every, 25_000)).toEqual(['active']);
    });
  }
});
