// @vitest-environment node

import { describe, expect, it, vi } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

const MIN = 60_000;

describe('a simulated tab brought back to the foreground', () => {
  it('tab.show() ends its background throttling, as every browser does for a visible tab', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    let sent = 0;
    const tab = browser.openTab({
      fetch: (input, init) => {
        sent++;
        return server.fetch(input, init);
      },
    });
    await flush();
    tab.hide();
    tab.throttle(MIN); // a background tab, throttled
    tab.show(); // the person comes back to it: it is visible again
    server.breakWith('network');
    await tab.client.refresh();
    sent = 0;
    // A visible tab retries with backoff from 1 s (1, 2, 4, 8 s...). It used to make no
    // request in 30 s: the visible tab was still clamped to one timer a minute.
    await browser.clock.advanceAsync(30_000);
    expect(sent).toBeGreaterThanOrEqual(3);
  });
});

describe('the page address in Node (no global location)', () => {
  const APP = 'https://app.example/';
  it('client.fetch() to another origin passes untouched, as in a browser', async () => {
    const browser = createSimulatedBrowser({ url: APP });
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    const thirdParty: Array<string | null> = [];
    // The app's fetch: its own origin to the fake server, a third-party API that answers
    // 401 with a problem body of its own.
    const appFetch: typeof fetch = async (input, init) => {
      const req = input instanceof Request ? input : new Request(new URL(String(input), APP), init);
      if (new URL(req.url).origin === new URL(APP).origin) return server.fetch(req);
      thirdParty.push(req.headers.get('Session-Passive'));
      return Response.json(
        { type: 'about:blank', title: 'token expired', status: 401, code: 'session_expired' },
        { status: 401, headers: { 'content-type': 'application/problem+json' } },
      );
    };
    const [a, b] = [browser.openTab({ fetch: appFetch }), browser.openTab({ fetch: appFetch })];
    await flush();
    expect(a.client.getSnapshot().state).toBe('active');
    a.hide();
    // In a browser (client.ts sessionFetch): "another API's 401 or deadline header says
    // nothing of this session ... Those pass untouched." It used to be that, in Node, the kit's tab
    // treats every origin as its own: the request gets `Session-Passive: 1`, re-auth is
    // tried, and the third party's 401 signs every tab out.
    const res = await a.client.fetch('https://api.other.example/v1/things');
    expect(res.status).toBe(401);
    expect(thirdParty).toEqual([null]);
    await flush();
    expect(a.client.getSnapshot().state).toBe('active');
    expect(b.client.getSnapshot().state).toBe('active');
    expect(server.calls.get('/session/reauth')).toBeUndefined();
  });

  it('the session routes resolve against the page address too, so a Node-style fetch reaches them', async () => {
    const browser = createSimulatedBrowser({ url: APP });
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    const urls: string[] = [];
    // A fetch that builds a Request, as Node's global fetch (and undici/msw on it) does:
    // in a browser the page resolves `/session/status`; in Node nothing does.
    const nodeStyleFetch: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      urls.push(req.url);
      return server.fetch(req);
    };
    const tab = browser.openTab({ fetch: nodeStyleFetch });
    await flush();
    // client.fetch('/api/me') works (the kit resolves it), but the client's own
    // `GET /session/status` reaches the fetch as a bare '/session/status', which throws
    // "Failed to parse URL": the tab never learns the session.
    expect(tab.client.getSnapshot().state).toBe('active');
    expect(urls[0]).toBe('https://app.example/session/status');
    const me = await tab.client.fetch('/api/me');
    expect(me.status).toBe(200);
  });
});

describe('misuse gives a clear error', () => {
  it('openTab() without a fetch uses the global one, with the session routes resolved', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return Response.json({}, { status: 500 });
    });
    try {
      const tab = createSimulatedBrowser().openTab();
      await tab.client.refresh();
      expect(new Set(urls)).toEqual(new Set(['http://app.test/session/status']));
      tab.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a url that is no absolute URL is refused where the browser is made, naming it', async () => {
    // Node: nothing checks it; the mistake shows later as "Failed to parse URL from /api/me".
    expect(() => createSimulatedBrowser({ url: 'app.example/shop/' })).toThrow(/url/);
  });
});
