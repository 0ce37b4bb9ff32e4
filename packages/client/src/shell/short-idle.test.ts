import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

describe('a server idle timeout shorter than warnBefore', () => {
  it('does not warn on page load: the first answer already caps the warning', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: MIN });
    server.signIn();
    const tab = browser.openTab({ fetch: server.fetch });
    const warnings: number[] = [];
    tab.client.on('warning', (e) => warnings.push(e.expiresAt - browser.clock.now()));
    await flush(20);
    browser.clock.advance(8_000);
    await flush(20);
    expect(tab.client.getSnapshot().state).toBe('active');
    expect(warnings).toEqual([]);
    tab.close();
  });

  it('keeps an active person signed in and warns only in the last half of the timeout', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: MIN });
    server.signIn();
    // The default warnBefore (2 min) against a 1-minute idle timeout set on the server.
    const tab = browser.openTab({ fetch: server.fetch });
    await flush(20);
    const seen = new Set<string>();
    for (let t = 0; t < 5 * MIN; t += 1_000) {
      if (t % 10_000 === 0) tab.act();
      browser.clock.advance(1_000);
      await flush(20);
      seen.add(tab.client.getSnapshot().state);
    }
    expect([...seen]).toEqual(['active']);

    // Left alone, the warning comes 30 s before the end, and the session then ends.
    let warnedAt = 0;
    tab.client.on('warning', () => {
      warnedAt = browser.clock.now();
    });
    const deadline = tab.client.getSnapshot().idleExpiresAt!;
    for (let t = 0; t < 2 * MIN; t += 1_000) {
      browser.clock.advance(1_000);
      await flush(20);
    }
    expect(deadline - warnedAt).toBeLessThanOrEqual(30_000);
    expect(deadline - warnedAt).toBeGreaterThan(28_000);
    expect(tab.client.getSnapshot().state).toBe('expired');
    tab.close();
  });
});
