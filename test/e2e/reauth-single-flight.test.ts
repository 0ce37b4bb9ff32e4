import type { SessionClient } from '@lifeline/client';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { expectState, signIn, worldPerTest } from './world.js';

const start = worldPerTest();

/** The demo's "add to cart" through the tab's own client, as the page's button does. */
const addToCart = (tab: Page) =>
  tab.evaluate(async () => {
    const { client } = (window as unknown as { lifelineDemo: { client: SessionClient } })
      .lifelineDemo;
    const res = await client.fetch('/api/cart', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'Train ticket' }),
    });
    return res.status;
  });

// Chromium may hand the tabs' re-auth lock to a waiting tab a few ms before the holder's
// news of its new session arrives: that tab then asked for a second session, which ended
// the first under the first tab's replayed POST (409 session_renewed, not repeated: a lost
// cart write) in one round of two to five. The server answers such a second re-auth with
// the session the cookie already names.
it('re-authenticates once for three tabs whose calls meet the ended session together, and every call succeeds', async () => {
  const world = await start(DEMO_ENV);
  const [first] = await world.openTabs(1);
  await signIn(first!, { remember: true });
  const tabs = [first!, ...(await world.openTabs(2))];
  await expectState(tabs, 'active');
  // The re-auth answers that set a cookie: each made a new session.
  let made: Promise<string | null>[] = [];
  world.context.on('response', (r) => {
    if (new URL(r.url()).pathname === '/session/reauth') made.push(r.headerValue('set-cookie'));
  });
  const rounds: string[] = [];
  for (let round = 0; round < 12; round++) {
    // The session ends on the server (idle timeout) before the tabs know.
    world.server.advanceServerOnly(IDLE_MS + 5_000);
    made = [];
    const statuses = await Promise.all(tabs.map(addToCart));
    await tabs[0]!.waitForTimeout(300);
    const sessions = (await Promise.all(made)).filter(
      (cookie) => cookie !== null && /(^|\n)(__Host-)?lifeline=/.test(cookie),
    ).length;
    rounds.push(`${sessions} new session, ${statuses.join(' ')}`);
  }
  expect(rounds).toEqual(Array(12).fill('1 new session, 200 200 200'));
});
