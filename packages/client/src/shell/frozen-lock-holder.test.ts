import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { twoTabsSlowReauth } from './late-answers.fixture.js';

const MIN = 60_000;
/** The client's default `requestTimeout`. */
const REQUEST_TIMEOUT = 10_000;
/** How long a tab waits for the re-auth lock before it goes ahead without it. */
const LOCK_WAIT = 8 * REQUEST_TIMEOUT;

describe('a tab holding the re-auth lock that the browser froze', () => {
  it("holds up the other tabs' re-auth for at most 8 × requestTimeout, never for good", async () => {
    const { browser, server, slow, a, b } = await twoTabsSlowReauth();
    server.end('idle-timeout');
    // b re-authenticates (its answer is slow), and the browser freezes it in the background
    // with the lock held: its answer, when it comes, waits for the tab to be resumed.
    void b.client.reauthenticate();
    await flush(5);
    b.freeze();
    slow.release();
    await flush(20);
    let signedIn: boolean | undefined;
    void a.client.reauthenticate().then((ok) => {
      signedIn = ok;
    });
    browser.clock.advance(LOCK_WAIT - 1);
    await flush(20);
    // a waits for the lock while a live holder could still be at work.
    expect(signedIn).toBeUndefined();
    expect(server.calls.get('/session/reauth')).toBe(1);
    browser.clock.advance(1);
    await flush(20);
    expect(signedIn).toBe(true);
    expect(server.calls.get('/session/reauth')).toBe(2);
    expect(a.client.getSnapshot().state).toBe('active');
    // b, resumed, takes up the session the tabs now share; nobody is signed out.
    b.resume();
    await flush(20);
    expect(b.client.getSnapshot().state).toBe('active');
    expect(a.client.getSnapshot().state).toBe('active');
    expect(browser.locks.active()).toBe(0);
    a.close();
    b.close();
  });

  it('does the same for a request whose 401 waits for the lock, then replays it', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    // b's re-auth is slow on its way to the server: it has not landed when a's request
    // meets the session's end.
    let arrive = () => {};
    const upSlow: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/session/reauth')) await new Promise<void>((go) => (arrive = go));
      return server.fetch(input, init);
    };
    const a = browser.openTab({ fetch: server.fetch });
    const b = browser.openTab({ fetch: upSlow });
    browser.clock.advance(0);
    await flush();
    server.end('idle-timeout');
    void b.client.reauthenticate();
    await flush(5);
    b.freeze();
    let answered: number | undefined;
    void a.client.fetch('/api/items').then((res) => {
      answered = res.status;
    });
    await flush();
    browser.clock.advance(LOCK_WAIT - 1);
    await flush();
    expect(answered).toBeUndefined();
    expect(browser.locks.active()).toBe(2);
    browser.clock.advance(1);
    await flush();
    // a re-authenticated by itself and replayed its request.
    expect(answered).toBe(200);
    expect(server.calls.get('/session/reauth')).toBe(1);
    arrive();
    b.resume();
    await flush();
    expect(a.client.getSnapshot().state).toBe('active');
    expect(b.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });
});

describe('a live tab re-authenticating slowly', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is never raced within its bounds (the app's function 6 × requestTimeout, then one request)", async () => {
    const browser = createSimulatedBrowser();
    // In a browser `AbortSignal.timeout` and the timers both run on real time: put both on
    // the tabs' clock here.
    vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
      const timeout = new AbortController();
      browser.clock.timers.setTimeout(
        () => timeout.abort(new DOMException('timed out', 'TimeoutError')),
        ms,
      );
      return timeout.signal;
    });
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    // An app sign-in that ignores its signal and takes 7.5 × requestTimeout (the client stops
    // waiting for it at 6 ×); the status request after it takes 0.8 × requestTimeout.
    let signIns = 0;
    const reauth = async () => {
      signIns++;
      await new Promise<void>((go) => browser.clock.timers.setTimeout(go, 7.5 * REQUEST_TIMEOUT));
      server.signIn();
      return true;
    };
    const slowStatus: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/session/status') && signIns > 0) {
        await new Promise<void>((go) => browser.clock.timers.setTimeout(go, 0.8 * REQUEST_TIMEOUT));
      }
      return server.fetch(input, init);
    };
    const b = browser.openTab({ fetch: slowStatus, reauth });
    const a = browser.openTab({ fetch: slowStatus, reauth });
    await browser.clock.advanceAsync(REQUEST_TIMEOUT);
    await flush(20);
    server.end('idle-timeout');
    void b.client.reauthenticate();
    await flush(5);
    void a.client.reauthenticate();
    await flush(5);
    await browser.clock.advanceAsync(10 * REQUEST_TIMEOUT);
    await flush(20);
    expect(signIns).toBe(1);
    a.close();
    b.close();
  });
});

describe('destroy() while waiting for the re-auth lock', () => {
  it('withdraws the request for the lock and its timer at once', async () => {
    const { browser, server, slow, a, b } = await twoTabsSlowReauth();
    server.end('idle-timeout');
    void b.client.reauthenticate();
    await flush(5);
    const aDone = a.client.reauthenticate();
    await flush(5);
    expect(browser.locks.active()).toBe(2);
    a.client.destroy(); // an SPA unmounts the client; the tab stays open
    await flush(5);
    expect(browser.locks.active()).toBe(1);
    expect(await aDone).toBe(false);
    slow.release();
    await flush(20);
    expect(server.calls.get('/session/reauth')).toBe(1);
    expect(browser.locks.active()).toBe(0);
    b.close();
    expect(browser.clock.pending()).toBe(0);
  });
});
