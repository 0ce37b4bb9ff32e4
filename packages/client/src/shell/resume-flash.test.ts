import { expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

it('a frozen leader resumed after a follower kept the session alive shows no warning', async () => {
  const { open, stepAsync: step } = signedInBrowser(); // idle 10 min, warnBefore 2 min
  const [a, b] = [open(), open()];
  await step(0);
  expect(a.client.getSnapshot().isLeader).toBe(true);
  a.freeze();
  // The person works in b; b keeps the session alive itself.
  for (let i = 0; i < 9; i++) {
    b.act();
    await step(MIN);
  }
  expect(b.client.getSnapshot().state).toBe('active');
  const seen: string[] = [];
  a.client.on('warning', () => seen.push('warning'));
  a.client.on('warning-cleared', () => seen.push('cleared'));
  a.show(); // the person switches to a: it resumes (its own deadline is 1 min away)
  await step(0);
  expect(a.client.getSnapshot().state).toBe('active');
  expect(seen).toEqual([]);
  a.close();
  b.close();
});

it('a tab the person comes back to inside the warning window warns, and extends nothing by itself', async () => {
  const { open, stepAsync: step, extensions } = signedInBrowser(); // idle 10 min, warnBefore 2 min
  const [a, b] = [open(), open()];
  await step(0);
  expect(a.client.getSnapshot().isLeader).toBe(true);
  // The person leaves: both tabs in the background, their timers held back (throttled,
  // or a sleeping laptop), until 90 s before the idle deadline.
  for (const tab of [a, b]) {
    tab.hide();
    tab.throttle(60 * MIN);
  }
  await step(8.5 * MIN);
  // Back to b: re-evaluated before the return counts, so the warning opens and waits for
  // "Stay signed in" (activity during the idle warning does not extend).
  b.show();
  await step(0);
  expect(b.client.getSnapshot().warning).toBe('idle');
  await step(5_000);
  expect(extensions()).toBe(0);
  expect(b.client.getSnapshot().warning).toBe('idle');
  a.close();
  b.close();
});

// A laptop waking from sleep resumes every frozen tab at once: the leader asks the server
// for all of them (each used to ask for itself), the way `online` is handled.
it('tabs resumed together ask the server for the status once, and a lone follower resumed asks nothing', async () => {
  const { open, server, stepAsync: step } = signedInBrowser(); // idle 10 min
  const tabs = [open(), open(), open()];
  await step(0);
  const statuses = () => server.calls.get('/session/status') ?? 0;
  for (const tab of tabs) tab.freeze();
  await step(MIN);
  const before = statuses();
  for (const tab of tabs) tab.resume();
  await step(0);
  expect(statuses() - before).toBe(1);
  // A follower resumed alone (a background tab the browser froze) re-evaluates its
  // deadlines; the leader's polling covers the rest.
  const follower = tabs.find((tab) => !tab.client.getSnapshot().isLeader)!;
  follower.freeze();
  await step(MIN);
  const alone = statuses();
  follower.resume();
  await step(0);
  expect(statuses() - alone).toBe(0);
  expect(tabs.map((tab) => tab.client.getSnapshot().state)).toEqual(['active', 'active', 'active']);
  for (const tab of tabs) tab.close();
});
