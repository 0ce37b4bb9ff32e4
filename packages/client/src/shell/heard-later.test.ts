import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

describe('a short idle timeout, a frozen leader, activity in one follower then another', () => {
  it('extends for the first follower without a warning while the person works', async () => {
    const browser = createSimulatedBrowser();
    // A 1-minute idle timeout on the server: the warning window is 30 s.
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 60_000 });
    server.signIn();
    const step = async (ms: number) => {
      await browser.clock.advanceAsync(ms);
      await flush(20);
    };
    const open = () => browser.openTab({ fetch: server.fetch });
    const [a, b, c] = [open(), open(), open()];
    await step(1_000);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    const seen: string[] = [];
    for (const [name, tab] of [
      ['b', b],
      ['c', c],
    ] as const) {
      tab.client.on('warning', () => seen.push(`${name} warning`));
    }
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
