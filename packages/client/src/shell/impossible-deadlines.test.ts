import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

/**
 * Deadlines no server sends for a live session (not both ahead of its `now`, the idle one
 * past the absolute one, or more than 400 days away): a server bug, a proxy's rewrite, a
 * garbage field from another tab. Each used to be taken as it came.
 */

/** A signed-in tab whose fetch answers with `rewrite` where it gives a response, and its events. */
function tabWith(rewrite: (path: string, res: Response, now: number) => Response | null) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs: 10 * MIN,
    absoluteTimeoutMs: 60 * MIN,
  });
  server.signIn();
  let broken = false;
  const sent: string[] = [];
  const tab = browser.openTab({
    fetch: async (input, init) => {
      const path = new URL(input instanceof Request ? input.url : String(input), 'http://app.test')
        .pathname;
      sent.push(path);
      const res = await server.fetch(input, init);
      return (broken && rewrite(path, res, browser.clock.now())) || res;
    },
  });
  const events: string[] = [];
  for (const type of ['error', 'expired', 'signed-out', 'warning'] as const) {
    tab.client.on(type, () => events.push(type));
  }
  const step = async (ms: number) => {
    await browser.clock.advanceAsync(ms);
    await flush(30);
  };
  return { browser, server, tab, sent, events, step, breakNow: () => (broken = true) };
}

const statusBody = (now: number, idleExpiresAt: number, absoluteExpiresAt: number) =>
  Response.json({
    state: 'active',
    now,
    idleExpiresAt,
    absoluteExpiresAt,
    idleTimeoutMs: 10 * MIN,
    canReauth: false,
    user: null,
  });

describe('a /status answer that says active with a deadline already past', () => {
  for (const [label, deadlines] of [
    ['the idle one, a second ago', (now: number): [number, number] => [now - 1000, now + 30 * MIN]],
    ['the absolute one, 10 ms ago', (now: number): [number, number] => [now + 5 * MIN, now - 10]],
  ] as const) {
    it(`is a failed check, retried with backoff, not asked again at once (${label})`, async () => {
      const t = tabWith((path, _res, now) =>
        path === '/session/status' ? statusBody(now, ...deadlines(now)) : null,
      );
      await t.step(0);
      t.breakNow();
      const before = t.sent.length;
      void t.tab.client.refresh();
      // No time passes: the loop this was sent 286 requests here.
      await flush(500);
      expect(t.sent.length - before).toBe(1);
      for (let i = 0; i < 60; i++) await t.step(1000);
      // Backoff from 1 s, doubling: 1, 2, 4, 8, 16, 32 s.
      expect(t.sent.length - before).toBeLessThanOrEqual(7);
      expect(t.events).toContain('error');
      expect(t.events.filter((e) => e !== 'error')).toEqual([]);
      expect(t.tab.client.getSnapshot().state).toBe('active');
      t.tab.close();
    });
  }
});

describe('a Session-Deadline header with impossible deadlines, on an app response', () => {
  const field = (header: string, name: string) =>
    Number(new RegExp(`${name}=(\\d+)`).exec(header)?.[1]);
  const withHeader = (res: Response, value: string) => {
    const headers = new Headers(res.headers);
    headers.set('Session-Deadline', value);
    return new Response(null, { status: res.status, headers });
  };
  for (const [label, rewrite] of [
    [
      'idle 16 digits long',
      (h: string) =>
        `idle=9999999999999999, absolute=${field(h, 'absolute')}, now=${field(h, 'now')}`,
    ],
    [
      'idle an hour past the absolute one',
      (h: string) =>
        `idle=${field(h, 'absolute') + 60 * MIN}, absolute=${field(h, 'absolute')}, now=${field(h, 'now')}`,
    ],
  ] as const) {
    it(`is ignored and reported: a person working on is kept signed in, unwarned (${label})`, async () => {
      let once = true;
      const t = tabWith((path, res) => {
        const header = res.headers.get('Session-Deadline');
        if (path !== '/api/data' || !once || !header) return null;
        once = false;
        return withHeader(res, rewrite(header));
      });
      await t.step(MIN);
      t.breakNow();
      await t.tab.client.fetch('/api/data');
      // Twenty minutes of work, with an idle timeout of ten.
      for (let i = 0; i < 40; i++) {
        t.tab.act();
        await t.step(30_000);
      }
      expect(t.server.live()).toBe(true);
      expect(t.events).toEqual(['error']);
      expect(t.tab.client.getSnapshot().state).toBe('active');
      t.tab.close();
    });
  }

  it('is ignored: deadlines in the past do not end the session while /status fails', async () => {
    const t = tabWith((path, res) => {
      if (path.startsWith('/session/')) return new Response('down', { status: 503 });
      return path === '/api/data' ? withHeader(res, 'idle=1000, absolute=2000, now=1500') : null;
    });
    await t.step(MIN);
    t.breakNow();
    await t.tab.client.fetch('/api/data');
    await t.step(5000);
    expect(t.events.filter((e) => e !== 'error')).toEqual([]);
    expect(t.tab.client.getSnapshot().state).toBe('active');
    t.tab.close();
  });
});

describe("another tab's message with impossible deadlines", () => {
  it('a header whose idle deadline lies past the absolute one is ignored: the keepalive goes on', async () => {
    const { browser, server, open, stepAsync } = signedInBrowser();
    const tab = open();
    const events: string[] = [];
    for (const type of ['expired', 'warning'] as const)
      tab.client.on(type, () => events.push(type));
    await stepAsync(MIN);
    const { absoluteExpiresAt } = tab.client.getSnapshot();
    const now = browser.clock.now();
    browser.hub.inject({
      v: 2,
      from: 'other',
      trigger: 'response',
      type: 'header',
      idle: absoluteExpiresAt! + 1,
      absolute: absoluteExpiresAt,
      now,
      sentAt: now,
      receivedAt: now,
    });
    for (let i = 0; i < 40; i++) {
      tab.act();
      await stepAsync(30_000);
    }
    expect(server.live()).toBe(true);
    expect(events).toEqual([]);
    tab.close();
  });

  it('a status whose server `now` is decades before its deadlines is ignored: the idle tab is still warned', async () => {
    const { browser, open, stepAsync } = signedInBrowser();
    const leader = open();
    const follower = open();
    const warned: string[] = [];
    leader.client.on('warning', () => warned.push('leader'));
    follower.client.on('warning', () => warned.push('follower'));
    await stepAsync(0);
    const snapshot = follower.client.getSnapshot();
    expect(snapshot.isLeader).toBe(false);
    const now = browser.clock.now();
    browser.hub.inject({
      v: 2,
      from: 'other',
      trigger: 'status',
      type: 'answer',
      op: 'status',
      sentAt: now,
      receivedAt: now,
      status: {
        state: 'active',
        now: 0,
        idleExpiresAt: snapshot.idleExpiresAt,
        absoluteExpiresAt: snapshot.absoluteExpiresAt,
        idleTimeoutMs: 10 * MIN,
        canReauth: false,
        user: null,
      },
    });
    // Twelve idle minutes of a ten-minute idle timeout.
    for (let i = 0; i < 24; i++) await stepAsync(30_000);
    expect(warned).toContain('follower');
    leader.close();
    follower.close();
  });
});
