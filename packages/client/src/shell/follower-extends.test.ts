import { describe, expect, it } from 'vitest';
import { recordWarnings, signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

describe('a follower extending for its own activity', () => {
  it('leaves it to a live leader on a slow network, even for activity just before the warning', async () => {
    const { browser, open, stepAsync: step, extensions } = signedInBrowser({ latency: 2_000 });
    const [a, b] = [open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    await step(warnAt - browser.clock.now() - 1_000);
    const before = extensions();
    b.act(); // a second before the warning: the leader extends at once, its answer 2 s away
    await step(30_000);
    expect(extensions() - before).toBe(1);
    expect(b.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });

  it('counts activity a frozen leader hears late from when it happened: no extension for an idle person', async () => {
    const { open, stepAsync: step, extensions } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    a.freeze();
    await step(MIN);
    b.act(); // one action, then the person walks away
    await step(9 * MIN); // b extends for it when the warning would show
    expect(extensions()).toBe(1);
    await step(2 * MIN);
    a.resume(); // a hears of the action only now, after b's extension for it
    await step(20 * MIN);
    expect(extensions()).toBe(1);
    expect(b.client.getSnapshot()).toMatchObject({ state: 'expired', lastReason: 'idle-timeout' });
    a.close();
    b.close();
  });
});

describe('a follower and a live leader on a slow or uneven network', () => {
  it('leaves the extension to a live leader whose POST /extend takes 3 s: one for the browser', async () => {
    const slowExtend = (path: string) => ({ up: path === '/session/extend' ? 3_000 : 0, down: 0 });
    const { browser, open, stepAsync: step, extensions } = signedInBrowser({ delays: slowExtend });
    const [a, b] = [open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    await step(warnAt - browser.clock.now() - 1_000);
    b.act(); // a second before the warning: the leader extends at once, its answer 3 s away
    await step(30_000);
    expect(extensions()).toBe(1);
    expect(a.client.getSnapshot().state).toBe('active');
  });

  it('shows no warning in the follower while the leader extends for activity told just before it', async () => {
    const { browser, open, stepAsync: step } = signedInBrowser({ latency: 300 });
    const [a, b] = [open(), open()];
    await step(10_000);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    const seen = recordWarnings({ a, b });
    await step(warnAt - browser.clock.now() - 200);
    b.act(); // 200 ms before the warning; the leader's extension answers in about 300 ms
    await step(10_000);
    expect(seen).toEqual([]);
    expect(b.client.getSnapshot().state).toBe('active');
  });

  it('keeps no idle person alive when its clock estimate dates the leader’s extension early', async () => {
    // A status check with a slow way up and an extension with a slow way down put the
    // follower's offset estimate off by more than the extension's way up.
    const uneven = (path: string) =>
      path === '/session/extend'
        ? { up: 10, down: 200 }
        : { up: path === '/session/status' ? 100 : 0, down: 0 };
    const { open, stepAsync: step, extensions } = signedInBrowser({ delays: uneven });
    const [a, b] = [open(), open()];
    await step(2 * MIN);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    b.act(); // one action in the follower, then the person walks away for good
    await step(30 * MIN);
    expect(extensions()).toBe(1);
    expect(b.client.getSnapshot()).toMatchObject({ state: 'expired', lastReason: 'idle-timeout' });
  });
});

describe('an extension that keeps failing', () => {
  for (const tabs of [1, 2]) {
    it(`ends in expired once the deadline has passed (${tabs === 1 ? 'one tab' : 'a follower under a frozen leader'})`, async () => {
      const { server, open, stepAsync: step } = signedInBrowser();
      const all = tabs === 1 ? [open()] : [open(), open()];
      await step(0);
      const worker = all.at(-1)!;
      const endings: string[] = [];
      worker.client.on('expired', (e) => endings.push(e.reason));
      if (tabs === 2) all[0]!.freeze();
      await step(tabs === 1 ? 30_000 : MIN);
      worker.act();
      await step(tabs === 1 ? 15_000 : 30_000);
      server.breakWith('network'); // the network goes before the extension for that action
      await step(30 * MIN);
      // Past the deadline a failed extension cannot be confirmed, like a failed check: it
      // was retrying forever, the page showing the warning long after the session ended.
      expect(endings).toEqual(['idle-timeout']);
      expect(worker.client.getSnapshot().state).toBe('expired');
      for (const t of all) t.close();
    });
  }
});

describe('several followers under a frozen leader', () => {
  it('send one extension for the browser: the one told of last goes first', async () => {
    const { open, stepAsync: step, extensions } = signedInBrowser({ latency: 100 });
    const [a, b, c] = [open(), open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    a.freeze();
    await step(MIN);
    b.act();
    await step(30_000);
    c.act(); // both told the frozen leader; both would extend when the warning is due
    await step(12 * MIN);
    expect(extensions()).toBe(1);
    expect(b.client.getSnapshot().state).toBe('active');
    expect(c.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
    c.close();
  });
});

describe('two followers under a frozen leader', () => {
  it('shows no warning in the other follower while the working follower extends', async () => {
    const { open, stepAsync: step, extensions, server } = signedInBrowser({ latency: 300 });
    const [a, b, c] = [open(), open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const seen = recordWarnings({ b, c });
    a.freeze(); // the leader is frozen
    await step(3 * MIN);
    b.act(); // the person works in b (and keeps working there)
    await step(8 * MIN); // b extends for it itself when the warning would show
    expect(extensions()).toBe(1);
    expect(server.live()).toBe(true);
    expect(b.client.getSnapshot().state).toBe('active');
    // c, which the person is not using, must not flash the warning either.
    expect(seen).toEqual([]);
    for (const t of [a, b, c]) t.close();
  });
});

describe('a follower that heard of activity in a follower since closed, under a frozen leader', () => {
  it('still gives the person the full 20 s warning (WCAG 2.2.1 minimum)', async () => {
    const { browser, server, stepAsync: step } = signedInBrowser();
    const open = () => browser.openTab({ fetch: server.fetch, warnBefore: 20_000 });
    const [a, b, c] = [open(), open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    a.freeze(); // the leader is frozen
    await step(MIN);
    b.act(); // the person works in b, which tells the others ...
    await step(1_000);
    b.close(); // ... and closes it; they now read c without touching it
    const warnings: number[] = [];
    c.client.on('warning', (e) => warnings.push(e.expiresAt - browser.clock.now()));
    for (let i = 0; i < 12 * 60; i++) await step(1_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeGreaterThanOrEqual(20_000);
  });
});

describe('a third tab under a frozen leader while a follower extends for activity just before the warning', () => {
  it('shows the warning in no tab only to clear it again (tabs agree)', async () => {
    const { browser, open, stepAsync: step } = signedInBrowser();
    const [a, b, c] = [open(), open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    const seen = recordWarnings({ b, c });
    a.freeze(); // the leader's tab is frozen in the background
    await step(warnAt - browser.clock.now() - 200);
    b.act(); // 200 ms before the warning: b waits for the frozen leader, then extends itself
    await step(30_000);
    expect(b.client.getSnapshot().state).toBe('active');
    // Activity kept the session: no tab flashed a warning the person did not need.
    expect(seen).toEqual([]);
    for (const t of [a, b, c]) t.close();
  });
});

describe('a third tab while a live leader extends for activity just before the warning', () => {
  it('shows no warning in a follower the person is not using', async () => {
    const { browser, open, stepAsync: step } = signedInBrowser({ latency: 300 });
    const [a, b, c] = [open(), open(), open()];
    await step(10_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    const seen = recordWarnings({ a, b, c });
    await step(warnAt - browser.clock.now() - 200);
    b.act(); // 200 ms before the warning; the leader's extension answers in about 300 ms
    await step(10_000);
    expect(seen).toEqual([]);
    for (const t of [a, b, c]) t.close();
  });
});

describe('a live leader busy with a check when told of activity, on a slow network', () => {
  it('costs one POST /extend for the browser', async () => {
    const { browser, open, stepAsync: step, extensions } = signedInBrowser({ latency: 7_000 });
    const [a, b] = [open(), open()];
    await step(20_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 2 * MIN;
    await step(warnAt - browser.clock.now() - 14_500);
    void a.client.refresh(); // the leader re-checks (an `online`, a resume): answer in 7 s
    await step(500);
    const before = extensions();
    b.act(); // 14 s before the warning: the leader extends once its check is answered
    await step(30_000);
    expect(extensions() - before).toBe(1);
    for (const t of [a, b]) t.close();
  });
});

describe('a short idle timeout, a frozen leader, activity in one follower then another', () => {
  it('extends for the first follower without a warning while the person works', async () => {
    // A 1-minute idle timeout on the server: the warning window is 30 s.
    const { browser, open, stepAsync: step } = signedInBrowser({ idleTimeoutMs: 60_000 });
    const [a, b, c] = [open(), open(), open()];
    await step(1_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const seen = recordWarnings({ b, c }, ['warning']);
    a.freeze(); // the leader's tab is frozen in the background
    await step(1_000);
    b.act(); // the person works in b ...
    const warnAt = b.client.getSnapshot().idleExpiresAt! - 30_000;
    await step(warnAt - browser.clock.now() - 200);
    c.act(); // ... and, just before the warning, in c too
    await step(25_000);
    expect(b.client.getSnapshot().state).toBe('active');
    expect(seen).toEqual([]);
    for (const t of [a, b, c]) t.close();
  });
});
