import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import type { SessionClientOptions, SessionEvent } from '../types.js';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

function setup(opts: { skew?: number; idle?: number; canReauth?: boolean } = {}) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    skew: opts.skew ?? 0,
    idleTimeoutMs: opts.idle ?? 10 * MIN,
    absoluteTimeoutMs: 60 * MIN,
    canReauth: opts.canReauth ?? true,
  });
  server.signIn();
  const open = () => browser.openTab({ fetch: server.fetch, endpoint: '/session' });
  const events: SessionEvent[] = [];
  const record = (tab: ReturnType<typeof open>) => {
    for (const type of [
      'warning',
      'warning-cleared',
      'extended',
      'expired',
      'signed-out',
      'error',
    ] as const) {
      tab.client.on(type, (e) => events.push(e));
    }
    return tab;
  };
  const step = async (ms: number) => {
    browser.clock.advance(ms);
    await flush();
  };
  return { browser, server, open, record, events, step, clock: browser.clock };
}

describe('session client in one tab', () => {
  it('learns the deadlines from /status and corrects for server clock skew', async () => {
    const { open, step, clock } = setup({ skew: 5 * MIN });
    const tab = open();
    await step(0);
    const snap = tab.client.getSnapshot();
    expect(snap.state).toBe('active');
    expect(snap.isLeader).toBe(true);
    // Server runs 5 minutes ahead, so 10 minutes of idle time end 10 minutes from the local now.
    expect(snap.idleExpiresAt).toBe(clock.now() + 10 * MIN);
    tab.close();
  });

  it('warns before the idle deadline and expires after it, confirmed by the server', async () => {
    const { open, record, events, step, server } = setup();
    const tab = record(open());
    await step(0);
    await step(8 * MIN - 1);
    expect(tab.client.getSnapshot().state).toBe('active');
    await step(1);
    expect(tab.client.getSnapshot()).toMatchObject({ state: 'warning', warning: 'idle' });
    await step(2 * MIN);
    expect(tab.client.getSnapshot()).toMatchObject({
      state: 'expired',
      lastReason: 'idle-timeout',
    });
    expect(events.map((e) => e.type)).toEqual(['warning', 'expired']);
    expect(server.calls.get('/session/extend')).toBeUndefined();
    tab.close();
  });

  it('keeps an active user alive with at most one extend per interval, and never an idle one', async () => {
    const { open, step, server } = setup();
    const tab = open();
    await step(0);
    for (let i = 0; i < 20; i++) {
      tab.act();
      await step(15_000);
    }
    // 5 minutes of steady activity, keepalive every minute.
    expect(server.calls.get('/session/extend')).toBe(5);
    expect(tab.client.getSnapshot().state).toBe('active');
    await step(30 * MIN);
    expect(server.calls.get('/session/extend')).toBe(5);
    expect(tab.client.getSnapshot().state).toBe('expired');
    tab.close();
  });

  it('goes straight to expired after the laptop slept past the deadline', async () => {
    const { open, record, events, step, clock } = setup();
    const tab = record(open());
    await step(0);
    clock.sleep(3 * 60 * MIN);
    tab.window.dispatch('focus');
    await step(0);
    expect(tab.client.getSnapshot().state).toBe('expired');
    expect(events.map((e) => e.type)).toEqual(['expired']);
    tab.close();
  });

  it('keeps the last good state and retries when the server is unreachable', async () => {
    const { open, record, events, step, server } = setup();
    const tab = record(open());
    await step(0);
    server.breakWith(503);
    await tab.client.refresh();
    await step(0);
    expect(tab.client.getSnapshot().state).toBe('active');
    expect(events.at(-1)).toMatchObject({ type: 'error', operation: 'status', willRetry: true });
    server.breakWith(null);
    await step(1000);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(tab.client.getSnapshot().state).toBe('active');
    tab.close();
  });

  it('keeps the same snapshot object through a /status poll that changes nothing', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 30 * MIN });
    server.signIn(); // each answer carries the user in an object of its own
    const tab = browser.openTab({ fetch: server.fetch, pollInterval: MIN });
    await flush();
    const before = tab.client.getSnapshot();
    expect(before.user).toEqual({ name: 'demo' });
    let changes = 0;
    tab.client.subscribe(() => changes++);
    await browser.clock.advanceAsync(MIN); // one leader poll: same deadlines, same user
    await flush();
    expect(server.calls.get('/session/status')).toBe(2);
    expect(changes).toBe(0);
    expect(tab.client.getSnapshot()).toBe(before);
    tab.close();
  });

  it('refresh() called from an event listener resolves true once answered', async () => {
    const { open, step, server } = signedInBrowser();
    const tab = open();
    await step(0);
    let result: boolean | undefined;
    let asked = 0;
    tab.client.on('warning', () => {
      asked = server.calls.get('/session/status') ?? 0;
      void tab.client.refresh().then((r) => {
        result = r;
      });
    });
    await step(8 * MIN + 1000); // into the idle warning (idle 10 min, warning 2 min)
    await step(0);
    expect(server.calls.get('/session/status')).toBe(asked + 1);
    expect(result).toBe(true);
    tab.close();
  });

  it('a second extend() while the first is on its way resolves with its answer', async () => {
    const { open, stepAsync, extensions } = signedInBrowser({ latency: 200 });
    const tab = open();
    await stepAsync(1000);
    const first = tab.client.extend();
    const second = tab.client.extend(); // a double click on "Stay signed in"
    await stepAsync(1000);
    expect([await first, await second]).toEqual([true, true]);
    expect(extensions()).toBe(1);
    tab.close();
  });

  it('refuses a warning shorter than 20 seconds', () => {
    const browser = createSimulatedBrowser();
    expect(() => browser.openTab({ warnBefore: 10_000 })).toThrow(RangeError);
    expect(() => browser.openTab({ warnBefore: 10_000 })).toThrow(/"warnBefore"/);
    expect(() => browser.openTab({ activity: { throttle: -1 } })).toThrow(
      /"activity.throttle" must be a number >= 0, got -1/,
    );
  });

  it.each([
    [{ endpoint: 123 }, /"endpoint" must be of type string, got 123/],
    [{ endpoint: null }, /"endpoint" must be of type string, got null/],
    [{ warnBefore: '120000' }, /"warnBefore" must be of type number/],
    [{ reauth: 'popup' }, /"reauth" must be 'endpoint', false or a function, got popup/],
    [{ reauth: true }, /"reauth" must be 'endpoint', false or a function/],
    [{ activity: { events: 'click' } }, /"activity.events" must be of type object/],
    [{ fetch: 'https://example.test' }, /"fetch" must be of type function/],
    [{ now: null }, /"now" must be of type function, got null/],
    [{ tabId: 7 }, /"tabId" must be of type string/],
    // Options without a default: an object or function, or null for none.
    [{ activity: 'on' }, /"activity" must be of type object or function, got on/],
    [{ channel: 'lifeline' }, /"channel" must be of type object or function, got lifeline/],
    [{ locks: 42 }, /"locks" must be of type object/],
    // Objects the client cannot run without take no null.
    [{ timers: null }, /"timers" must be of type object, got null/],
    [{ activity: { events: null } }, /"activity.events" must be of type object, got null/],
    // An object that cannot be turned into a string still gets the message naming the option.
    [{ endpoint: Object.create(null) }, /"endpoint" must be of type string, got object/],
    [
      {
        reauth: {
          toString: () => {
            throw new Error('no');
          },
        },
      },
      /"reauth" must be .*, got object/,
    ],
  ])('refuses %o where the client is made, naming the option', (bad, message) => {
    const browser = createSimulatedBrowser();
    const open = () => browser.openTab(bad as unknown as SessionClientOptions);
    expect(open).toThrow(TypeError);
    expect(open).toThrow(message);
    expect(browser.clock.pending()).toBe(0);
  });

  it('takes null for the options that mean "none", and every accepted kind of reauth', () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now });
    for (const options of [
      { locks: null, document: null, window: null, channel: null },
      { activity: { target: null } },
      { activity: false as const },
      { reauth: false as const },
      { reauth: 'endpoint' as const },
      { reauth: async () => true },
    ]) {
      browser.openTab({ fetch: server.fetch, ...options }).close();
    }
  });

  it('destroy() called from an event listener stops at once, leaving no timer armed', async () => {
    const { open, step, browser } = setup();
    const tab = open();
    await step(0);
    tab.client.on('extended', () => tab.client.destroy());
    await tab.client.extend();
    await step(0);
    expect(browser.clock.pending()).toBe(0);
  });

  it('an app re-auth function that never settles is given up at its deadline, not waited on', async () => {
    const { browser, server, step } = setup();
    const tab = browser.openTab({
      fetch: server.fetch,
      reauth: () => new Promise<boolean>(() => {}),
      requestTimeout: 10, // the re-auth deadline is 6 request timeouts: 60 ms
    });
    await step(0);
    server.end('idle-timeout');
    const failed: SessionEvent[] = [];
    tab.client.on('reauth-failed', (e) => failed.push(e));
    await expect(
      tab.client.fetch('/api/save', { method: 'POST', body: 'draft' }),
    ).rejects.toThrow();
    expect(failed).toHaveLength(1);
    tab.close();
  });

  it('a signed-out tab whose check failed arms no timer for a retry it will not make', async () => {
    // It used to re-arm a due timer at once, forever: a busy loop in a signed-out tab.
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now });
    const tab = browser.openTab({ fetch: server.fetch });
    await flush();
    expect(tab.client.getSnapshot().state).toBe('signed-out');
    server.breakWith('network');
    await tab.client.refresh();
    await flush();
    expect(browser.clock.pending()).toBe(0);
    tab.close();
  });

  it('an extension refused with a 401 ends the session and does not block later ones', async () => {
    const { open, step, server } = setup();
    const tab = open();
    await step(0);
    server.end('idle-timeout'); // a revocation would forget the remember-me credential too
    await tab.client.extend();
    await step(0);
    expect(tab.client.getSnapshot()).toMatchObject({
      state: 'expired',
      lastReason: 'idle-timeout',
    });
    expect(await tab.client.reauthenticate()).toBe(true);
    await step(0);
    await tab.client.extend();
    expect(server.calls.get('/session/extend')).toBe(2);
    tab.close();
  });

  it('destroy() leaves no listener, timer or channel behind, and can be called twice', async () => {
    const { open, step, browser } = setup();
    const tab = open();
    await step(0);
    expect(tab.document.listeners()).toBeGreaterThan(0);
    tab.close();
    tab.close();
    expect(tab.document.listeners()).toBe(0);
    expect(tab.window.listeners()).toBe(0);
    expect(browser.clock.pending()).toBe(0);
    expect(browser.hub.open()).toBe(0);
    expect(browser.locks.active()).toBe(0);
  });
});
