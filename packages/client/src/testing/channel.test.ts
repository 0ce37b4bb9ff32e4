import { describe, expect, it } from 'vitest';
import { signedInBrowser } from '../shell/signed-in.fixture.js';
import { createFakeServer, createMemoryHub, createSimulatedBrowser, flush } from './index.js';

describe('createMemoryHub', () => {
  it('hands leadership on when the leader closes, and a closed channel leads nothing', async () => {
    const hub = createMemoryHub();
    const [first, second] = [hub.channel('lifeline'), hub.channel('lifeline')];
    expect([first.isLeader(), second.isLeader()]).toEqual([true, false]);
    first.close();
    await flush();
    expect([first.isLeader(), second.isLeader()]).toEqual([false, true]);
  });

  it('delivers what a BroadcastChannel would: undefined, NaN and Infinity as sent', async () => {
    const hub = createMemoryHub();
    const heard: unknown[] = [];
    hub.channel('lifeline').onMessage((m) => heard.push(m));
    hub.inject(undefined);
    hub.inject({ sentAt: Number.NaN, receivedAt: Number.POSITIVE_INFINITY, reason: undefined });
    await flush();
    expect(heard).toHaveLength(2);
    expect(heard[0]).toBeUndefined();
    const message = heard[1] as Record<string, unknown>;
    expect(message.sentAt).toBeNaN();
    expect(message.receivedAt).toBe(Number.POSITIVE_INFINITY);
    expect(Object.hasOwn(message, 'reason')).toBe(true);
  });

  it('lets a test inject an empty message: the tab reports it and keeps its session', async () => {
    const { browser, open, step } = signedInBrowser();
    const tab = open();
    await step(0);
    const errors: string[] = [];
    tab.client.on('error', (e) => errors.push(e.operation));
    browser.hub.inject(undefined);
    await step(0);
    expect(errors).toEqual(['channel']);
    expect(tab.client.getSnapshot().state).toBe('active');
  });

  it('holds messages for a frozen tab and delivers them in order on resume; it keeps leading', async () => {
    const hub = createMemoryHub();
    const [frozen, other] = [hub.forTab(), hub.forTab()];
    const leader = frozen.channel('lifeline');
    const follower = other.channel('lifeline');
    const heard: unknown[] = [];
    leader.onMessage((m) => heard.push(m));
    frozen.freeze();
    follower.post('one');
    hub.inject('two');
    follower.post('three');
    await flush();
    expect(heard).toEqual([]);
    expect(leader.isLeader()).toBe(true);
    frozen.resume();
    follower.post('four');
    await flush();
    expect(heard).toEqual(['one', 'two', 'three', 'four']);
  });

  it('keeps channels of different names apart, as BroadcastChannel does', async () => {
    const hub = createMemoryHub();
    const [a, b, c] = [hub.channel('shop'), hub.channel('admin'), hub.channel('shop')];
    const heard: unknown[] = [];
    b.onMessage((m) => heard.push(m));
    a.post('for the shop tabs');
    await flush();
    expect(heard).toEqual([]);
    expect([a.isLeader(), b.isLeader(), c.isLeader()]).toEqual([true, true, false]);
  });

  it("gives tabs of another channelName their own leader, and none of this one's logout", async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now });
    server.signIn();
    const shop = browser.openTab({ fetch: server.fetch, channelName: 'shop' });
    const admin = browser.openTab({
      fetch: createFakeServer({ now: browser.clock.now }).fetch,
      channelName: 'admin',
    });
    await flush(20);
    expect(admin.client.getSnapshot().isLeader).toBe(true);
    await shop.client.logout();
    await flush(20);
    expect(shop.client.getSnapshot().state).toBe('signed-out');
    expect(admin.client.getSnapshot().lastReason).not.toBe('logged-out');
  });
});
