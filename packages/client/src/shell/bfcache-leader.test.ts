import { expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

it('a leading tab kept in the back/forward cache hands leadership on, and joins again as a follower when restored', async () => {
  const { open, step, server } = signedInBrowser();
  const [a, b] = [open(), open()];
  await step(0);
  const leads = () => [a.client.getSnapshot().isLeader, b.client.getSnapshot().isLeader];
  expect(leads()).toEqual([true, false]);

  a.window.dispatch('pagehide', { persisted: true });
  await step(0);
  expect(b.client.getSnapshot().isLeader).toBe(true);

  const checks = server.calls.get('/session/status') ?? 0;
  a.window.dispatch('pageshow', { persisted: true });
  await step(0);
  expect(leads()).toEqual([false, true]);
  // It asked once on its return (it may have missed anything), and hears the others again.
  expect(server.calls.get('/session/status')).toBe(checks + 1);
  await b.client.logout();
  await step(0);
  expect(a.client.getSnapshot()).toMatchObject({ state: 'signed-out', lastReason: 'logged-out' });
});

it('a page leaving for good (not kept in the cache) keeps its channel until it goes', async () => {
  const { open, step } = signedInBrowser();
  const [a, b] = [open(), open()];
  await step(0);
  a.window.dispatch('pagehide', { persisted: false });
  await step(0);
  expect([a.client.getSnapshot().isLeader, b.client.getSnapshot().isLeader]).toEqual([true, false]);
});

it('a restore without a pagehide before it opens no second channel', async () => {
  const { browser, open, step } = signedInBrowser();
  const [a, b] = [open(), open()];
  await step(0);
  const channels = browser.hub.open();
  b.window.dispatch('pageshow', { persisted: true });
  await step(0);
  expect(browser.hub.open()).toBe(channels);
  expect([a.client.getSnapshot().isLeader, b.client.getSnapshot().isLeader]).toEqual([true, false]);
});
