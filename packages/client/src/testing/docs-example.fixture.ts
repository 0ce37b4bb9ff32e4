import { expect } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

/**
 * The test-kit examples of docs/client.md, as written there: keep the two in step. Run
 * under happy-dom and under Node's own fetch classes (docs-example*.test.ts), as an app's
 * suite may use either.
 */
export const docsExamples = {
  'after an hour of sleep, the leader wakes and every tab shows expired': async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 600_000 });
    server.signIn();
    const [a, b] = [
      browser.openTab({ fetch: server.fetch }),
      browser.openTab({ fetch: server.fetch }),
    ];
    await flush(); // both tabs learn the session
    browser.clock.sleep(3_600_000); // the laptop slept an hour
    a.window.dispatch('focus'); // the leader wakes first, checks /status, tells b
    await flush();
    expect(b.client.getSnapshot().state).toBe('expired');
  },
  'a frozen leader costs latency, never a false logout': async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 600_000 });
    server.signIn();
    const [a, b] = [
      browser.openTab({ fetch: server.fetch }),
      browser.openTab({ fetch: server.fetch }),
    ];
    await flush();
    a.freeze(); // the browser freezes the background leader
    await browser.clock.advanceAsync(540_000);
    await b.client.extend(); // the person chose to stay, in b
    await browser.clock.advanceAsync(300_000); // a's old deadline passes while it is frozen
    a.resume(); // `resume` event, overdue timer, then b's news: a asks before it declares
    await flush();
    expect(a.client.getSnapshot()).toMatchObject({
      state: 'active',
      idleExpiresAt: b.client.getSnapshot().idleExpiresAt,
    });
  },
};
