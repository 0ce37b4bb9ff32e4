import { describe, expect, it } from 'vitest';
import { signedInBrowser } from '../shell/signed-in.fixture.js';
import { flush } from './index.js';

const MIN = 60_000;

describe('a simulated tab throttled or frozen by the browser', () => {
  it('tab.throttle() slows that tab alone: its retries wait, the visible tab’s do not', async () => {
    const { browser, server, step } = signedInBrowser();
    const sent = { background: 0, visible: 0 };
    const counted = (tab: keyof typeof sent): typeof fetch => {
      return (input, init) => {
        sent[tab]++;
        return server.fetch(input, init);
      };
    };
    const background = browser.openTab({ fetch: counted('background') });
    const visible = browser.openTab({ fetch: counted('visible') });
    await step(0);
    background.hide();
    background.throttle(MIN);
    server.breakWith('network');
    await Promise.all([background.client.refresh(), visible.client.refresh()]);
    sent.background = sent.visible = 0;
    // Both retry with backoff from 1 s; the throttled tab no sooner than a minute on.
    await browser.clock.advanceAsync(30_000);
    expect(sent.background).toBe(0);
    expect(sent.visible).toBeGreaterThanOrEqual(3);
    await browser.clock.advanceAsync(30_000);
    expect(sent.background).toBe(1);
  });

  it('a frozen tab runs no timer: past its deadline it shows nothing, then expired on resume, never the warning', async () => {
    const { open, step } = signedInBrowser();
    const tab = open();
    await step(0);
    const seen: string[] = [];
    for (const type of ['warning', 'expired'] as const) tab.client.on(type, () => seen.push(type));
    tab.freeze();
    await step(15 * MIN);
    expect(seen).toEqual([]);
    expect(tab.client.getSnapshot().state).toBe('active');
    tab.resume();
    await step(0);
    expect(seen).toEqual(['expired']);
  });

  it('a frozen tab hears no other tab and handles no event until it resumes', async () => {
    const { open, step, server } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    const lifecycle: string[] = [];
    for (const type of ['visibilitychange', 'freeze', 'resume'])
      b.document.addEventListener(type, () => lifecycle.push(type));
    b.freeze();
    expect(b.document.visibilityState).toBe('hidden'); // only a hidden page is frozen
    await a.client.logout();
    const checks = server.calls.get('/session/status');
    b.window.dispatch('pageshow', { persisted: true });
    await step(0);
    expect(b.client.getSnapshot().state).toBe('active');
    expect(server.calls.get('/session/status')).toBe(checks);
    b.resume();
    await step(0);
    expect(lifecycle).toEqual(['visibilitychange', 'freeze', 'resume']);
    expect(b.client.getSnapshot()).toMatchObject({ state: 'signed-out', lastReason: 'logged-out' });
    // The `resume` event and the held `pageshow` each asked the server once.
    expect(server.calls.get('/session/status')).toBe((checks ?? 0) + 2);
  });

  it('the answer to a request a tab sent before it froze waits for it to resume', async () => {
    const { open, step } = signedInBrowser();
    const tab = open();
    await step(0);
    let answered = false;
    const extended = tab.client.extend().then(() => {
      answered = true;
    });
    tab.freeze();
    await flush(20);
    expect(answered).toBe(false);
    tab.show(); // showing a frozen tab resumes it first
    await extended;
    expect(tab.document.visibilityState).toBe('visible');
  });
});

describe('a frozen tab and the re-auth lock', () => {
  it('a lock granted while the tab is frozen is its, but its re-auth runs only on resume', async () => {
    const { browser, server, open, step } = signedInBrowser();
    let answer = (_ok: boolean) => {};
    const a = browser.openTab({
      fetch: server.fetch,
      reauth: () =>
        new Promise<boolean>((resolve) => {
          answer = resolve;
        }),
    });
    const b = open();
    await step(0);
    server.end('idle-timeout');
    void a.client.reauthenticate();
    await step(0);
    const bDone = b.client.reauthenticate(); // waits for the lock behind a
    await step(0);
    b.freeze();
    answer(false); // a's attempt fails: the lock goes to the frozen b
    await step(0);
    expect(server.calls.get('/session/reauth')).toBeUndefined();
    expect(browser.locks.active()).toBe(1);
    b.resume();
    expect(await bDone).toBe(true);
    expect(server.calls.get('/session/reauth')).toBe(1);
  });
});
