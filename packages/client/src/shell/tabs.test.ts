import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

describe('session client across tabs', () => {
  it('costs the server what one tab does: only the leader extends, for activity in any tab', async () => {
    const { open, step, server } = signedInBrowser();
    const tabs = [open(), open(), open()];
    await step(0);
    expect(tabs.map((t) => t.client.getSnapshot().isLeader)).toEqual([true, false, false]);
    for (let i = 0; i < 12; i++) {
      tabs[2]?.act();
      await step(15_000);
    }
    expect(server.calls.get('/session/extend')).toBe(3);
    const idle = tabs[0]?.client.getSnapshot().idleExpiresAt;
    expect(tabs.map((t) => t.client.getSnapshot().idleExpiresAt)).toEqual([idle, idle, idle]);
    for (const t of tabs) t.close();
  });

  it('shows and clears the warning in every tab together', async () => {
    const { open, step } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    await step(8 * MIN);
    expect([a.client.getSnapshot().state, b.client.getSnapshot().state]).toEqual([
      'warning',
      'warning',
    ]);
    await b.client.extend();
    await step(0);
    expect([a.client.getSnapshot().state, b.client.getSnapshot().state]).toEqual([
      'active',
      'active',
    ]);
    a.close();
    b.close();
  });

  it('signs every tab out when one logs out, saying which tab did it', async () => {
    const { open, step, server } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    const seen: Array<{ tabId: string; local: boolean }> = [];
    a.client.on('signed-out', (e) => seen.push({ tabId: e.tabId, local: e.local }));
    await b.client.logout();
    await step(0);
    expect(a.client.getSnapshot()).toMatchObject({ state: 'signed-out', lastReason: 'logged-out' });
    expect(seen).toEqual([{ tabId: b.client.getSnapshot().tabId, local: false }]);
    expect(server.live()).toBe(false);
    a.close();
    b.close();
  });

  it('keeps tabs in step on a clock that reads fractions of a millisecond, as browsers’ do', async () => {
    const { browser, server } = signedInBrowser();
    const now = () => browser.clock.now() + 0.5;
    const [a, b] = [0, 1].map(() => browser.openTab({ fetch: server.fetch, now }));
    const errors: unknown[] = [];
    for (const tab of [a!, b!]) tab.client.on('error', (e) => errors.push(e.error));
    browser.clock.advance(0);
    await flush(20);
    await b!.client.logout();
    await flush(20);
    expect(a!.client.getSnapshot()).toMatchObject({
      state: 'signed-out',
      lastReason: 'logged-out',
    });
    expect(errors).toEqual([]);
    a!.close();
    b!.close();
  });

  it('hands leadership over when the browser discards the frozen leader, without a false logout', async () => {
    const { open, step, server } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    a.freeze(); // the background leader is frozen, and keeps leading while it is
    b.act();
    await step(3 * MIN);
    expect(b.client.getSnapshot().isLeader).toBe(false);
    const checks = server.calls.get('/session/status') ?? 0;
    a.close(); // then discarded
    await step(0);
    expect(b.client.getSnapshot()).toMatchObject({ isLeader: true, state: 'active' });
    // The new leader confirms the session at once rather than trusting what it heard.
    expect(server.calls.get('/session/status')).toBe(checks + 1);
    for (let i = 0; i < 8; i++) {
      b.act();
      await step(MIN);
    }
    expect(b.client.getSnapshot().state).toBe('active');
    b.close();
  });

  it('a frozen leader costs latency, never a false logout', async () => {
    const { open, step } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    const endings: string[] = [];
    for (const tab of [a, b]) {
      tab.client.on('expired', (e) => endings.push(`${e.tabId} expired`));
      tab.client.on('signed-out', (e) => endings.push(`${e.tabId} signed out`));
    }
    a.freeze(); // the browser freezes the background leader
    // The person works in b; the keepalive is the leader's, so b extends only when the
    // leader has let the warning come (below), and "Stay signed in" in b extends from b.
    for (let i = 0; i < 8; i++) {
      b.act();
      await step(MIN);
    }
    await b.client.extend();
    // a's own deadline passes while it is frozen: on resume its overdue timer fires before it
    // hears of the extension, and it asks the server before it declares anything.
    await step(7 * MIN);
    a.resume();
    await step(0);
    expect(endings).toEqual([]);
    const { idleExpiresAt } = b.client.getSnapshot();
    expect(a.client.getSnapshot()).toMatchObject({
      state: 'active',
      isLeader: true,
      idleExpiresAt,
    });
    a.close();
    b.close();
  });

  it('keeps a person working in a follower signed in, unwarned, while the leader is frozen', async () => {
    const { open, step, server } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    const seen: string[] = [];
    for (const type of ['warning', 'expired', 'signed-out'] as const) {
      b.client.on(type, (e) => seen.push(`${type} (${e.trigger})`));
    }
    a.freeze(); // the browser freezes the background leader, which keeps the leadership
    for (let i = 0; i < 60; i++) {
      b.act();
      await step(MIN / 2);
    }
    // 30 minutes of work against a 10-minute idle timeout and a 2-minute warning: b extends
    // when the warning would have come (every 8 minutes), never before, and never warns.
    expect(seen).toEqual([]);
    expect(b.client.getSnapshot()).toMatchObject({ state: 'active', isLeader: false });
    expect(server.calls.get('/session/extend')).toBe(3);
    // Back from the freeze, the leader takes up the keepalive: one extension, for the
    // activity b reported after its own last one, and both tabs share the new deadline.
    a.resume();
    await step(0);
    expect(server.calls.get('/session/extend')).toBe(4);
    expect(a.client.getSnapshot()).toMatchObject({
      state: 'active',
      idleExpiresAt: b.client.getSnapshot().idleExpiresAt,
    });
    a.close();
    b.close();
  });

  it('ignores garbage and other-version messages, reporting them as errors', async () => {
    const { open, step, browser } = signedInBrowser();
    const a = open();
    await step(0);
    const errors: string[] = [];
    a.client.on('error', (e) => errors.push(e.operation));
    for (const junk of [
      null,
      42,
      {
        v: 1,
        from: 'x',
        kind: 'ended',
        phase: 'expired',
        reason: 'revoked',
        absolute: null,
        trigger: 'status',
      },
      {
        v: 2,
        from: 'x',
        trigger: 'status',
        type: 'answer',
        op: 'status',
        reason: 'nope',
        sentAt: 1,
      },
    ]) {
      browser.hub.inject(junk);
    }
    await step(0);
    expect(errors).toEqual(['channel', 'channel', 'channel', 'channel']);
    expect(a.client.getSnapshot().state).toBe('active');
    a.close();
  });

  it('re-authenticates once for all tabs and concurrent requests, then replays each request once', async () => {
    const { open, step, server } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    server.end('idle-timeout');
    const results = await Promise.all([
      a.client.fetch('/api/one', { method: 'POST', body: 'draft-1' }),
      a.client.fetch('/api/two', { method: 'POST', body: 'draft-2' }),
      b.client.fetch('/api/three'),
    ]);
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(bodies.map((x) => x.body)).toEqual(['draft-1', 'draft-2', '']);
    expect(server.calls.get('/session/reauth')).toBe(1);
    expect(server.calls.get('/api/one')).toBe(2);
    await step(0);
    expect(b.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });

  it('asks for a refused re-auth once for all tabs, and every request then fails', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, canReauth: false });
    server.signIn();
    const tabs = [0, 1, 2, 3].map(() => browser.openTab({ fetch: server.fetch }));
    const step = async () => {
      browser.clock.advance(0);
      await flush(20);
    };
    await step();
    server.end('revoked');
    const results = await Promise.all(tabs.map((t) => t.client.fetch('/api/x').catch((e) => e)));
    expect(results.map((r) => r.name)).toEqual(Array(4).fill('SessionExpiredError'));
    expect(server.calls.get('/session/reauth')).toBe(1);
    await step();
    for (const t of tabs) expect(t.client.getSnapshot().state).toBe('expired');
    for (const t of tabs) t.close();
  });

  it('a tab closed while its re-auth holds the lock does not hold up re-auth in the others', async () => {
    const { open, step, server, browser } = signedInBrowser();
    // Tab a re-authenticates the app's way: a sign-in popup the person leaves open.
    const a = browser.openTab({ fetch: server.fetch, reauth: () => new Promise(() => {}) });
    const b = open();
    await step(0);
    server.end('idle-timeout');
    void a.client.reauthenticate();
    await step(0);
    let done: boolean | undefined;
    void b.client.reauthenticate().then((ok) => {
      done = ok;
    });
    await step(0);
    expect(done).toBeUndefined(); // b waits its turn behind a
    a.close(); // the person closes that tab, popup and all
    await step(0);
    expect(done).toBe(true);
    expect(server.calls.get('/session/reauth')).toBe(1);
    expect(b.client.getSnapshot().state).toBe('active');
    b.close();
  });

  it('after the laptop slept past the deadline, the first tab to wake tells the others', async () => {
    const { open, step, browser } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    browser.clock.sleep(30 * MIN);
    a.window.dispatch('focus');
    await step(0);
    expect(b.client.getSnapshot()).toMatchObject({ state: 'expired', lastReason: 'idle-timeout' });
    a.close();
    b.close();
  });

  it('after the laptop slept past the deadline, four waking tabs ask the server once', async () => {
    const { open, step, browser, server } = signedInBrowser({ latency: 50 });
    const tabs = [open(), open(), open(), open()];
    await step(1000);
    const before = server.calls.get('/session/status') ?? 0;
    browser.clock.sleep(30 * MIN);
    // Every tab wakes at once: each one's timer is long overdue, and the page gets focus.
    for (const t of tabs) t.window.dispatch('focus');
    for (let i = 0; i < 40; i++) await step(100);
    expect((server.calls.get('/session/status') ?? 0) - before).toBe(1);
    for (const t of tabs) {
      expect(t.client.getSnapshot()).toMatchObject({
        state: 'expired',
        lastReason: 'idle-timeout',
      });
    }
    for (const t of tabs) t.close();
  });
});
