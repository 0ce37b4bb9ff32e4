import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, worldPerTest } from './world.js';

const start = worldPerTest();

// docs/client.md: "`online`, which every tab hears at once, makes only the leader ask the
// server", and `keepaliveInterval`: "at most one extend per interval for the whole browser".
it('sends one POST /session/extend for the whole browser when the network comes back after a person typed offline in a follower tab', async () => {
  const world = await start(DEMO_ENV);
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await world.openTabs(2))];
  await expectState(tabs, 'active');
  const follower = tabs[1] as Page;
  expect(await follower.locator('#tab-role').getAttribute('data-leader')).toBe('false');
  await follower.click('input[name="destination"]');

  // The person types in a follower tab while the computer is offline for 50 s (of a 60 s
  // idle timeout): the leader's keepalive fails, and so does the follower's own fallback.
  await world.context.setOffline(true);
  for (let i = 0; i < 5; i++) {
    await follower.keyboard.type('x');
    await follower.waitForTimeout(150);
    await world.advance(10_000);
    await follower.waitForTimeout(100);
  }
  // Back online: the browser needs one extension for that typing, not one per tab.
  world.server.resetCounts();
  const sent: string[] = [];
  world.context.on('request', (r) => {
    if (new URL(r.url()).pathname === '/session/extend')
      sent.push(`tab ${tabs.indexOf(r.frame().page())}`);
  });
  await world.context.setOffline(false);
  await follower.waitForTimeout(1500);
  await expectState(tabs, 'active');
  expect(sent, 'POST /session/extend sent on `online`').toHaveLength(1);
  // Nor later: the follower's failed extension, covered by the one it heard of, is not owed.
  await world.advance(20_000);
  await follower.waitForTimeout(300);
  expect(sent, 'POST /session/extend sent after `online`').toHaveLength(1);
}, 60_000);
