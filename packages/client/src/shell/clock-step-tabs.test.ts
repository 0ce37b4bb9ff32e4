import { afterEach, expect, it, vi } from 'vitest';
import { parseTabMessage } from '../core/parse.js';
import {
  createFakeServer,
  createSimulatedBrowser,
  createVirtualClock,
  flush,
  type SimulatedTab,
} from '../testing/index.js';
import { recordWarnings } from './signed-in.fixture.js';

const MIN = 60_000;

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Tabs on the default clock on both sides of the computer's clock set back 8 minutes, on a
 * 10-minute idle timeout. The wall clock (`Date.now`) is 8 minutes behind the virtual one
 * and the monotonic clock (`performance.now`) on it, so a tab opened before the step reads
 * 8 minutes ahead of the wall clock. One opened after it reads the wall clock (its monotonic
 * clock started there); a test has one `performance` for all its tabs, so that one is given
 * the wall clock as its `now` (an app's own clock, which leads the wall clock by nothing, as
 * the newer tab's default clock). `newerFirst` opens it first, to lead.
 */
function tabsAcrossAStep(newerFirst: boolean) {
  const clock = createVirtualClock();
  vi.spyOn(Date, 'now').mockImplementation(() => clock.now() - 8 * MIN);
  const origin = performance.timeOrigin;
  vi.spyOn(performance, 'now').mockImplementation(() => clock.now() - origin);
  const browser = createSimulatedBrowser({ clock });
  const server = createFakeServer({ now: clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const openOlder = () => browser.openTab({ fetch: server.fetch, now: undefined });
  const openNewer = () => browser.openTab({ fetch: server.fetch, now: () => Date.now() });
  const [first, second] = newerFirst ? [openNewer(), openOlder()] : [openOlder(), openNewer()];
  const [older, newer] = newerFirst ? [second, first] : [first, second];
  /** The person acts in `tab` every 10 s for `ms`. */
  const work = async (tab: SimulatedTab, ms: number) => {
    for (let t = 0; t < ms; t += 10_000) {
      tab.act();
      await clock.advanceAsync(10_000);
    }
    await flush();
  };
  return { clock, browser, server, older, newer, work };
}

for (const newerLeads of [false, true]) {
  it(`keeps a person working only in a newer tab signed in while ${newerLeads ? 'it leads and an older tab follows' : 'an older tab leads'}`, async () => {
    const { clock, server, older, newer, work } = tabsAcrossAStep(newerLeads);
    await clock.advanceAsync(0);
    await flush();
    expect((newerLeads ? newer : older).client.getSnapshot().isLeader).toBe(true);
    const warnings = recordWarnings({ newer }, ['warning']);
    await work(newer, 30 * MIN); // three idle timeouts
    expect(server.live()).toBe(true);
    expect(server.calls.get('/session/extend')).toBeGreaterThanOrEqual(3);
    expect(warnings).toEqual([]);
    expect(newer.client.getSnapshot().state).toBe('active');
    expect(older.client.getSnapshot().state).toBe('active');
    older.close();
    newer.close();
  });
}

it("shows an older follower the server's deadline: no early warning, no early expiry", async () => {
  const { clock, server, older, newer } = tabsAcrossAStep(true);
  const start = clock.now();
  await clock.advanceAsync(0);
  await flush();
  expect(newer.client.getSnapshot().isLeader).toBe(true);
  // The older tab reads the server's clock here: its deadline is the server's.
  expect(older.client.getSnapshot().idleExpiresAt).toBe(start + 10 * MIN);
  const warnedAt: number[] = [];
  older.client.on('warning', () => warnedAt.push(clock.now() - start));
  // Nobody works: the session ends on its idle timeout. Each second, the older tab's view.
  const early: string[] = [];
  for (let t = 0; t < 15 * MIN; t += 1_000) {
    const { state } = older.client.getSnapshot();
    if (server.live() && state !== 'active' && state !== 'warning') early.push(`${t}: ${state}`);
    await clock.advanceAsync(1_000);
  }
  await flush();
  expect(early).toEqual([]);
  // The warning opens 2 minutes (`warnBefore`) before the deadline, not 8 minutes earlier.
  expect(warnedAt).toEqual([8 * MIN]);
  expect(server.live()).toBe(false);
  expect(older.client.getSnapshot().state).toBe('expired');
  older.close();
  newer.close();
});

it('posts its times in the wall clock, as version-2 messages any version reads', async () => {
  const { clock, browser, older, newer } = tabsAcrossAStep(false);
  const heard: unknown[] = [];
  browser.hub.channel('lifeline').onMessage((message) => heard.push(message));
  const wall = Date.now();
  await clock.advanceAsync(0);
  await flush();
  // The older tab's first answer, sent and received at its clock's `clock.now()`.
  const [first] = heard;
  expect(first).toMatchObject({ v: 2, type: 'answer', sentAt: wall, receivedAt: wall });
  expect(parseTabMessage(first)).toEqual(first);
  // The newer tab reads the wall clock: its activity goes out at the time it read.
  await clock.advanceAsync(5_000);
  newer.act();
  await flush();
  expect(heard.at(-1)).toMatchObject({ type: 'activity', sentAt: wall + 5_000 });
  older.close();
  newer.close();
});
