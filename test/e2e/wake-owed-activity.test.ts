import type { SessionClient } from '@lifeline/client';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, worldPerTest } from './world.js';

// A 2-minute idle timeout with a 40 s warning (keepalive spacing (120 − 40) / 2 = 40 s): a
// tab waking 30 s before the deadline it knows wakes inside the warning window.
const ENV = { ...DEMO_ENV, IDLE_TIMEOUT_S: '120', WARN_BEFORE_S: '40' };
const start = worldPerTest();
type Demo = { lifelineDemo: { client: SessionClient } };

/** Starts recording the warnings a tab's client reports. */
const recordWarnings = (tab: Page) =>
  tab.evaluate(() => {
    const w = window as unknown as Demo & { warnings: string[] };
    w.warnings = [];
    w.lifelineDemo.client.on('warning', (e) => w.warnings.push(e.limit));
  });
const warnings = (tab: Page) =>
  tab.evaluate(() => (window as unknown as { warnings: string[] }).warnings);

/** Types one key in `tab` (the keepalive would extend for it within 40 s)… */
async function typeOneKey(tab: Page) {
  await tab.click('input[name="destination"]');
  await tab.keyboard.type('x');
  await tab.waitForTimeout(300);
}

// The leader extends for activity on its keepalive spacing, never inside the warning window.
// A computer that slept between a keystroke and that keepalive woke inside the window: the
// leader dropped the keystroke, warned, and signed the person out at the old deadline, 95 s
// after they typed on a 120 s timeout. Found by a review; typing in a follower was extended.
it('extends on waking for typing in the leader just before a sleep, without warning there', async () => {
  const world = await start(ENV);
  const [first] = await world.openTabs(1);
  await signIn(first!);
  const tabs = [first!, ...(await world.openTabs(2))];
  await expectState(tabs, 'active');
  await tabs[0]!.waitForTimeout(800);
  const roles = await Promise.all(
    tabs.map((t) => t.locator('#tab-role').getAttribute('data-leader')),
  );
  expect(roles).toEqual(['true', 'false', 'false']);
  await world.advance(30_000);
  await tabs[0]!.waitForTimeout(300);
  for (const t of tabs) await recordWarnings(t);
  await typeOneKey(tabs[0]!);
  const extensions: number[] = [];
  world.context.on('request', (r) => {
    if (new URL(r.url()).pathname === '/session/extend') {
      extensions.push(tabs.indexOf(r.frame().page()));
    }
  });
  // …asleep for 60 s: 30 s before the deadline the tabs know.
  await world.advance(60_000);
  await tabs[0]!.waitForTimeout(3000);
  // 35 s more: past that deadline, 95 s after the keystroke.
  await world.advance(35_000);
  await tabs[0]!.waitForTimeout(1500);
  // The followers, which do not know the leader's extension is on its way, show the warning
  // until its answer (docs/design-decisions.md, "Tabs waking inside the warning window").
  expect({
    extensions,
    leaderWarnings: await warnings(tabs[0]!),
    server: (await world.status()).state,
  }).toEqual({ extensions: [0], leaderWarnings: [], server: 'active' });
  for (const t of tabs)
    expect(await t.evaluate(() => document.body.dataset.session)).toBe('active');
});

it('extends on waking for typing in a lone tab (always the leader) just before it was suspended', async () => {
  const world = await start(ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  await tab!.waitForTimeout(800);
  await world.advance(30_000);
  await tab!.waitForTimeout(300);
  await recordWarnings(tab!);
  await typeOneKey(tab!);
  await world.advance(60_000);
  await tab!.waitForTimeout(2000);
  const onWaking = await tab!.evaluate(() => document.body.dataset.session);
  await world.advance(35_000);
  await tab!.waitForTimeout(1500);
  expect({
    onWaking,
    warnings: await warnings(tab!),
    server: (await world.status()).state,
  }).toEqual({ onWaking: 'active', warnings: [], server: 'active' });
});
